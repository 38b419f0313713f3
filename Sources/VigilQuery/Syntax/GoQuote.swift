/// Go's `%q` quoting, which Prometheus' error messages use: `"a\"b"` for strings, `'x'` for
/// single characters. Printable characters stay as they are; control characters are escaped.
enum GoQuote {
    static func quote(_ text: String) -> String {
        "\"" + escaped(text, quote: "\"") + "\""
    }

    static func quote(character scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "'\\ufffd'" }
        return "'" + escaped(String(Character(scalar)), quote: "'") + "'"
    }

    private static func escaped(_ text: String, quote: Unicode.Scalar) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote: out += "\\" + String(Character(quote))
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
