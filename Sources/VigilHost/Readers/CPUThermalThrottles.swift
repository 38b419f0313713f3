/// Thermal throttle counters from sysfs (node_cpu_package_throttles_total and
/// node_cpu_core_throttles_total), present on bare-metal x86 and absent on most VMs.
///
/// The CPU topology is discovered once and again whenever the number of CPUs changes; each
/// tick then reads one counter file per package and one per core.
struct CPUThermalThrottles {
    private struct Counter {
        var slot: SeriesSlot
        let path: CPath
    }

    private let cpuDirectory: String
    private let host: String
    private var counters: [Counter] = []
    private var discoveredFor: Int?

    init(sysfs: String, host: String) {
        cpuDirectory = CPath(root: sysfs, "devices/system/cpu").text
        self.host = host
    }

    /// Emits the counters, rediscovering the topology when `cpuCount` differs from last time.
    mutating func emit(into sink: inout SampleSink, files: FileReader, cpuCount: Int) {
        if discoveredFor != cpuCount {
            discoveredFor = cpuCount
            discover(files: files)
        }
        for index in counters.indices {
            guard let value = readUnsigned(counters[index].path, files: files) else { continue }
            sink.emit(&counters[index].slot, Double(value))
        }
    }

    private mutating func discover(files: FileReader) {
        var packages: [UInt64: CPath] = [:]
        var cores: [UInt64: [UInt64: CPath]] = [:]
        for name in DirectoryListing.names(in: cpuDirectory) where DirectoryListing.isNumbered(name, prefix: "cpu") {
            let cpu = cpuDirectory + "/" + name
            guard let package = readUnsigned(CPath(cpu + "/topology/physical_package_id"), files: files),
                  let core = readUnsigned(CPath(cpu + "/topology/core_id"), files: files) else { continue }
            let corePath = CPath(cpu + "/thermal_throttle/core_throttle_count")
            if cores[package]?[core] == nil, readUnsigned(corePath, files: files) != nil {
                cores[package, default: [:]][core] = corePath
            }
            let packagePath = CPath(cpu + "/thermal_throttle/package_throttle_count")
            if packages[package] == nil, readUnsigned(packagePath, files: files) != nil {
                packages[package] = packagePath
            }
        }
        counters = []
        for (package, path) in packages.sorted(by: { $0.key < $1.key }) {
            counters.append(Counter(
                slot: SeriesSlot(name: "node_cpu_package_throttles_total", host: host, [("package", String(package))]),
                path: path))
        }
        for (package, byCore) in cores.sorted(by: { $0.key < $1.key }) {
            for (core, path) in byCore.sorted(by: { $0.key < $1.key }) {
                counters.append(Counter(
                    slot: SeriesSlot(name: "node_cpu_core_throttles_total", host: host, [("package", String(package)), ("core", String(core))]),
                    path: path))
            }
        }
    }
}

/// The unsigned integer a sysfs attribute file holds, or nil when it is missing or not a number.
func readUnsigned(_ path: CPath, files: FileReader) -> UInt64? {
    guard let bytes = try? files.read(path) else { return nil }
    var lines = ByteLines(bytes)
    guard var line = lines.next(), let field = line.nextField() else { return nil }
    return ByteNumber.unsigned(field)
}
