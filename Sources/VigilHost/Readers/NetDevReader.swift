import Glibc

/// node_exporter 1.5's netdev collector: per-device counters from /proc/net/dev, plus
/// `receive_nohandler` from sysfs (node_exporter 1.5 reads all of them over netlink; /proc/net/dev
/// has the same counters, summed the same way, but not this one).
final class NetDevReader: HostReader {
    let collector = HostCollector.netdev

    private struct Device {
        /// Nil for a device the device filter leaves out.
        var counters: [SeriesSlot]?
        var noHandler: SeriesSlot?
        let noHandlerPath: CPath
    }

    private let path: CPath
    private let sysfs: String
    private let host: String
    private let exclude: HostFilterPattern?
    private var devices = NamedSlots<Device>()
    private var seenThisTick: [Int] = []

    init(procfs: String, sysfs: String, host: String, exclude: HostFilterPattern?) {
        path = CPath(root: procfs, "net/dev")
        self.sysfs = sysfs
        self.host = host
        self.exclude = exclude
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let bytes = try files.read(path)
        // Work on local copies (moved out and back) so the per-line accesses need no
        // exclusivity checks on the class properties.
        var devices = NamedSlots<Device>()
        swap(&devices, &self.devices)
        defer { swap(&devices, &self.devices) }
        var seenThisTick: [Int] = []
        swap(&seenThisTick, &self.seenThisTick)
        defer { swap(&seenThisTick, &self.seenThisTick) }
        devices.beginPass()
        seenThisTick.removeAll(keepingCapacity: true)
        do {
            try NetDevParser.forEachDevice(in: bytes) { device in
                guard let index = devices.find(device.name, make: makeDevice) else { return }
                NetDevReader.emitCounters(device.counters, of: &devices[index], into: &sink)
                seenThisTick.append(index)
            }
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
        // The sysfs reads reuse `files`, so they wait until /proc/net/dev is parsed.
        for index in seenThisTick where devices[index].noHandler != nil {
            do {
                let attribute = try files.read(devices[index].noHandlerPath)
                var lines = ByteLines(attribute)
                guard var line = lines.next(), let field = line.nextField(), let value = ByteNumber.unsigned(field) else { continue }
                sink.emit(&devices[index].noHandler!, Double(value))
            } catch {
                // Kernels before 4.6 (and sysfs trees of other network namespaces) lack the file;
                // stop trying for this device. Other errors are retried next tick.
                if case .openFailed(_, let code) = error, code == ENOENT { devices[index].noHandler = nil }
            }
        }
        devices.endPass()
        return .collected
    }

    private static func emitCounters(_ counters: UnsafeBufferPointer<UInt64>, of device: inout Device, into sink: inout SampleSink) {
        guard device.counters != nil else { return }
        for column in 0..<NetDevParser.counterCount {
            sink.emit(&device.counters![column], Double(counters[column]))
        }
    }

    private func makeDevice(_ name: String) -> Device {
        let noHandlerPath = CPath(root: sysfs, "class/net/\(name)/statistics/rx_nohandler")
        if let exclude, exclude.matches(name) {
            return Device(counters: nil, noHandler: nil, noHandlerPath: noHandlerPath)
        }
        return Device(
            counters: NetDevParser.columnNames.map {
                SeriesSlot(name: "node_network_\($0)_total", host: host, [("device", name)])
            },
            noHandler: SeriesSlot(name: "node_network_receive_nohandler_total", host: host, [("device", name)]),
            noHandlerPath: noHandlerPath)
    }
}
