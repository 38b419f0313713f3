import VigilModel

/// One series' value at one evaluation step.
struct VectorElement: Sendable {
    var labels: Labels
    var value: Double
}

/// One series' samples inside a range window.
struct RangeSeries: Sendable {
    var labels: Labels
    var labelsWithoutName: Labels
    var samples: ArraySlice<Sample>
}

/// A range vector at one evaluation step: the series with samples in [start, end] (ms,
/// inclusive) and the range that produced the window, which rate() extrapolates against.
struct RangeWindow: Sendable {
    var series: [RangeSeries]
    /// Whether the series are known to stay distinct once the metric name is dropped.
    var distinctWithoutName: Bool
    var start: Int64
    var end: Int64
    var range: Int64
}

/// What an expression evaluates to at one step.
enum StepValue: Sendable {
    case scalar(Double)
    case string(String)
    case vector([VectorElement])
    case matrix(RangeWindow)
}
