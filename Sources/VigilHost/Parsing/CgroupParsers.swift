/// The cgroup v2 interface files `CgroupReader` reads (Documentation/admin-guide/cgroup-v2.rst).
/// Pressure files have the /proc/pressure layout and go through `PressureParser`.
enum CgroupParser {
    /// `cpu.stat`: the `usage_usec`, `user_usec` and `system_usec` keys, in microseconds; nil
    /// for a key the file lacks. Other keys (nr_periods, throttled_usec, ...) are ignored.
    static func cpuStat(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> (usage: UInt64?, user: UInt64?, system: UInt64?) {
        var usage: UInt64?
        var user: UInt64?
        var system: UInt64?
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard let key = line.nextField() else { continue }
            if key.equals("usage_usec") {
                usage = try line.nextUnsigned(field: "usage_usec")
            } else if key.equals("user_usec") {
                user = try line.nextUnsigned(field: "user_usec")
            } else if key.equals("system_usec") {
                system = try line.nextUnsigned(field: "system_usec")
            }
        }
        return (usage, user, system)
    }

    /// A single-value file such as `memory.current` or `memory.max`: an unsigned integer, or
    /// `max` (no limit), returned as +infinity.
    static func limit(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> Double {
        var lines = ByteLines(bytes)
        guard var line = lines.next(), let field = line.nextField() else {
            throw HostParseError(line: 1, byteOffset: 0, field: "value", reason: "the file is empty")
        }
        if field.equals("max") { return .infinity }
        guard let value = ByteNumber.unsigned(field) else {
            throw line.error(at: line.position - field.count, field: "value", reason: "\"\(field.text)\" is neither an unsigned integer nor max")
        }
        return Double(value)
    }

    /// `io.stat`: `rbytes=` and `wbytes=` summed over the device lines (`MAJ:MIN rbytes=... wbytes=...
    /// rios=... wios=... dbytes=... dios=...`). An empty file (no I/O yet) gives zeros.
    static func ioBytes(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> (read: UInt64, written: UInt64) {
        var read: UInt64 = 0
        var written: UInt64 = 0
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard line.nextField() != nil else { continue }
            while let field = line.nextField() {
                let isRead = field.starts(with: "rbytes=")
                guard isRead || field.starts(with: "wbytes=") else { continue }
                guard let value = ByteNumber.unsigned(UnsafeRawBufferPointer(rebasing: field[7...])) else {
                    throw line.error(at: line.position - field.count, field: isRead ? "rbytes" : "wbytes", reason: "\"\(field.text)\" is not key= and an unsigned integer")
                }
                if isRead { read &+= value } else { written &+= value }
            }
        }
        return (read, written)
    }
}
