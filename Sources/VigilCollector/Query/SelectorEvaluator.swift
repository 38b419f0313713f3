import VigilModel
import VigilStorage

/// Evaluates a series selector as a PromQL instant vector, at one time or at each step of
/// a range, with Prometheus 2.x lookback semantics: at time t a series contributes its
/// newest sample in [t - lookback, t].
public struct SelectorEvaluator: Sendable {
    /// Prometheus' default `--query.lookback-delta`.
    public static let defaultLookback: Int64 = 5 * 60_000
    /// Prometheus refuses range queries with more points per series than this.
    public static let maxPointsPerSeries = 11_000

    let storage: Storage
    let lookback: Int64
    /// Most samples a query may read before it is stopped.
    let maxSamples: Int

    public init(storage: Storage, lookback: Int64 = defaultLookback, maxSamples: Int = 50_000_000) {
        self.storage = storage
        self.lookback = lookback
        self.maxSamples = maxSamples
    }

    /// One sample per matching series at `time` (ms); series with none in the lookback are absent.
    public func instant(_ selector: SeriesSelector, at time: Int64) throws -> [(labels: Labels, sample: Sample)] {
        try storage.latest(selector.matchers, at: time, lookback: lookback)
            .map { (labels: $0.labels, sample: Sample(timestamp: time, value: $0.sample.value)) }
    }

    /// For a range selector: each matching series' raw samples in [time - range, time].
    public func rangeVector(_ selector: SeriesSelector, at time: Int64) throws -> [SeriesSamples] {
        let range = selector.range ?? lookback
        let series = try storage.select(selector.matchers, from: time - range, through: time)
        let total = series.reduce(0) { $0 + $1.samples.count }
        guard total <= maxSamples else {
            throw QueryLimitError(message: "query processing would load too many samples into memory (\(total) > \(maxSamples)); narrow the selector or the range")
        }
        return series
    }

    /// For each matching series, its value at each step `start, start+step, ... <= end`.
    public func range(_ selector: SeriesSelector, start: Int64, end: Int64, step: Int64) throws -> [SeriesSamples] {
        guard step > 0 else { throw QueryLimitError(message: "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw QueryLimitError(message: "end timestamp must not be before start time") }
        guard (end - start) / step < Int64(Self.maxPointsPerSeries) else {
            throw QueryLimitError(message: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let raw = try storage.select(selector.matchers, from: start - lookback, through: end)
        let total = raw.reduce(0) { $0 + $1.samples.count }
        guard total <= maxSamples else {
            throw QueryLimitError(message: "query processing would load too many samples into memory (\(total) > \(maxSamples)); narrow the selector or the range")
        }
        var result: [SeriesSamples] = []
        result.reserveCapacity(raw.count)
        for series in raw {
            var points: [Sample] = []
            var cursor = 0
            let samples = series.samples
            var t = start
            while t <= end {
                while cursor < samples.count && samples[cursor].timestamp <= t { cursor += 1 }
                if cursor > 0, samples[cursor - 1].timestamp >= t - lookback {
                    points.append(Sample(timestamp: t, value: samples[cursor - 1].value))
                }
                t += step
            }
            if !points.isEmpty { result.append(SeriesSamples(labels: series.labels, samples: points)) }
        }
        return result
    }
}

/// A query was refused before or while reading data; the message says why.
public struct QueryLimitError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
