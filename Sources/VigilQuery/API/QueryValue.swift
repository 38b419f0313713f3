import VigilModel

/// One element of an instant vector: a series and its value at the evaluation time.
public struct VectorSample: Sendable, Hashable {
    public var labels: Labels
    public var sample: Sample

    public init(labels: Labels, sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}

/// The result of a query, in the four shapes of Prometheus' API (`resultType`).
public enum QueryValue: Sendable, Equatable {
    /// An instant vector; every sample carries the evaluation time. Order as Prometheus returns
    /// it (meaningful after `sort`, `sort_desc`, `topk`, `bottomk`).
    case vector([VectorSample])
    /// A range vector: from a range query (series sorted by labels, one sample per step where
    /// the series has a value) or from an instant query of a range selector or subquery.
    case matrix([SeriesSamples])
    case scalar(Sample)
    /// A string literal and the evaluation time.
    case string(String, timestamp: Int64)

    /// Prometheus' `resultType`: "vector", "matrix", "scalar" or "string".
    public var resultType: String {
        switch self {
        case .vector: return "vector"
        case .matrix: return "matrix"
        case .scalar: return "scalar"
        case .string: return "string"
        }
    }
}
