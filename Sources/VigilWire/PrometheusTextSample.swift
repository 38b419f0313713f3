import VigilModel

/// One sample line of the Prometheus text format: the series (metric name as `__name__`),
/// its value and the optional timestamp in milliseconds.
public struct PrometheusTextSample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
    public var timestamp: Int64?

    public init(labels: Labels, value: Double, timestamp: Int64? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Equal when labels and timestamps are equal and values have the same bits (NaN == NaN).
    public static func == (lhs: PrometheusTextSample, rhs: PrometheusTextSample) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// Where a text exposition broke the format: 1-based line and column (in Unicode scalars) and what was wrong.
public struct PrometheusTextError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// What `# TYPE` and `# HELP` lines say about a metric family.
public struct PrometheusMetricMetadata: Sendable, Equatable {
    /// counter, gauge, histogram, summary or untyped (the default when no TYPE line is given).
    public var type: String
    /// The HELP text with escapes resolved; empty when no HELP line is given.
    public var help: String

    public init(type: String, help: String) {
        self.type = type
        self.help = help
    }
}
