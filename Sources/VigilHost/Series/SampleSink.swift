import VigilModel

/// Collects the series of one `HostSampler.sample(at:)` call, all stamped with one timestamp.
struct SampleSink {
    let timestamp: Int64
    var series: [SeriesSamples]

    init(timestamp: Int64, capacity: Int) {
        self.timestamp = timestamp
        series = []
        series.reserveCapacity(capacity)
    }

    /// Appends one sample of `value` for the slot's series.
    @inline(__always)
    mutating func emit(_ slot: inout SeriesSlot, _ value: Double) {
        slot.samples[0] = Sample(timestamp: timestamp, value: value)
        series.append(SeriesSamples(labels: slot.labels, samples: slot.samples))
    }

    /// Appends one sample for the slot's series, if there is a slot (nil: a name the
    /// reader's filter leaves out).
    @inline(__always)
    mutating func emit(_ slot: inout SeriesSlot?, _ value: Double) {
        guard slot != nil else { return }
        emit(&slot!, value)
    }

    /// Drops everything emitted after `count` series, for a reader that failed part-way.
    mutating func truncate(to count: Int) {
        series.removeSubrange(count...)
    }
}
