/// Byte-level rules for header names and field tokens (RFC 9110 §5.6.2), shared by request
/// encoding and response parsing.
enum HeaderName {
    /// ASCII case-insensitive equality, as header names and connection options compare.
    static func equal(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        for (x, y) in zip(a.utf8, b.utf8) where ASCII.lowercase(x) != ASCII.lowercase(y) { return false }
        return true
    }

    /// Whether `byte` may appear in a token (method, header name): visible ASCII except delimiters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }

    /// Whether `value`, a comma-separated list such as a `Connection` header, holds `option`.
    static func list(_ value: String, contains option: String) -> Bool {
        value.split(separator: ",").contains { element in
            equal(element.trimmingOptionalWhitespace(), option)
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and horizontal tabs (HTTP's OWS).
    func trimmingOptionalWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
