/// One /proc/pressure/<resource> file (pressure stall information, Linux 4.20+).
enum PressureParser {
    /// The `total=` microsecond counters of the `some` and `full` lines; nil for a line the
    /// file lacks (the cpu file has no `full` line before Linux 5.13).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> (some: UInt64?, full: UInt64?) {
        var some: UInt64?
        var full: UInt64?
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard let kind = line.nextField() else { continue }
            let isSome = kind.equals("some")
            guard isSome || kind.equals("full") else { continue }
            var total: UInt64?
            while let field = line.nextField() {
                if field.starts(with: "total=") {
                    let digits = UnsafeRawBufferPointer(rebasing: field[6...])
                    guard let value = ByteNumber.unsigned(digits) else {
                        throw line.error(at: line.position - field.count, field: "\(kind.text) total", reason: "\"\(field.text)\" is not total= and an unsigned integer")
                    }
                    total = value
                }
            }
            guard let total else {
                throw line.error(at: 0, field: "\(kind.text) total", reason: "the line has no total= field")
            }
            if isSome { some = total } else { full = total }
        }
        return (some, full)
    }
}
