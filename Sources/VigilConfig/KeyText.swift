/// Rendering of keys and key paths in messages, quoting keys that are not bare.
enum KeyText {
    /// `name` as written in TOML: bare when it only holds A-Z a-z 0-9 _ -, else in double quotes.
    static func render(key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte)
        return bare ? key : "\"" + escape(key) + "\""
    }

    /// `a.b."c d"`.
    static func render(_ path: [String]) -> String {
        path.map { render(key: $0) }.joined(separator: ".")
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Escapes quotes, backslashes and control characters so a key or value prints on one line.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `"text"` with escapes, for quoting keys and values in messages.
    static func quote(_ text: String) -> String {
        "\"" + escape(text) + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
