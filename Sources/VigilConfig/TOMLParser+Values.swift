/// Values: dispatch on the first character, arrays and inline tables. Strings are in
/// TOMLParser+Strings.swift, booleans and numbers in TOMLParser+Numbers.swift.
extension TOMLParser {
    /// Parses the value at `offset`; `path` is the key it belongs to, for messages about inline tables.
    mutating func parseValue(path: [String]) throws(ParseFailure) -> ConfigValue {
        let start = position(at: offset)
        guard let byte = peek(), !isLineEnd(byte) else {
            throw ParseFailure(
                .syntax, at: start, "missing value after =",
                hint: "write a value such as \"text\", 10, true or [\"a\", \"b\"]")
        }
        switch byte {
        case UInt8(ascii: "\""):
            if bytes[offset...].starts(with: #"""""#.utf8) { throw multiLineString(at: start, quote: #"""""#) }
            return ConfigValue(.string(try parseBasicString()), at: start)
        case UInt8(ascii: "'"):
            if bytes[offset...].starts(with: "'''".utf8) { throw multiLineString(at: start, quote: "'''") }
            return ConfigValue(.string(try parseLiteralString()), at: start)
        case UInt8(ascii: "["):
            return try parseArray(at: start, path: path)
        case UInt8(ascii: "{"):
            return try parseInlineTable(at: start, path: path)
        default:
            return try parseBareValue(at: start)
        }
    }

    private func multiLineString(at start: SourcePosition, quote: String) -> ParseFailure {
        ParseFailure(
            .unsupported, at: start, "multi-line strings (\(quote)) are not supported",
            hint: "write the string on one line, with \\n for line breaks")
    }

    // MARK: Arrays and inline tables

    private mutating func enterNesting(at start: SourcePosition) throws(ParseFailure) {
        nesting += 1
        if nesting > TOMLParser.maxNesting {
            throw ParseFailure(
                .syntax, at: start, "arrays and inline tables are nested deeper than \(TOMLParser.maxNesting) levels",
                hint: "flatten the value")
        }
    }

    /// `[ value, value, ]`: may span lines and hold comments; a trailing comma is allowed.
    private mutating func parseArray(at start: SourcePosition, path: [String]) throws(ParseFailure) -> ConfigValue {
        arrayDepth += 1
        try enterNesting(at: start)
        offset += 1
        var elements: [ConfigValue] = []
        while true {
            try skipArrayFiller(openedAt: start)
            if peek() == UInt8(ascii: "]") { break }
            elements.append(try parseValue(path: path))
            try skipArrayFiller(openedAt: start)
            if peek() == UInt8(ascii: "]") { break }
            guard peek() == UInt8(ascii: ",") else {
                throw ParseFailure(
                    .syntax, at: position(at: offset),
                    "expected , or ] after an array element, found \(describe(at: offset))",
                    hint: "separate array elements with commas")
            }
            offset += 1
        }
        offset += 1
        arrayDepth -= 1
        nesting -= 1
        return ConfigValue(.array(elements), at: start)
    }

    /// Skips blanks, newlines and comments inside an array; the end of the text is an error.
    private mutating func skipArrayFiller(openedAt start: SourcePosition) throws(ParseFailure) {
        while true {
            skipBlanks()
            try skipComment()
            guard let byte = peek() else {
                throw ParseFailure(
                    .syntax, at: start, "array opened here is not closed", hint: "add ] after its last element")
            }
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else { return }
            try consumeNewline()
        }
    }

    /// `{ key = value, key = value }` on one line, without a trailing comma (TOML 1.0).
    private mutating func parseInlineTable(
        at start: SourcePosition, path: [String]
    ) throws(ParseFailure) -> ConfigValue {
        try enterNesting(at: start)
        offset += 1
        let table = tree.newTable(origin: .inline, at: start)
        skipBlanks()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            nesting -= 1
            return ConfigValue(.table(tree.freeze(table)), at: start)
        }
        while true {
            let key = try parseKey()
            try expectEquals(after: key)
            let value = try parseValue(path: path + key.map(\.name))
            try tree.insert(key, value: value, into: table, tablePath: path)
            skipBlanks()
            switch peek() {
            case UInt8(ascii: "}")?:
                offset += 1
                nesting -= 1
                return ConfigValue(.table(tree.freeze(table)), at: start)
            case UInt8(ascii: ",")?:
                let comma = position(at: offset)
                offset += 1
                skipBlanks()
                if peek() == UInt8(ascii: "}") {
                    throw ParseFailure(
                        .syntax, at: comma, "trailing comma in an inline table",
                        hint: "remove the comma before }")
                }
            case let byte? where !isLineEnd(byte):
                throw ParseFailure(
                    .syntax, at: position(at: offset),
                    "expected , or } in an inline table, found \(describe(at: offset))",
                    hint: "separate its entries with commas")
            default:
                throw ParseFailure(
                    .syntax, at: start, "inline table opened here is not closed on its line",
                    hint: "close it with } on the same line, or use a [section] for a longer table")
            }
        }
    }
}
