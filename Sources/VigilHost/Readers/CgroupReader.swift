import Glibc

/// Vigil's own cgroup collector (node_exporter has none): CPU, memory, I/O and pressure per
/// cgroup v2 control group under `<sysfs>/fs/cgroup`, or `<sysfs>/fs/cgroup/unified` on hosts
/// with the hybrid v1/v2 layout. Each series carries a `cgroup` label with the group's path
/// relative to the root ("/system.slice/nginx.service").
///
/// The walk visits directories up to `maxDepth` levels below the root in the order the kernel
/// lists them (stable from read to read), skips the root itself, and emits at most `maxCount`
/// groups that pass the filters; it stops walking once that many are found. Directories are
/// recognised by `d_type`, which cgroupfs always fills in. Per visited directory the walk costs
/// one opendir(3), whose buffer is the only allocation of a steady-state call. The filter answer
/// and the series labels are computed once per group path and kept while the group exists.
///
/// A file the group lacks (controller not enabled for it, kernel without PSI, group removed
/// during the walk) is skipped quietly; a file that does not parse fails the collector.
final class CgroupReader: HostReader {
    let collector = HostCollector.cgroup

    /// The interface files read per group, in `files` order.
    private enum File: Int, CaseIterable {
        case cpuStat, memoryCurrent, memoryMax, ioStat, cpuPressure, memoryPressure, ioPressure

        var name: String {
            switch self {
            case .cpuStat: "cpu.stat"
            case .memoryCurrent: "memory.current"
            case .memoryMax: "memory.max"
            case .ioStat: "io.stat"
            case .cpuPressure: "cpu.pressure"
            case .memoryPressure: "memory.pressure"
            case .ioPressure: "io.pressure"
            }
        }
    }

    /// The series per group, in `slots` order.
    static let metricNames = [
        "vigil_cgroup_cpu_usage_seconds_total",
        "vigil_cgroup_cpu_user_seconds_total",
        "vigil_cgroup_cpu_system_seconds_total",
        "vigil_cgroup_memory_current_bytes",
        "vigil_cgroup_memory_max_bytes",
        "vigil_cgroup_io_read_bytes_total",
        "vigil_cgroup_io_written_bytes_total",
        "vigil_cgroup_pressure_cpu_waiting_seconds_total",
        "vigil_cgroup_pressure_cpu_stalled_seconds_total",
        "vigil_cgroup_pressure_memory_waiting_seconds_total",
        "vigil_cgroup_pressure_memory_stalled_seconds_total",
        "vigil_cgroup_pressure_io_waiting_seconds_total",
        "vigil_cgroup_pressure_io_stalled_seconds_total",
    ]

    private struct Group {
        /// Nil for a group the filters leave out.
        var slots: [SeriesSlot]?
        let files: [CPath]
    }

    private let host: String
    private let include: HostFilterPattern?
    private let exclude: HostFilterPattern?
    private let maxCount: Int
    private let maxDepth: Int
    /// Candidate roots with the file that proves each is a cgroup v2 root.
    private let roots: [(root: String, probe: CPath)]
    private var groups = NamedSlots<Group>()
    /// The directory being walked, absolute, without a terminating NUL.
    private var path: [UInt8] = []
    private var rootLength = 0

    init(sysfs: String, host: String, include: HostFilterPattern?, exclude: HostFilterPattern?, maxCount: Int, maxDepth: Int) {
        self.host = host
        self.include = include
        self.exclude = exclude
        self.maxCount = maxCount
        self.maxDepth = maxDepth
        roots = ["fs/cgroup", "fs/cgroup/unified"].map { relative in
            let root = CPath(root: sysfs, relative).text
            return (root, CPath(root: root, "cgroup.controllers"))
        }
        path.reserveCapacity(4096)
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        guard let root = roots.first(where: { $0.probe.withCString { access($0, F_OK) } == 0 }) else {
            return .unavailable
        }
        path.removeAll(keepingCapacity: true)
        path.append(contentsOf: root.root.utf8)
        while path.count > 1, path.last == UInt8(ascii: "/") { path.removeLast() }
        rootLength = path.count
        var groups = NamedSlots<Group>()
        swap(&groups, &self.groups)
        defer { swap(&groups, &self.groups) }
        groups.beginPass()
        var emitted = 0
        if maxDepth >= 1 { try walk(depth: 1, groups: &groups, sink: &sink, files: files, emitted: &emitted) }
        groups.endPass()
        return .collected
    }

    /// Visits the subdirectories of `path`, emitting each included group before its children.
    private func walk(depth: Int, groups: inout NamedSlots<Group>, sink: inout SampleSink, files: FileReader, emitted: inout Int) throws(HostReadError) {
        path.append(0)
        let directory = path.withUnsafeBufferPointer { buffer in
            UnsafeRawPointer(buffer.baseAddress!).withMemoryRebound(to: CChar.self, capacity: buffer.count) { opendir($0) }
        }
        path.removeLast()
        guard let directory else { return }
        defer { closedir(directory) }
        let parentLength = path.count
        while emitted < maxCount, let entry = readdir(directory) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let nameLength = strlen(name.assumingMemoryBound(to: CChar.self))
            let nameBytes = UnsafeRawBufferPointer(start: name, count: nameLength)
            if nameBytes.equals(".") || nameBytes.equals("..") { continue }
            path.append(UInt8(ascii: "/"))
            path.append(contentsOf: nameBytes)
            let found = path.withUnsafeBytes { bytes in
                groups.find(UnsafeRawBufferPointer(rebasing: bytes[rootLength...]), make: makeGroup)
            }
            if let index = found, groups[index].slots != nil {
                try CgroupReader.emit(&groups[index], into: &sink, files: files)
                emitted += 1
            }
            if depth < maxDepth {
                try walk(depth: depth + 1, groups: &groups, sink: &sink, files: files, emitted: &emitted)
            }
            path.removeLast(path.count - parentLength)
        }
    }

    private static func emit(_ group: inout Group, into sink: inout SampleSink, files: FileReader) throws(HostReadError) {
        if let bytes = try optional(group.files[File.cpuStat.rawValue], files) {
            let cpu = try parsed(group.files[File.cpuStat.rawValue]) { () throws(HostParseError) in try CgroupParser.cpuStat(bytes) }
            emitSeconds(cpu.usage, 0, &group, &sink)
            emitSeconds(cpu.user, 1, &group, &sink)
            emitSeconds(cpu.system, 2, &group, &sink)
        }
        try emitLimit(.memoryCurrent, 3, &group, &sink, files)
        try emitLimit(.memoryMax, 4, &group, &sink, files)
        if let bytes = try optional(group.files[File.ioStat.rawValue], files) {
            let io = try parsed(group.files[File.ioStat.rawValue]) { () throws(HostParseError) in try CgroupParser.ioBytes(bytes) }
            sink.emit(&group.slots![5], Double(io.read))
            sink.emit(&group.slots![6], Double(io.written))
        }
        try emitPressure(.cpuPressure, 7, &group, &sink, files)
        try emitPressure(.memoryPressure, 9, &group, &sink, files)
        try emitPressure(.ioPressure, 11, &group, &sink, files)
    }

    private static func emitLimit(_ file: File, _ slot: Int, _ group: inout Group, _ sink: inout SampleSink, _ files: FileReader) throws(HostReadError) {
        let path = group.files[file.rawValue]
        guard let bytes = try optional(path, files) else { return }
        let value = try parsed(path) { () throws(HostParseError) in try CgroupParser.limit(bytes) }
        sink.emit(&group.slots![slot], value)
    }

    /// The `some` total into `slot`, the `full` total (when the file has one) into `slot + 1`.
    private static func emitPressure(_ file: File, _ slot: Int, _ group: inout Group, _ sink: inout SampleSink, _ files: FileReader) throws(HostReadError) {
        let path = group.files[file.rawValue]
        guard let bytes = try optional(path, files) else { return }
        let totals = try parsed(path) { () throws(HostParseError) in try PressureParser.parse(bytes) }
        emitSeconds(totals.some, slot, &group, &sink)
        emitSeconds(totals.full, slot + 1, &group, &sink)
    }

    /// Microseconds as seconds (divided twice by 1000, as node_exporter does for pressure);
    /// nothing for a key the file lacks.
    @inline(__always)
    private static func emitSeconds(_ microseconds: UInt64?, _ slot: Int, _ group: inout Group, _ sink: inout SampleSink) {
        guard let microseconds else { return }
        sink.emit(&group.slots![slot], Double(microseconds) / 1000.0 / 1000.0)
    }

    /// The file's bytes, or nil when the group does not have it (ENOENT: controller not enabled
    /// or group removed; ENODEV: group removed while open; EOPNOTSUPP: PSI disabled).
    private static func optional(_ path: CPath, _ files: FileReader) throws(HostReadError) -> UnsafeRawBufferPointer? {
        do {
            return try files.read(path)
        } catch {
            switch error {
            case .openFailed(_, let code) where code == ENOENT,
                 .readFailed(_, let code) where code == ENODEV || code == EOPNOTSUPP || code == ENOENT:
                return nil
            default:
                throw error
            }
        }
    }

    private static func parsed<T>(_ path: CPath, _ parse: () throws(HostParseError) -> T) throws(HostReadError) -> T {
        do {
            return try parse()
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
    }

    private func makeGroup(_ relative: String) -> Group {
        let included = (include?.matches(relative) ?? true) && !(exclude?.matches(relative) ?? false)
        guard included else { return Group(slots: nil, files: []) }
        let directory = String(decoding: path, as: UTF8.self)
        return Group(
            slots: CgroupReader.metricNames.map { SeriesSlot(name: $0, host: host, [("cgroup", relative)]) },
            files: File.allCases.map { CPath(root: directory, $0.name) })
    }
}
