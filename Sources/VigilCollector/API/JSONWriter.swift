/// Appends JSON text to a byte buffer. Used for API responses whose exact shape follows
/// Prometheus' HTTP API (sample pairs as `[seconds, "value"]`), which Codable does not
/// express directly, and on paths where building a response must stay cheap.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Int) {
        raw(String(value))
    }

    /// A timestamp as Prometheus writes it, seconds with up to three decimals (`PrometheusNumber.timestamp`).
    mutating func timestamp(_ milliseconds: Int64) {
        PrometheusNumber.appendTimestamp(milliseconds, to: &bytes)
    }

    /// A sample value as the JSON string Prometheus writes (`"0.25"`, `"NaN"`, `"+Inf"`);
    /// those spellings never need escapes.
    mutating func quotedValue(_ value: Double) {
        bytes.append(UInt8(ascii: "\""))
        PrometheusNumber.appendValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends text another writer built, such as a part of the answer written on another thread.
    mutating func append(_ other: JSONWriter) {
        bytes.append(contentsOf: other.bytes)
    }

    /// A label set as a JSON object, `{"__name__":"up","job":"x"}`.
    mutating func labels(_ labels: some Sequence<(String, String)>) {
        raw("{")
        var first = true
        for (name, value) in labels {
            if !first { raw(",") }
            first = false
            string(name)
            raw(":")
            string(value)
        }
        raw("}")
    }
}
