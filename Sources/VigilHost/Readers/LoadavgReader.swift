/// node_exporter 1.5's loadavg collector: /proc/loadavg.
final class LoadavgReader: HostReader {
    let collector = HostCollector.loadavg

    private let path: CPath
    private var load1: SeriesSlot
    private var load5: SeriesSlot
    private var load15: SeriesSlot

    init(procfs: String, host: String) {
        path = CPath(root: procfs, "loadavg")
        load1 = SeriesSlot(name: "node_load1", host: host)
        load5 = SeriesSlot(name: "node_load5", host: host)
        load15 = SeriesSlot(name: "node_load15", host: host)
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let bytes = try files.read(path)
        let loads: (load1: Double, load5: Double, load15: Double)
        do {
            loads = try LoadavgParser.parse(bytes)
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
        sink.emit(&load1, loads.load1)
        sink.emit(&load5, loads.load5)
        sink.emit(&load15, loads.load15)
        return .collected
    }
}
