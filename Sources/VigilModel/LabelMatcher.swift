/// A condition on one label, as in a PromQL selector: `=`, `!=`, `=~`, `!~`.
///
/// Regular expressions are fully anchored, as in Prometheus: `job=~"api"` does not match
/// `api-2`. A missing label matches as the empty string, so `{foo=""}` selects series
/// without `foo` and `{foo!=""}` selects series that have it.
public struct LabelMatcher: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case regex = "=~"
        case notRegex = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let pattern: AnchoredPattern?

    /// Creates a matcher; throws `LabelMatcherError` when a regex does not compile.
    public init(_ name: String, _ kind: Kind, _ value: String) throws(LabelMatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual:
            pattern = nil
        case .regex, .notRegex:
            do {
                pattern = try AnchoredPattern(value)
            } catch {
                throw LabelMatcherError(pattern: value, reason: "\(error)")
            }
        }
    }

    /// Whether a label value (nil when the label is absent) satisfies the matcher.
    public func matches(_ labelValue: String?) -> Bool {
        let actual = labelValue ?? ""
        switch kind {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .regex: return pattern!.matches(actual)
        case .notRegex: return !pattern!.matches(actual)
        }
    }

    /// Whether a whole series satisfies the matcher.
    public func matches(_ labels: Labels) -> Bool {
        matches(labels[name])
    }

    /// Whether this matcher also selects series that lack the label entirely.
    public var matchesEmpty: Bool { matches(nil) }

    public var description: String {
        "\(name)\(kind.rawValue)\"\(Labels.escape(value))\""
    }
}

/// A regex in a matcher did not compile.
public struct LabelMatcherError: Error, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

extension Array where Element == LabelMatcher {
    /// Whether every matcher selects the series.
    public func matches(_ labels: Labels) -> Bool {
        allSatisfy { $0.matches(labels) }
    }
}
