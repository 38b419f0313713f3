/// What a reader did in one tick.
enum ReadOutcome {
    /// The reader emitted its series.
    case collected
    /// The kernel does not provide the data (for example no pressure stall information);
    /// node_exporter reports such a collector as unsuccessful without logging an error.
    case unavailable
}

/// One node_exporter collector: reads its files and emits its series.
protocol HostReader: AnyObject {
    var collector: HostCollector { get }

    /// Emits this tick's series into `sink`, reading files through `files`.
    /// Throws when the collector fails as a whole; the sampler then drops what it emitted.
    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome
}
