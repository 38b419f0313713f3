/// Single-line strings: "basic" with escapes and 'literal' without.
extension TOMLParser {
    /// Parses a `"basic string"` starting at `offset`, resolving escapes.
    mutating func parseBasicString() throws(ParseFailure) -> String {
        let start = position(at: offset)
        offset += 1
        var out: [UInt8] = []
        while true {
            let runStart = offset
            while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"),
                !TOMLParser.isControl(byte)
            {
                offset += 1
            }
            out.append(contentsOf: bytes[runStart..<offset])
            switch peek() {
            case UInt8(ascii: "\"")?:
                offset += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\")?:
                try appendEscape(to: &out)
            default:
                throw stringFailure(openedAt: start, quote: "\"")
            }
        }
    }

    /// Parses a `'literal string'` starting at `offset`; backslashes are kept as written.
    mutating func parseLiteralString() throws(ParseFailure) -> String {
        let start = position(at: offset)
        offset += 1
        let first = offset
        while let byte = peek(), byte != UInt8(ascii: "'"), !TOMLParser.isControl(byte) { offset += 1 }
        guard peek() == UInt8(ascii: "'") else { throw stringFailure(openedAt: start, quote: "'") }
        offset += 1
        return String(decoding: bytes[first..<(offset - 1)], as: UTF8.self)
    }

    /// Control characters other than tab may not appear in strings or comments.
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    /// The string stopped at a line end, the end of the text or a control character.
    private mutating func stringFailure(openedAt start: SourcePosition, quote: String) -> ParseFailure {
        if let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            return ParseFailure(
                .syntax, at: position(at: offset), "control character \(describe(at: offset)) in a string",
                hint: quote == "\""
                    ? "write it as an escape such as \\t or \\u0007" : "use a \"basic string\" with an escape")
        }
        return ParseFailure(
            .syntax, at: start, "string opened here is not closed on its line",
            hint: "add the closing \(quote); multi-line strings are not supported, use \\n for line breaks")
    }

    /// Resolves the escape at `offset` (a backslash) and appends its UTF-8 bytes.
    private mutating func appendEscape(to out: inout [UInt8]) throws(ParseFailure) {
        let backslash = offset
        offset += 1
        let simple: UInt8?
        switch peek() {
        case UInt8(ascii: "b")?: simple = 0x08
        case UInt8(ascii: "t")?: simple = 0x09
        case UInt8(ascii: "n")?: simple = 0x0A
        case UInt8(ascii: "f")?: simple = 0x0C
        case UInt8(ascii: "r")?: simple = 0x0D
        case UInt8(ascii: "\"")?: simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\")?: simple = UInt8(ascii: "\\")
        case UInt8(ascii: "u")?, UInt8(ascii: "U")?: simple = nil
        default:
            let found = peek().map { $0 >= 0x21 && $0 < 0x7F ? "\\" + String(UnicodeScalar($0)) : "\\" } ?? "\\"
            throw ParseFailure(
                .syntax, at: position(at: backslash), "invalid escape \(found) in a string",
                hint: #"valid escapes are \" \\ \b \f \n \r \t \uXXXX \UXXXXXXXX; "#
                    + "for paths with backslashes use a 'literal string'")
        }
        if let simple {
            out.append(simple)
            offset += 1
            return
        }
        let width = peek() == UInt8(ascii: "u") ? 4 : 8
        offset += 1
        var code: UInt32 = 0
        for _ in 0..<width {
            guard let byte = peek(), let digit = TOMLParser.hexValue(byte) else {
                throw ParseFailure(
                    .syntax, at: position(at: backslash), "\\\(width == 4 ? "u" : "U") needs \(width) hex digits",
                    hint: width == 4 ? "write it as \\u00E9" : "write it as \\U0001F600")
            }
            code = code << 4 | digit
            offset += 1
        }
        guard let scalar = Unicode.Scalar(code), let encoded = UTF8.encode(scalar) else {
            throw ParseFailure(
                .syntax, at: position(at: backslash),
                "escape \(String(decoding: bytes[backslash..<offset], as: UTF8.self)) is not a Unicode scalar value",
                hint: "use a code point up to 10FFFF that is not a surrogate (D800-DFFF)")
        }
        out.append(contentsOf: encoded)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
