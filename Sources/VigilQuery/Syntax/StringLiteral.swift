/// Decodes a lexed string token (quotes included) the way Go's `strconv.Unquote` does, with
/// Prometheus' extension that single-quoted strings may hold any number of characters.
/// Backtick strings are raw: no escapes, carriage returns dropped.
enum StringLiteral {
    static func unquote(_ token: String) -> String? {
        let bytes = Array(token.utf8)
        guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else { return nil }
        let body = bytes[1..<(bytes.count - 1)]
        if quote == UInt8(ascii: "`") {
            return String(decoding: body.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        }
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            if byte == quote || byte == UInt8(ascii: "\n") { return nil }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard index < body.endIndex else { return nil }
            let escape = body[index]
            index += 1
            switch escape {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case quote: out.append(quote)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard let value = number(body, &index, first: escape, count: 3, radix: 8), value <= 255 else { return nil }
                out.append(UInt8(value))
            case UInt8(ascii: "x"):
                guard let value = number(body, &index, first: nil, count: 2, radix: 16) else { return nil }
                out.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let value = number(body, &index, first: nil, count: escape == UInt8(ascii: "u") ? 4 : 8, radix: 16),
                      let scalar = Unicode.Scalar(value) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func number(
        _ body: ArraySlice<UInt8>, _ index: inout Int, first: UInt8?, count: Int, radix: UInt32
    ) -> UInt32? {
        var digits: [UInt8] = first.map { [$0] } ?? []
        while digits.count < count {
            guard index < body.endIndex else { return nil }
            digits.append(body[index])
            index += 1
        }
        return UInt32(String(decoding: digits, as: UTF8.self), radix: Int(radix))
    }
}
