/// node_exporter 1.5's cpu collector: per-CPU times from /proc/stat, guest times, isolated
/// CPUs and thermal throttle counters.
final class CPUReader: HostReader {
    let collector = HostCollector.cpu

    /// node_cpu_seconds_total's modes, in /proc/stat column order (the first eight columns).
    static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]

    private let source: ProcStatSource
    private let host: String
    private let isolatedPath: CPath
    private var counterGuard = CPUCounterGuard()
    /// Per CPU: the eight mode series, then guest user and guest nice.
    private var slots: [[SeriesSlot]] = []
    private var isolated: [SeriesSlot]?
    private var throttles: CPUThermalThrottles

    init(source: ProcStatSource, sysfs: String, host: String) {
        self.source = source
        self.host = host
        isolatedPath = CPath(root: sysfs, "devices/system/cpu/isolated")
        throttles = CPUThermalThrottles(sysfs: sysfs, host: host)
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let stat = try source.current(files: files, tick: tick)
        counterGuard.update(with: stat.cpus)
        while slots.count < counterGuard.times.count {
            slots.append(makeSlots(cpu: slots.count))
        }
        for cpu in counterGuard.times.indices {
            let times = counterGuard.times[cpu]
            for column in 0..<CPUReader.modes.count {
                sink.emit(&slots[cpu][column], times[column: column])
            }
            sink.emit(&slots[cpu][8], times.guest)
            sink.emit(&slots[cpu][9], times.guestNice)
        }
        if isolated == nil {
            isolated = try readIsolated(files: files)
        }
        for index in isolated!.indices {
            sink.emit(&isolated![index], 1)
        }
        throttles.emit(into: &sink, files: files, cpuCount: stat.cpus.count)
        return .collected
    }

    private func makeSlots(cpu: Int) -> [SeriesSlot] {
        let number = String(cpu)
        var cpuSlots = CPUReader.modes.map {
            SeriesSlot(name: "node_cpu_seconds_total", host: host, [("cpu", number), ("mode", $0)])
        }
        cpuSlots.append(SeriesSlot(name: "node_cpu_guest_seconds_total", host: host, [("cpu", number), ("mode", "user")]))
        cpuSlots.append(SeriesSlot(name: "node_cpu_guest_seconds_total", host: host, [("cpu", number), ("mode", "nice")]))
        return cpuSlots
    }

    /// The isolated CPUs, read once like node_exporter reads them at start-up; a missing file
    /// (kernels before 4.x, or no sysfs) means none.
    private func readIsolated(files: FileReader) throws(HostReadError) -> [SeriesSlot] {
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try files.read(isolatedPath)
        } catch {
            if case .openFailed = error { return [] }
            throw error
        }
        do {
            return try CPUListParser.parse(bytes).map {
                SeriesSlot(name: "node_cpu_isolated", host: host, [("cpu", String($0))])
            }
        } catch {
            throw HostReadError.malformed(path: isolatedPath.text, error)
        }
    }
}
