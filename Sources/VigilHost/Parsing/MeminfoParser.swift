/// /proc/meminfo, read as node_exporter 1.5's meminfo collector reads it.
enum MeminfoParser {
    /// One line: the key without its colon (`Active(anon)`), the value, and whether the line
    /// had a unit. With a unit (always `kB`) the value is already converted to bytes.
    struct Field {
        let key: UnsafeRawBufferPointer
        let value: Double
        let hasUnit: Bool
    }

    /// Calls `body` for each line in file order. Empty lines are skipped; a line with other
    /// than two or three fields, or a value that is not a number, is an error.
    static func forEachField(in bytes: UnsafeRawBufferPointer, _ body: (Field) -> Void) throws(HostParseError) {
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard let rawKey = line.nextField() else { continue }
            // node_exporter drops the key's last byte, the colon.
            let key = UnsafeRawBufferPointer(rebasing: rawKey[..<(rawKey.count - 1)])
            var value = try line.nextDecimal(field: "value of \(key.text)")
            let hasUnit = line.nextField() != nil
            let extraStart = line.fieldStart()
            if line.nextField() != nil {
                throw line.error(at: extraStart, field: "\(key.text)", reason: "more than three fields (key, value, unit) on the line")
            }
            if hasUnit { value *= 1024 }
            body(Field(key: key, value: value, hasUnit: hasUnit))
        }
    }

    /// The node_exporter metric name for a key: `Active(anon)` becomes
    /// `node_memory_Active_anon_bytes` (everything from the first `(` to the last `)` is
    /// replaced by `_` and the text inside), and `_bytes` is added when the line had a unit.
    static func metricName(key: String, hasUnit: Bool) -> String {
        var name = key
        if let open = key.firstIndex(of: "("),
           let close = key[open...].lastIndex(of: ")") {
            name = key[..<open] + "_" + key[key.index(after: open)..<close] + key[key.index(after: close)...]
        }
        return "node_memory_" + name + (hasUnit ? "_bytes" : "")
    }
}
