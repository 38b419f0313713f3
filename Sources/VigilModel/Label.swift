/// One label pair of a series, such as `mode="idle"`. The metric name is the label `__name__`.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
    }
}

extension Label {
    /// The reserved label name that carries a series' metric name.
    public static let metricName = "__name__"
}
