/// /proc/vmstat: one `name value` pair per line.
enum VmstatParser {
    /// Calls `body` for each line's name and value. A line without a numeric second field is an
    /// error (node_exporter parses every value before filtering names).
    static func forEachField(in bytes: UnsafeRawBufferPointer, _ body: (_ name: UnsafeRawBufferPointer, _ value: Double) -> Void) throws(HostParseError) {
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard let name = line.nextField() else { continue }
            let value = try line.nextDecimal(field: "value of \(name.text)")
            body(name, value)
        }
    }
}
