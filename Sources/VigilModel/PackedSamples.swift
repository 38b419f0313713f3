/// The samples of several series in one buffer, series after series: series `i` holds
/// `samples[start(i)..<ends[i]]`, where `start(0) = 0` and `start(i) = ends[i - 1]`.
///
/// One allocation for a whole batch instead of one array per series; the batch decoder fills
/// it and the store appends from it. Each run is in the order its producer gave (for a batch:
/// strictly increasing timestamps); a run may be empty.
public struct PackedSamples: Sendable, Equatable {
    public private(set) var samples: [Sample] = []
    /// The end of each series' run in `samples`, non-decreasing.
    public private(set) var ends: [Int] = []

    public init() {}

    public init(reservingSeries series: Int, samples: Int) {
        self.samples.reserveCapacity(samples)
        ends.reserveCapacity(series)
    }

    /// The runs of `series`, copied in order.
    public init(_ series: [SeriesSamples]) {
        self.init(reservingSeries: series.count, samples: series.reduce(0) { $0 + $1.samples.count })
        for one in series { appendRun(one.samples) }
    }

    /// Number of series (runs).
    public var seriesCount: Int { ends.count }

    /// The positions of series `i`'s samples in `samples`.
    public func range(ofSeries i: Int) -> Range<Int> {
        (i == 0 ? 0 : ends[i - 1])..<ends[i]
    }

    /// Series `i`'s samples.
    public subscript(series i: Int) -> ArraySlice<Sample> {
        samples[range(ofSeries: i)]
    }

    public mutating func appendRun(_ run: some Collection<Sample>) {
        samples.append(contentsOf: run)
        ends.append(samples.count)
    }

    /// Appends a run of `count` samples written by `fill` into zeroed space; when `fill`
    /// throws, the run is removed again and the error passed on.
    public mutating func appendRun<E: Error>(
        count: Int, _ fill: (UnsafeMutableBufferPointer<Sample>) throws(E) -> Void
    ) throws(E) {
        let start = samples.count
        samples.append(contentsOf: repeatElement(Sample(timestamp: 0, value: 0), count: count))
        var failure: E?
        samples.withUnsafeMutableBufferPointer { all in
            do throws(E) {
                try fill(UnsafeMutableBufferPointer(rebasing: all[start...]))
            } catch {
                failure = error
            }
        }
        if let failure {
            samples.removeSubrange(start...)
            throw failure
        }
        ends.append(samples.count)
    }

    /// Appends one sample to a run that `endRun` closes.
    public mutating func append(_ sample: Sample) {
        samples.append(sample)
    }

    /// Closes the run of samples appended since the previous run ended.
    public mutating func endRun() {
        ends.append(samples.count)
    }
}
