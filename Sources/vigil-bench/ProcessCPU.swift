import Foundation

/// CPU time and memory of a process, read from /proc (proc(5)).
enum ProcessCPU {
    /// User + system CPU seconds of every thread of `pid`, live and exited, from fields 14
    /// (utime) and 15 (stime) of /proc/PID/stat. The kernel counts them in clock ticks
    /// (`sysconf(_SC_CLK_TCK)`, 100 per second here), so a difference of two readings is
    /// exact only to 1/CLK_TCK s. Nil when the process is gone or the line is malformed.
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // The command (field 2) may hold spaces and parentheses, so split after its last ')'.
        // There field 3 (state) is index 0: field N is index N - 3, utime 11, stime 12.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmRSS of `pid` in bytes: memory resident now.
    static func residentBytes(pid: Int32) -> Int? {
        statusKiB(pid: pid, key: "VmRSS").map { $0 * 1024 }
    }

    /// VmHWM of `pid` in bytes: the most memory that was ever resident at once.
    static func peakResidentBytes(pid: Int32) -> Int? {
        statusKiB(pid: pid, key: "VmHWM").map { $0 * 1024 }
    }

    /// This process's user + system CPU seconds (getrusage, microsecond resolution).
    static func selfSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The number on the line `KEY:   1234 kB` of /proc/PID/status.
    private static func statusKiB(pid: Int32, key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let prefix = key + ":"
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let value = line.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return value.first.flatMap { Int($0) }
        }
        return nil
    }
}
