/// node_exporter 1.5's stat collector: system-wide totals from /proc/stat.
final class StatReader: HostReader {
    let collector = HostCollector.stat

    private let source: ProcStatSource
    private var interrupts: SeriesSlot
    private var contextSwitches: SeriesSlot
    private var forks: SeriesSlot
    private var bootTime: SeriesSlot
    private var procsRunning: SeriesSlot
    private var procsBlocked: SeriesSlot

    init(source: ProcStatSource, host: String) {
        self.source = source
        interrupts = SeriesSlot(name: "node_intr_total", host: host)
        contextSwitches = SeriesSlot(name: "node_context_switches_total", host: host)
        forks = SeriesSlot(name: "node_forks_total", host: host)
        bootTime = SeriesSlot(name: "node_boot_time_seconds", host: host)
        procsRunning = SeriesSlot(name: "node_procs_running", host: host)
        procsBlocked = SeriesSlot(name: "node_procs_blocked", host: host)
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let stat = try source.current(files: files, tick: tick)
        sink.emit(&interrupts, Double(stat.interrupts))
        sink.emit(&contextSwitches, Double(stat.contextSwitches))
        sink.emit(&forks, Double(stat.forks))
        sink.emit(&bootTime, Double(stat.bootTime))
        sink.emit(&procsRunning, Double(stat.procsRunning))
        sink.emit(&procsBlocked, Double(stat.procsBlocked))
        return .collected
    }
}
