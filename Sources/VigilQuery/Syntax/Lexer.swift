/// Splits a PromQL query into tokens, with Prometheus' context rules: label matchers are
/// lexed differently inside `{}`, and `[` opens a duration (and subquery colon) context.
///
/// Lexing stops at the first error, which becomes the last token (kind `.error`, text the
/// message, start where Prometheus reports it); otherwise the last token is `.eof`.
/// Comments (`#` to the end of the line) are dropped.
struct Lexer {
    private let bytes: [UInt8]
    private var position = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false
    /// Set right after `[`: the next token must be a duration.
    private var expectDuration = false

    static func tokenize(_ query: String) -> [Token] {
        var lexer = Lexer(bytes: Array(query.utf8))
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .eof || token.kind == .error { return tokens }
        }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func next() -> Token {
        while true {
            if expectDuration {
                expectDuration = false
                return lexDuration()
            }
            if let token = braceOpen ? insideBraces() : statement() { return token }
        }
    }

    /// The next token outside braces, or nil after skipping a comment or spaces.
    private mutating func statement() -> Token? {
        let start = position
        guard let byte = peek() else {
            if parenDepth != 0 { return error("unclosed left parenthesis", at: start) }
            if bracketOpen { return error("unclosed left bracket", at: start) }
            return Token(kind: .eof, start: start, text: "")
        }
        if byte == UInt8(ascii: "#") {
            skipComment()
            return nil
        }
        if Self.isSpace(byte) {
            skipSpaces()
            return nil
        }
        position += 1
        switch byte {
        case UInt8(ascii: ","): return emit(.comma, from: start)
        case UInt8(ascii: "*"): return emit(.mul, from: start)
        case UInt8(ascii: "/"): return emit(.div, from: start)
        case UInt8(ascii: "%"): return emit(.mod, from: start)
        case UInt8(ascii: "+"): return emit(.add, from: start)
        case UInt8(ascii: "-"): return emit(.sub, from: start)
        case UInt8(ascii: "^"): return emit(.pow, from: start)
        case UInt8(ascii: "@"): return emit(.at, from: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return emit(.equal, from: start)
            }
            if peek() == UInt8(ascii: "~") {
                return error("unexpected character after '=': '~'", at: start)
            }
            return emit(.assign, from: start)
        case UInt8(ascii: "!"):
            guard peek() == UInt8(ascii: "=") else {
                return error("unexpected character after '!': \(GoQuote.quote(character: scalar(at: position)))", at: start)
            }
            position += 1
            return emit(.notEqual, from: start)
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return emit(.lessOrEqual, from: start)
            }
            return emit(.less, from: start)
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return emit(.greaterOrEqual, from: start)
            }
            return emit(.greater, from: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return lexString(quote: byte, from: start)
        case UInt8(ascii: "`"):
            return lexRawString(from: start)
        case UInt8(ascii: "("):
            parenDepth += 1
            return emit(.leftParen, from: start)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            if parenDepth < 0 {
                // Prometheus reports this one just after the parenthesis.
                return error("unexpected right parenthesis ')'", at: position)
            }
            return emit(.rightParen, from: start)
        case UInt8(ascii: "{"):
            braceOpen = true
            return emit(.leftBrace, from: start)
        case UInt8(ascii: "["):
            if bracketOpen { return error("unexpected left bracket '['", at: start) }
            gotColon = false
            let token = emit(.leftBracket, from: start)
            skipSpaces()
            bracketOpen = true
            expectDuration = true
            return token
        case UInt8(ascii: "]"):
            if !bracketOpen { return error("unexpected right bracket ']'", at: start) }
            bracketOpen = false
            return emit(.rightBracket, from: start)
        default:
            if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && peek().map(Self.isDigit) == true) {
                position = start
                return lexNumberOrDuration()
            }
            if Self.isAlpha(byte) || byte == UInt8(ascii: ":") {
                if !bracketOpen {
                    position = start
                    return lexKeywordOrIdentifier()
                }
                if gotColon { return error("unexpected colon \(GoQuote.quote(character: scalar(at: start)))", at: start) }
                gotColon = true
                return emit(.colon, from: start)
            }
            position = start
            let character = scalar(at: start)
            return error("unexpected character: \(GoQuote.quote(character: character))", at: start)
        }
    }

    /// The next token inside `{...}`, or nil after skipping a comment or spaces.
    private mutating func insideBraces() -> Token? {
        let start = position
        guard let byte = peek() else { return error("unexpected end of input inside braces", at: start) }
        if byte == UInt8(ascii: "#") {
            skipComment()
            return nil
        }
        if Self.isSpace(byte) {
            skipSpaces()
            return nil
        }
        position += 1
        switch byte {
        case UInt8(ascii: ","): return emit(.comma, from: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return lexString(quote: byte, from: start)
        case UInt8(ascii: "`"): return lexRawString(from: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "~") {
                position += 1
                return emit(.regexMatch, from: start)
            }
            return emit(.assign, from: start)
        case UInt8(ascii: "!"):
            switch peek() {
            case UInt8(ascii: "~"):
                position += 1
                return emit(.regexNoMatch, from: start)
            case UInt8(ascii: "="):
                position += 1
                return emit(.notEqual, from: start)
            default:
                return error("unexpected character after '!' inside braces: \(GoQuote.quote(character: scalar(at: position)))", at: start)
            }
        case UInt8(ascii: "{"):
            return error("unexpected left brace '{'", at: start)
        case UInt8(ascii: "}"):
            braceOpen = false
            return emit(.rightBrace, from: start)
        default:
            if Self.isAlpha(byte) {
                while let next = peek(), Self.isAlphaNumeric(next) { position += 1 }
                return emit(.identifier, from: start)
            }
            return error("unexpected character inside braces: \(GoQuote.quote(character: scalar(at: start)))", at: start)
        }
    }

    private mutating func lexKeywordOrIdentifier() -> Token {
        let start = position
        while let byte = peek(), Self.isAlphaNumeric(byte) || byte == UInt8(ascii: ":") { position += 1 }
        let word = text(from: start)
        if let keyword = TokenKind.words[word.lowercased()] { return emit(keyword, from: start) }
        return emit(word.utf8.contains(UInt8(ascii: ":")) ? .metricIdentifier : .identifier, from: start)
    }

    private mutating func lexNumberOrDuration() -> Token {
        let start = position
        if scanNumber() { return emit(.number, from: start) }
        if acceptRemainingDuration() { return emit(.duration, from: start) }
        return error("bad number or duration syntax: \(GoQuote.quote(text(from: start)))", at: start)
    }

    private mutating func lexDuration() -> Token {
        let start = position
        if scanNumber() { return error("missing unit character in duration", at: start) }
        if !acceptRemainingDuration() {
            return error("bad duration syntax: \(GoQuote.quote(text(from: start)))", at: start)
        }
        return emit(.duration, from: start)
    }

    /// Consumes a number; true when what follows cannot continue it (Prometheus' scanNumber).
    private mutating func scanNumber() -> Bool {
        var hex = false
        if accept("0") && accept("xX") { hex = true }
        acceptRun(hex ? "0123456789abcdefABCDEF" : "0123456789")
        if accept(".") { acceptRun(hex ? "0123456789abcdefABCDEF" : "0123456789") }
        if accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789")
        }
        return peek().map { !Self.isAlphaNumeric($0) } ?? true
    }

    /// After digits: a unit, then more `<digits><unit>` groups, not followed by a letter or digit.
    private mutating func acceptRemainingDuration() -> Bool {
        guard accept("smhdwy") else { return false }
        _ = accept("s")
        while accept("0123456789") {
            acceptRun("0123456789")
            guard accept("smhdw") else { return false }
            _ = accept("s")
        }
        if let byte = peek(), Self.isAlphaNumeric(byte) {
            position += 1
            return false
        }
        return true
    }

    private mutating func lexString(quote: UInt8, from start: Int) -> Token {
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                return error("unterminated quoted string", at: start)
            }
            position += 1
            if byte == quote { return emit(.string, from: start) }
            if byte == UInt8(ascii: "\\") {
                if let message = lexEscape(quote: quote) { return error(message, at: start) }
            }
        }
    }

    /// Checks one escape sequence after a backslash; returns an error message or nil.
    private mutating func lexEscape(quote: UInt8) -> String? {
        guard let byte = peek() else { return "escape sequence not terminated" }
        position += 1
        let count: Int
        let base: UInt32
        let maximum: UInt32
        switch byte {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            return nil
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            position -= 1
            (count, base, maximum) = (3, 8, 255)
        case UInt8(ascii: "x"): (count, base, maximum) = (2, 16, 255)
        case UInt8(ascii: "u"): (count, base, maximum) = (4, 16, 0x10FFFF)
        case UInt8(ascii: "U"): (count, base, maximum) = (8, 16, 0x10FFFF)
        default:
            let scalar = scalar(at: position - 1)
            return "unknown escape sequence \(Self.goUnicode(scalar))"
        }
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = peek() else { return "escape sequence not terminated" }
            guard let digitValue = Self.digitValue(digit), digitValue < base else {
                return "illegal character \(Self.goUnicode(scalar(at: position))) in escape sequence"
            }
            value = value * base + digitValue
            position += 1
        }
        if value > maximum || (0xD800..<0xE000).contains(value) {
            return "escape sequence is an invalid Unicode code point"
        }
        return nil
    }

    private mutating func lexRawString(from start: Int) -> Token {
        while let byte = peek() {
            position += 1
            if byte == UInt8(ascii: "`") { return emit(.string, from: start) }
        }
        return error("unterminated raw string", at: start)
    }

    private mutating func skipComment() {
        while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") { position += 1 }
    }

    private mutating func skipSpaces() {
        while let byte = peek(), Self.isSpace(byte) { position += 1 }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func accept(_ valid: StaticString) -> Bool {
        guard let byte = peek() else { return false }
        let found = valid.withUTF8Buffer { $0.contains(byte) }
        if found { position += 1 }
        return found
    }

    private mutating func acceptRun(_ valid: StaticString) {
        while accept(valid) {}
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func emit(_ kind: TokenKind, from start: Int) -> Token {
        Token(kind: kind, start: start, text: text(from: start))
    }

    private func error(_ message: String, at start: Int) -> Token {
        Token(kind: .error, start: start, text: message)
    }

    /// The Unicode scalar starting at byte `offset`, nil at the end of input.
    private func scalar(at offset: Int) -> Unicode.Scalar? {
        guard offset < bytes.count else { return nil }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }

    /// Go's `%#U`: `U+0027 '''`.
    private static func goUnicode(_ scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "U+FFFFFFFFFFFFFFFF" }
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+\(hex) '\(Character(scalar))'"
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
    }

    static func isAlphaNumeric(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte)
    }
}
