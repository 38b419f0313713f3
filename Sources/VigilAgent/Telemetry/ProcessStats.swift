#if canImport(Glibc)
import Glibc
#endif

/// CPU time and resident memory of this process, as node_exporter's process collector names
/// them (`process_cpu_seconds_total`, `process_resident_memory_bytes`), from getrusage and
/// /proc/self/statm.
struct ProcessStats: Equatable, Sendable {
    var cpuSeconds: Double
    /// 0 when /proc/self/statm cannot be read.
    var residentBytes: Int

    static func current(procfs: String = "/proc") -> ProcessStats {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
        return ProcessStats(cpuSeconds: cpu, residentBytes: residentPages(procfs: procfs) * Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The second field of statm: resident pages.
    private static func residentPages(procfs: String) -> Int {
        let descriptor = open(procfs + "/self/statm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        guard let resident = buffer[..<count].split(separator: UInt8(ascii: " ")).dropFirst().first else { return 0 }
        return Int(String(decoding: resident, as: UTF8.self)) ?? 0
    }
}
