/// The samples of several series in one buffer, series after series: series `i` holds
/// `samples[start(i)..<ends[i]]`, where `start(0) = 0` and `start(i) = ends[i - 1]`.
///
/// One allocation for a whole batch instead of one array per series; the batch decoder fills
/// it and the store appends from it. Each run is in the order its producer gave (for a batch:
/// strictly increasing timestamps); a run may be empty.
public struct PackedSamples: Sendable, Equatable {
    @usableFromInline var storedSamples: [Sample] = []
    @usableFromInline var storedEnds: [Int] = []

    /// Every series' samples, run after run.
    @inlinable public var samples: [Sample] { storedSamples }
    /// The end of each series' run in `samples`, non-decreasing.
    @inlinable public var ends: [Int] { storedEnds }

    public init() {}

    public init(reservingSeries series: Int, samples: Int) {
        storedSamples.reserveCapacity(samples)
        storedEnds.reserveCapacity(series)
    }

    /// The runs of `series`, copied in order.
    public init(_ series: [SeriesSamples]) {
        self.init(reservingSeries: series.count, samples: series.reduce(0) { $0 + $1.samples.count })
        for one in series { appendRun(one.samples) }
    }

    /// Number of series (runs).
    @inlinable public var seriesCount: Int { storedEnds.count }

    /// The positions of series `i`'s samples in `samples`.
    @inlinable
    public func range(ofSeries i: Int) -> Range<Int> {
        (i == 0 ? 0 : storedEnds[i - 1])..<storedEnds[i]
    }

    /// Series `i`'s samples.
    public subscript(series i: Int) -> ArraySlice<Sample> {
        samples[range(ofSeries: i)]
    }

    public mutating func appendRun(_ run: some Collection<Sample>) {
        storedSamples.append(contentsOf: run)
        storedEnds.append(storedSamples.count)
    }

    /// Appends a run of `count` samples written by `fill` into zeroed space; when `fill`
    /// throws, the run is removed again and the error passed on. Inlinable so the batch
    /// decoder's call is specialised: it runs once per series of every batch.
    @inlinable
    public mutating func appendRun<E: Error>(
        count: Int, _ fill: (UnsafeMutableBufferPointer<Sample>) throws(E) -> Void
    ) throws(E) {
        let start = storedSamples.count
        if count == 1 {
            storedSamples.append(Sample(timestamp: 0, value: 0))
        } else {
            storedSamples.append(contentsOf: repeatElement(Sample(timestamp: 0, value: 0), count: count))
        }
        let failure: E? = storedSamples.withUnsafeMutableBufferPointer { all in
            do throws(E) {
                try fill(UnsafeMutableBufferPointer(rebasing: all[start...]))
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            storedSamples.removeSubrange(start...)
            throw failure
        }
        storedEnds.append(storedSamples.count)
    }
}
