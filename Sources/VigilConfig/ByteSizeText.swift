/// Sizes written as strings: `"8MiB"`, `"512KiB"`, `"1GB"`, `"100B"` or a plain number of bytes.
///
/// Binary units (KiB, MiB, GiB, TiB) are powers of 1024 and decimal ones (KB, MB, GB, TB)
/// powers of 1000, as the IEC prefixes define them. Units are case-sensitive.
enum ByteSizeText {
    static let units: [(name: String, bytes: Int)] = [
        ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
    ]

    /// The accepted grammar in words, for hints.
    static let grammar =
        "a whole number followed by B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, such as \"128MiB\""

    /// Bytes for `text`, or nil when it does not follow the grammar or overflows Int.
    static func bytes(_ text: String) -> Int? {
        let digits = text.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty else { return nil }
        var number = 0
        for byte in digits {
            let (times, overflow1) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            number = sum
        }
        let unit = String(text.utf8.dropFirst(digits.count))!
        if unit.isEmpty { return number }
        guard let scale = units.first(where: { $0.name == unit })?.bytes else { return nil }
        let (total, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : total
    }

    /// The largest unit that divides `bytes` exactly, binary units first: `"8MiB"`, `"1GB"`, `"100B"`.
    static func format(_ bytes: Int) -> String {
        if bytes == 0 { return "0B" }
        let unit = units.first { bytes % $0.bytes == 0 } ?? units[units.count - 1]
        return "\(bytes / unit.bytes)\(unit.name)"
    }
}
