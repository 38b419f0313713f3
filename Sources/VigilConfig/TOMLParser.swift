/// Reads the accepted TOML subset from UTF-8 bytes into a `TableTree`, collecting errors.
///
/// One pass over the bytes; positions are computed only for keys, values and errors.
/// Statement level: blank lines, comments, `[header]`, `[[header]]` and `key = value` lines.
/// Values live in TOMLParser+Values.swift and strings in TOMLParser+Strings.swift.
struct TOMLParser {
    /// Arrays and inline tables nested deeper than this are rejected, which bounds recursion.
    static let maxNesting = 32
    /// Keys with more dotted parts than this are rejected, which bounds table depth.
    static let maxKeyParts = 32

    let bytes: [UInt8]
    let file: String
    var offset = 0
    private(set) var errors: [ConfigError] = []
    var tree = TableTree()
    /// Open arrays and inline tables around `offset`; an error inside an array ends the parse.
    var arrayDepth = 0
    var nesting = 0
    private var line = 1
    private var lineStart = 0
    private var columnCache = (offset: 0, column: 1)

    init(text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            offset = 3
            lineStart = 3
            columnCache = (3, 1)
        }
    }

    /// Parses the whole text; errors land in `errors` and the returned table holds what parsed.
    mutating func parseDocument() -> ConfigValue.Table {
        var table = TableTree.root
        var tablePath: [String] = []
        while offset < bytes.count, errors.count < ConfigErrors.limit {
            skipBlanks()
            let isHeader = peek() == UInt8(ascii: "[")
            do throws(ParseFailure) {
                if isHeader {
                    (table, tablePath) = try parseHeader()
                } else if let byte = peek(), !isLineEnd(byte) {
                    try parseKeyValue(into: table, tablePath: tablePath)
                }
                try endLine()
            } catch {
                errors.append(error.error(file: file))
                if arrayDepth > 0 { break }
                if isHeader {
                    // Keys after a bad header go to a detached table, not into the previous one.
                    table = tree.newTable(origin: .header, at: error.position)
                    tablePath = []
                }
                nesting = 0
                skipRestOfLine()
            }
        }
        return tree.freeze(TableTree.root)
    }

    // MARK: Statements

    private mutating func parseHeader() throws(ParseFailure) -> (Int, [String]) {
        let open = position(at: offset)
        offset += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { offset += 1 }
        let path = try parseKey()
        skipBlanks()
        let names = path.map(\.name)
        let close = isArray ? "]]" : "]"
        guard peek() == UInt8(ascii: "]"), !isArray || peek(at: offset + 1) == UInt8(ascii: "]") else {
            // For `[[a]`, point past the single bracket at what should be the second one.
            if peek() == UInt8(ascii: "]") { offset += 1 }
            throw ParseFailure(
                .syntax, at: position(at: offset), keyPath: KeyText.render(names),
                "expected \(close) to close the header opened at column \(open.column), found \(describe(at: offset))",
                hint: "write [name] or [[name]]; put names with other characters than A-Z a-z 0-9 _ - in quotes")
        }
        offset += close.utf8.count
        let table = isArray ? try tree.appendTableArrayElement(path) : try tree.defineTable(path)
        return (table, names)
    }

    private mutating func parseKeyValue(into table: Int, tablePath: [String]) throws(ParseFailure) {
        let key = try parseKey()
        let path = tablePath + key.map(\.name)
        let rendered = KeyText.render(path)
        try expectEquals(after: key)
        let value: ConfigValue
        do throws(ParseFailure) {
            value = try parseValue(path: path)
        } catch {
            var failure = error
            if failure.keyPath.isEmpty { failure.keyPath = rendered }
            throw failure
        }
        try tree.insert(key, value: value, into: table, tablePath: tablePath)
    }

    /// Skips blanks, requires `=` and skips the blanks after it.
    mutating func expectEquals(after key: [KeyPart]) throws(ParseFailure) {
        skipBlanks()
        guard peek() == UInt8(ascii: "=") else {
            let found = peek()
            let hint = found.map(isLineEnd) ?? true
                ? "write key = value on one line"
                : "bare keys may contain only A-Z a-z 0-9 _ -; put other keys in double quotes"
            throw ParseFailure(
                .syntax, at: position(at: offset), keyPath: KeyText.render(key.map(\.name)),
                "expected = after key \(KeyText.quote(key[key.count - 1].name)), found \(describe(at: offset))",
                hint: hint)
        }
        offset += 1
        skipBlanks()
    }

    // MARK: Keys

    /// A bare, quoted or dotted key; blanks around the dots are allowed.
    mutating func parseKey() throws(ParseFailure) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipBlanks()
            parts.append(try parseSimpleKey())
            if parts.count > TOMLParser.maxKeyParts {
                throw ParseFailure(
                    .syntax, at: parts[0].position, "key has more than \(TOMLParser.maxKeyParts) dotted parts",
                    hint: "use a shorter key")
            }
            skipBlanks()
            guard peek() == UInt8(ascii: ".") else { return parts }
            offset += 1
        }
    }

    private mutating func parseSimpleKey() throws(ParseFailure) -> KeyPart {
        let start = position(at: offset)
        switch peek() {
        case UInt8(ascii: "\"")?:
            return KeyPart(name: try parseBasicString(), position: start)
        case UInt8(ascii: "'")?:
            return KeyPart(name: try parseLiteralString(), position: start)
        case let byte? where KeyText.isBareKeyByte(byte):
            let first = offset
            while let next = peek(), KeyText.isBareKeyByte(next) { offset += 1 }
            return KeyPart(name: String(decoding: bytes[first..<offset], as: UTF8.self), position: start)
        default:
            let hint = peek() == UInt8(ascii: "=")
                ? "a key is missing before ="
                : "bare keys may contain only A-Z a-z 0-9 _ -; put other keys in double quotes"
            throw ParseFailure(.syntax, at: start, "expected a key, found \(describe(at: offset))", hint: hint)
        }
    }

    // MARK: Lines, blanks and comments

    func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    func peek(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    func isLineEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "#")
    }

    mutating func skipBlanks() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { offset += 1 }
    }

    /// Requires the end of a statement: blanks, an optional comment, then a newline or the end.
    private mutating func endLine() throws(ParseFailure) {
        skipBlanks()
        try skipComment()
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw ParseFailure(
                .syntax, at: position(at: offset), "expected the end of the line, found \(describe(at: offset))",
                hint: "put each key = value and each [header] on its own line")
        }
        try consumeNewline()
    }

    /// Skips a `#` comment up to (not including) the line end.
    mutating func skipComment() throws(ParseFailure) {
        guard peek() == UInt8(ascii: "#") else { return }
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r"), peek(at: offset + 1) == UInt8(ascii: "\n") { return }
            if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
                throw ParseFailure(
                    .syntax, at: position(at: offset), "control character \(describe(at: offset)) in a comment",
                    hint: "remove it; comments may hold any text but control characters")
            }
            offset += 1
        }
    }

    /// Consumes `\n` or `\r\n` at `offset`.
    mutating func consumeNewline() throws(ParseFailure) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(at: offset + 1) == UInt8(ascii: "\n") else {
                throw ParseFailure(
                    .syntax, at: position(at: offset), "carriage return without a line feed",
                    hint: "save the file with Unix (LF) or Windows (CRLF) line endings")
            }
            offset += 1
        }
        offset += 1
        line += 1
        lineStart = offset
        columnCache = (offset, 1)
    }

    /// After an error: drops the rest of the line and its newline.
    private mutating func skipRestOfLine() {
        while let byte = peek(), byte != UInt8(ascii: "\n") { offset += 1 }
        if peek() != nil {
            offset += 1
            line += 1
            lineStart = offset
            columnCache = (offset, 1)
        }
    }

    // MARK: Positions and messages

    /// The position of `target`, which must lie on the current line.
    mutating func position(at target: Int) -> SourcePosition {
        var (from, column) = columnCache.offset <= target ? columnCache : (lineStart, 1)
        while from < target {
            if bytes[from] & 0xC0 != 0x80 { column += 1 }
            from += 1
        }
        columnCache = (target, column)
        return SourcePosition(line: line, column: column)
    }

    /// The character at `index` for messages: `'x'`, `end of line`, `end of file` or `U+0007`.
    func describe(at index: Int) -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "end of line"
        case UInt8(ascii: "'"): return "\"'\""
        case 0x21..<0x7F: return "'" + String(UnicodeScalar(byte)) + "'"
        default: break
        }
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return "an invalid byte" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
            ? code : "'\(scalar)' (\(code))"
    }
}
