/// The Prometheus name rules, checked on UTF-8 bytes: label names `[a-zA-Z_][a-zA-Z0-9_]*`,
/// metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`.
enum LabelSyntax {
    /// Which of the two rules `bytes` satisfies, in one pass that stops once neither can hold.
    static func classify(_ bytes: UnsafeRawBufferPointer) -> (isLabelName: Bool, isMetricName: Bool) {
        guard !bytes.isEmpty else { return (false, false) }
        var isLabelName = true
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if isLetterOrUnderscore(byte) { continue }
            if byte == UInt8(ascii: ":") {
                isLabelName = false
            } else if index > 0, isDigit(byte) {
                continue
            } else {
                return (false, false)
            }
        }
        return (isLabelName, true)
    }

    @inline(__always)
    static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
