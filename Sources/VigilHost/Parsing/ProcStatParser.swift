/// Time one CPU spent in each mode, in seconds (USER_HZ ticks divided by 100, as procfs does).
struct CPUTimes: Equatable, Sendable {
    var user = 0.0
    var nice = 0.0
    var system = 0.0
    var idle = 0.0
    var iowait = 0.0
    var irq = 0.0
    var softirq = 0.0
    var steal = 0.0
    var guest = 0.0
    var guestNice = 0.0

    /// The /proc/stat columns in file order.
    static let columnNames = [
        "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice",
    ]

    /// The time of column `column` (0-based, in `columnNames` order).
    subscript(column column: Int) -> Double {
        get {
            switch column {
            case 0: user
            case 1: nice
            case 2: system
            case 3: idle
            case 4: iowait
            case 5: irq
            case 6: softirq
            case 7: steal
            case 8: guest
            default: guestNice
            }
        }
        set {
            switch column {
            case 0: user = newValue
            case 1: nice = newValue
            case 2: system = newValue
            case 3: idle = newValue
            case 4: iowait = newValue
            case 5: irq = newValue
            case 6: softirq = newValue
            case 7: steal = newValue
            case 8: guest = newValue
            default: guestNice = newValue
            }
        }
    }
}

/// The fields of /proc/stat that node_exporter 1.5's cpu and stat collectors export.
///
/// Fields the file lacks stay zero, as in procfs 0.8 (node_exporter then exports zeros).
struct ProcStat: Equatable, Sendable {
    /// Per-CPU times indexed by CPU number; numbers missing from the file (offline CPUs
    /// below the highest listed one) hold zeros, as procfs fills them.
    var cpus: [CPUTimes] = []
    var bootTime: UInt64 = 0
    var interrupts: UInt64 = 0
    var contextSwitches: UInt64 = 0
    var forks: UInt64 = 0
    var procsRunning: UInt64 = 0
    var procsBlocked: UInt64 = 0

    /// USER_HZ, which the kernel fixes at 100 for /proc/stat on every architecture.
    static let userHZ = 100.0

    /// Parses /proc/stat.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> ProcStat {
        var stat = ProcStat()
        try stat.parse(bytes)
        return stat
    }

    /// Replaces this value with the contents of /proc/stat, reusing `cpus`' storage.
    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) {
        cpus.removeAll(keepingCapacity: true)
        bootTime = 0
        interrupts = 0
        contextSwitches = 0
        forks = 0
        procsRunning = 0
        procsBlocked = 0
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            let keyStart = line.fieldStart()
            guard let key = line.nextField() else { continue }
            // procfs skips lines with fewer than two fields.
            guard line.fieldStart() < line.bytes.count else { continue }
            if key.starts(with: "cpu") {
                try parseCPU(key: key, keyStart: keyStart, line: &line)
            } else if key.equals("btime") {
                bootTime = try line.nextUnsigned(field: "btime")
            } else if key.equals("intr") {
                interrupts = try line.nextUnsigned(field: "intr")
            } else if key.equals("ctxt") {
                contextSwitches = try line.nextUnsigned(field: "ctxt")
            } else if key.equals("processes") {
                forks = try line.nextUnsigned(field: "processes")
            } else if key.equals("procs_running") {
                procsRunning = try line.nextUnsigned(field: "procs_running")
            } else if key.equals("procs_blocked") {
                procsBlocked = try line.nextUnsigned(field: "procs_blocked")
            }
        }
    }

    private mutating func parseCPU(key: UnsafeRawBufferPointer, keyStart: Int, line: inout ByteLine) throws(HostParseError) {
        let id = UnsafeRawBufferPointer(rebasing: key[3...])
        if id.isEmpty { return }  // the "cpu" line sums all CPUs; node_exporter does not export it
        guard let number = ByteNumber.unsigned(id), number < 65536 else {
            throw line.error(at: keyStart, field: "cpu number", reason: "\"\(key.text)\" is not cpu followed by a CPU number")
        }
        var times = CPUTimes()
        // Older kernels print fewer columns; procfs leaves the missing ones at zero.
        for column in 0..<CPUTimes.columnNames.count {
            guard line.fieldStart() < line.bytes.count else { break }
            times[column: column] = try line.nextDecimal(field: "\(key.text) column \(CPUTimes.columnNames[column])") / ProcStat.userHZ
        }
        let index = Int(number)
        if cpus.count <= index {
            cpus.append(contentsOf: repeatElement(CPUTimes(), count: index + 1 - cpus.count))
        }
        cpus[index] = times
    }
}
