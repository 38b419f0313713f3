import Glibc

/// node_exporter 1.5's pressure collector: /proc/pressure/{cpu,io,memory} (Linux 4.20+ with PSI).
/// When a file is missing or PSI is disabled (`psi=0`), the collector reports no data, quietly.
final class PressureReader: HostReader {
    let collector = HostCollector.pressure

    private let cpuPath: CPath
    private let ioPath: CPath
    private let memoryPath: CPath
    private var cpuWaiting: SeriesSlot
    private var ioWaiting: SeriesSlot
    private var ioStalled: SeriesSlot
    private var memoryWaiting: SeriesSlot
    private var memoryStalled: SeriesSlot

    init(procfs: String, host: String) {
        cpuPath = CPath(root: procfs, "pressure/cpu")
        ioPath = CPath(root: procfs, "pressure/io")
        memoryPath = CPath(root: procfs, "pressure/memory")
        cpuWaiting = SeriesSlot(name: "node_pressure_cpu_waiting_seconds_total", host: host)
        ioWaiting = SeriesSlot(name: "node_pressure_io_waiting_seconds_total", host: host)
        ioStalled = SeriesSlot(name: "node_pressure_io_stalled_seconds_total", host: host)
        memoryWaiting = SeriesSlot(name: "node_pressure_memory_waiting_seconds_total", host: host)
        memoryStalled = SeriesSlot(name: "node_pressure_memory_stalled_seconds_total", host: host)
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        guard let cpu = try totals(cpuPath, files: files) else { return .unavailable }
        sink.emit(&cpuWaiting, PressureReader.seconds(cpu.some))
        guard let io = try totals(ioPath, files: files) else { return .unavailable }
        sink.emit(&ioWaiting, PressureReader.seconds(io.some))
        sink.emit(&ioStalled, PressureReader.seconds(io.full))
        guard let memory = try totals(memoryPath, files: files) else { return .unavailable }
        sink.emit(&memoryWaiting, PressureReader.seconds(memory.some))
        sink.emit(&memoryStalled, PressureReader.seconds(memory.full))
        return .collected
    }

    /// Microseconds to seconds, divided twice by 1000 as node_exporter does (for identical doubles).
    /// A line the file lacks counts as zero.
    private static func seconds(_ microseconds: UInt64?) -> Double {
        Double(microseconds ?? 0) / 1000.0 / 1000.0
    }

    private func totals(_ path: CPath, files: FileReader) throws(HostReadError) -> (some: UInt64?, full: UInt64?)? {
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try files.read(path)
        } catch {
            switch error {
            case .openFailed(_, let code) where code == ENOENT, .readFailed(_, let code) where code == EOPNOTSUPP:
                return nil
            default:
                throw error
            }
        }
        do {
            return try PressureParser.parse(bytes)
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
    }
}
