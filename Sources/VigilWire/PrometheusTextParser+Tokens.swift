// Tokens and positions of PrometheusTextParser: the byte-level reading its line rules use.

extension PrometheusTextParser {
    /// A label value after its opening quote, through the closing quote, with `\\`, `\"`
    /// and `\n` resolved.
    mutating func readLabelValue() throws(PrometheusTextError) -> String {
        let start = position
        var unescaped: [UInt8]?
        while true {
            guard !atLineEnd else { throw error(at: start - 1, "label value is not closed before the end of the line") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let value = unescaped.map { String(decoding: $0, as: UTF8.self) }
                    ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return value
            }
            if byte == UInt8(ascii: "\\") {
                if unescaped == nil { unescaped = Array(bytes[start..<position]) }
                let escapeStart = position
                position += 1
                guard !atLineEnd else { throw error(at: escapeStart, "label value is not closed before the end of the line") }
                switch bytes[position] {
                case UInt8(ascii: "\\"): unescaped!.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): unescaped!.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): unescaped!.append(UInt8(ascii: "\n"))
                default:
                    throw error(at: escapeStart, "invalid escape sequence in label value (only \\\\, \\\" and \\n are allowed)")
                }
            } else {
                unescaped?.append(byte)
            }
            position += 1
        }
    }

    /// A metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) or label name (`[a-zA-Z_][a-zA-Z0-9_]*`);
    /// empty when none starts here.
    mutating func readName(metric: Bool) -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let allowed = LabelSyntax.isLetterOrUnderscore(byte) || (metric && byte == UInt8(ascii: ":"))
                || (position > start && LabelSyntax.isDigit(byte))
            guard allowed else { break }
            position += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// The run of non-blank bytes up to the end of the line.
    mutating func token() -> String {
        let start = position
        while !atLineEnd, !isBlank(bytes[position]) { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func expect(_ character: Unicode.Scalar, _ context: String) throws(PrometheusTextError) {
        guard !atLineEnd, bytes[position] == UInt8(ascii: character) else {
            throw error(at: position, "expected '\(character)' \(context), found \(describeCurrent())")
        }
        position += 1
    }

    var atLineEnd: Bool { position >= bytes.count || bytes[position] == UInt8(ascii: "\n") }

    func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    mutating func skipBlanks() {
        while position < bytes.count, isBlank(bytes[position]) { position += 1 }
    }

    mutating func skipToLineEnd() {
        while !atLineEnd { position += 1 }
    }

    /// Steps over the newline ending the current line.
    mutating func nextLine() {
        guard position < bytes.count else { return }
        position += 1
        line += 1
        lineStart = position
    }

    func describeCurrent() -> String {
        guard position < bytes.count else { return "the end of the input" }
        if bytes[position] == UInt8(ascii: "\n") { return "the end of the line" }
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self))'"
    }

    func error(at offset: Int, _ message: String) -> PrometheusTextError {
        let scalarsBefore = bytes[lineStart..<offset].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return PrometheusTextError(line: line, column: scalarsBefore + 1, message: message)
    }
}
