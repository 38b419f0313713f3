/// /proc/loadavg: the 1, 5 and 15 minute load averages.
enum LoadavgParser {
    /// The first three fields as numbers; fewer fields or a non-number is an error.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> (load1: Double, load5: Double, load15: Double) {
        var lines = ByteLines(bytes)
        guard var line = lines.next() else {
            throw HostParseError(line: 1, byteOffset: 0, field: "load1", reason: "the file is empty")
        }
        let load1 = try line.nextDecimal(field: "load1")
        let load5 = try line.nextDecimal(field: "load5")
        let load15 = try line.nextDecimal(field: "load15")
        return (load1, load5, load15)
    }
}
