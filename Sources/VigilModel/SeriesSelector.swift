/// A PromQL vector selector without functions: `node_load1{host="web-1", mode=~"user|system"}`,
/// optionally with a range, `node_load1{host="web-1"}[5m]`, which selects the raw samples.
///
/// This is the query language of the foundation release; full PromQL replaces it with a
/// parser of its own, and this type stays the representation of a selector.
public struct SeriesSelector: Sendable, CustomStringConvertible {
    public var matchers: [LabelMatcher]
    /// The range of a range-vector selector in milliseconds; nil for an instant vector.
    public var range: Int64?

    public init(matchers: [LabelMatcher], range: Int64? = nil) {
        self.matchers = matchers
        self.range = range
    }

    /// Parses a selector. Errors give the 1-based column and what was expected there.
    public static func parse(_ text: String) throws(SelectorError) -> SeriesSelector {
        var parser = SelectorParser(Array(text.utf8))
        return try parser.parse()
    }

    public var description: String {
        "{" + matchers.map(\.description).joined(separator: ", ") + "}" + (range.map { "[\(DurationText.format(milliseconds: $0))]" } ?? "")
    }
}

/// A selector did not parse; `column` is 1-based within the query text.
public struct SelectorError: Error, Sendable, CustomStringConvertible, Equatable {
    public let column: Int
    public let message: String
    public var description: String { "column \(column): \(message)" }
}

/// Recursive-descent parser over UTF-8 bytes for `name{label op "value", ...}`.
struct SelectorParser {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parse() throws(SelectorError) -> SeriesSelector {
        var matchers: [LabelMatcher] = []
        skipSpace()
        if let first = peek(), isNameStart(first, allowColon: true) {
            let name = readName(allowColon: true)
            matchers.append(try matcher(Label.metricName, .equal, name))
        }
        skipSpace()
        if peek() == UInt8(ascii: "{") {
            position += 1
            try readMatcherList(into: &matchers)
        }
        skipSpace()
        let range = try readRange()
        skipSpace()
        if position < bytes.count {
            throw fail("unexpected \(describe(bytes[position])); expected end of selector")
        }
        if matchers.isEmpty {
            throw fail("expected a metric name or '{'")
        }
        if matchers.allSatisfy(\.matchesEmpty) {
            throw SelectorError(column: 1, message: "vector selector must contain at least one non-empty matcher")
        }
        return SeriesSelector(matchers: matchers, range: range)
    }

    /// An optional `[5m]` after the matchers.
    private mutating func readRange() throws(SelectorError) -> Int64? {
        guard peek() == UInt8(ascii: "[") else { return nil }
        let open = position
        position += 1
        let start = position
        while let byte = peek(), byte != UInt8(ascii: "]") { position += 1 }
        guard peek() == UInt8(ascii: "]") else {
            position = open
            throw fail("unclosed '['; expected a range such as [5m]")
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let milliseconds = DurationText.milliseconds(text), milliseconds > 0 else {
            position = start
            throw fail("bad range \"\(text)\": expected \(DurationText.grammar)")
        }
        position += 1
        return milliseconds
    }

    private mutating func readMatcherList(into matchers: inout [LabelMatcher]) throws(SelectorError) {
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return
            }
            guard let first = peek(), isNameStart(first, allowColon: false) else {
                throw fail(peek() == nil ? "unexpected end of selector; expected a label name or '}'" : "unexpected \(describe(bytes[position])); expected a label name")
            }
            let name = readName(allowColon: false)
            skipSpace()
            let kind = try readOperator()
            skipSpace()
            let value = try readString()
            matchers.append(try matcher(name, kind, value))
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): continue
            case nil: throw fail("unexpected end of selector; expected ',' or '}'")
            case let byte?: throw fail("unexpected \(describe(byte)); expected ',' or '}'")
            }
        }
    }

    private mutating func readOperator() throws(SelectorError) -> LabelMatcher.Kind {
        let rest = bytes[position...]
        if rest.starts(with: "=~".utf8) { position += 2; return .regex }
        if rest.starts(with: "!~".utf8) { position += 2; return .notRegex }
        if rest.starts(with: "!=".utf8) { position += 2; return .notEqual }
        if rest.starts(with: "=".utf8) { position += 1; return .equal }
        throw fail("expected one of =, !=, =~, !~")
    }

    private mutating func readString() throws(SelectorError) -> String {
        guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") else {
            throw fail("expected a quoted label value")
        }
        let start = position
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == quote {
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\"), quote != UInt8(ascii: "`"), position < bytes.count {
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: out.append(escaped)
                }
            } else {
                out.append(byte)
            }
        }
        position = start
        throw fail("unterminated string")
    }

    private func matcher(_ name: String, _ kind: LabelMatcher.Kind, _ value: String) throws(SelectorError) -> LabelMatcher {
        do {
            return try LabelMatcher(name, kind, value)
        } catch {
            throw SelectorError(column: position + 1, message: error.description)
        }
    }

    private mutating func readName(allowColon: Bool) -> String {
        let start = position
        while let byte = peek(), isNameStart(byte, allowColon: allowColon) || (byte >= 0x30 && byte <= 0x39) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func isNameStart(_ byte: UInt8, allowColon: Bool) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || (allowColon && byte == 0x3A)
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func fail(_ message: String) -> SelectorError {
        SelectorError(column: position + 1, message: message)
    }
}
