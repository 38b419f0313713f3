/// A udev database file (/run/udev/data/b<major>:<minor>): device properties on `E:KEY=VALUE` lines.
enum UdevPropertiesParser {
    /// The properties by key; other lines (links, tags) are ignored.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [String: String] {
        var properties: [String: String] = [:]
        var lines = ByteLines(bytes)
        while let line = lines.next() {
            guard line.bytes.starts(with: "E:") else { continue }
            let rest = UnsafeRawBufferPointer(rebasing: line.bytes[2...])
            guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = UnsafeRawBufferPointer(rebasing: rest[..<equals]).text
            properties[key] = UnsafeRawBufferPointer(rebasing: rest[(equals + 1)...]).text
        }
        return properties
    }
}
