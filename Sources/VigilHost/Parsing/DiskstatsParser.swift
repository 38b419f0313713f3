/// /proc/diskstats, read as procfs 0.8 (node_exporter 1.5) reads it.
enum DiskstatsParser {
    /// The most statistics columns read after major, minor and name (kernel 5.5+ prints 17;
    /// later columns are ignored, as procfs ignores them).
    static let maxStats = 17
    /// Lines with fewer statistics than this (kernels before 2.6.25 print 4 for partitions)
    /// are skipped, as procfs skips them.
    static let minStats = 11

    /// One device line: numbers, name, and its statistics columns in file order
    /// (11 before 4.18, 15 from 4.18 with discards, 17 from 5.5 with flushes).
    struct Device {
        let major: UInt64
        let minor: UInt64
        let name: UnsafeRawBufferPointer
        let stats: UnsafeBufferPointer<UInt64>
    }

    /// Calls `body` for each device line with at least `minStats` statistics.
    /// A column that is not an unsigned integer is an error.
    static func forEachDevice(in bytes: UnsafeRawBufferPointer, _ body: (Device) -> Void) throws(HostParseError) {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: maxStats) { (stats: UnsafeMutableBufferPointer<UInt64>) throws(HostParseError) in
            var lines = ByteLines(bytes)
            while var line = lines.next() {
                guard line.fieldStart() < line.bytes.count else { continue }
                let major = try line.nextUnsigned(field: "major")
                let minor = try line.nextUnsigned(field: "minor")
                guard let name = line.nextField() else { continue }
                var count = 0
                while count < maxStats, line.fieldStart() < line.bytes.count {
                    stats[count] = try line.nextUnsigned(field: "\(name.text) column \(count + 4)")
                    count += 1
                }
                guard count >= minStats else { continue }
                body(Device(major: major, minor: minor, name: name,
                            stats: UnsafeBufferPointer(rebasing: stats[..<count])))
            }
        }
    }
}
