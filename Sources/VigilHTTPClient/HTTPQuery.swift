/// Builds query strings for request paths.
public enum HTTPQuery {
    /// Encodes pairs as `name=value&name=value` (no leading `?`), percent-encoding every byte
    /// of the UTF-8 form except the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
    /// A space becomes `%20`, never `+`, so servers that do not decode `+` read it right too.
    /// Pairs keep their order; an empty list gives an empty string.
    public static func encode(_ pairs: [(String, String)]) -> String {
        var bytes: [UInt8] = []
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "&")) }
            appendEncoded(name, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            appendEncoded(value, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func appendEncoded(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }
}
