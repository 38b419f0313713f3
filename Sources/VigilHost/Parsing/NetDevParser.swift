/// /proc/net/dev, read as procfs 0.8 reads it.
enum NetDevParser {
    /// Counters per device: receive bytes, packets, errs, drop, fifo, frame, compressed,
    /// multicast, then transmit bytes, packets, errs, drop, fifo, colls, carrier, compressed.
    static let counterCount = 16

    struct Device {
        let name: UnsafeRawBufferPointer
        let counters: UnsafeBufferPointer<UInt64>
    }

    /// Calls `body` for each device line after the two header lines. The name is everything
    /// before the line's last colon, trimmed; long names touch the colon and the first counter
    /// may touch it too (`enp0s31f6:123`). A missing or non-numeric counter is an error.
    static func forEachDevice(in bytes: UnsafeRawBufferPointer, _ body: (Device) -> Void) throws(HostParseError) {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: counterCount) { (counters: UnsafeMutableBufferPointer<UInt64>) throws(HostParseError) in
            var lines = ByteLines(bytes)
            _ = lines.next()
            _ = lines.next()
            while let whole = lines.next() {
                guard let colon = whole.bytes.lastIndex(of: UInt8(ascii: ":")) else {
                    if whole.fieldStart() == whole.bytes.count { continue }
                    throw whole.error(at: 0, field: "interface", reason: "no colon after the interface name")
                }
                var nameLine = ByteLine(bytes: UnsafeRawBufferPointer(rebasing: whole.bytes[..<colon]), number: whole.number, offset: whole.offset)
                guard let name = nameLine.nextField(), nameLine.nextField() == nil else {
                    throw whole.error(at: 0, field: "interface", reason: "the interface name before the colon is empty or has blanks")
                }
                var line = ByteLine(bytes: UnsafeRawBufferPointer(rebasing: whole.bytes[(colon + 1)...]), number: whole.number, offset: whole.offset + colon + 1)
                for index in 0..<counterCount {
                    counters[index] = try line.nextUnsigned(field: "\(name.text) \(NetDevParser.columnNames[index])")
                }
                body(Device(name: name, counters: UnsafeBufferPointer(counters)))
            }
        }
    }

    /// The counters' column names, as node_exporter names them (`receive_errs` and so on).
    static let columnNames = [
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop",
        "receive_fifo", "receive_frame", "receive_compressed", "receive_multicast",
        "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop",
        "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed",
    ]
}
