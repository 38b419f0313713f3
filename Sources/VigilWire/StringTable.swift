import VigilModel

/// A decoded string table: every distinct label name and value of a batch, each made into a
/// String once and checked once against the name rules, so labels cost an index lookup.
struct StringTable {
    struct Entry {
        let string: String
        /// Where the string's bytes sit in the payload, for byte-wise name comparison.
        let offset: Int
        let length: Int
        let isLabelName: Bool
        let isMetricName: Bool
        let isMetricNameLabel: Bool
    }

    private var entries: ContiguousArray<Entry> = []

    /// Reads the string count and the strings at the reader's position.
    ///
    /// A string may not be longer than the longer of the label name and value limits; every
    /// string must be well-formed UTF-8 even if no label uses it.
    init(reading reader: inout ByteReader, limits: WireLimits) throws(WireError) {
        let countOffset = reader.position
        let count = try reader.readUVarint("string count")
        // Every string costs at least its length byte, which bounds the table before trusting it.
        guard count <= UInt64(reader.remaining) else { throw .truncated(field: "string table", offset: countOffset) }
        entries.reserveCapacity(Int(count))
        let maxLength = max(limits.maxLabelNameBytes, limits.maxLabelValueBytes)
        let metricNameLabel = Array(Label.metricName.utf8)
        for index in 0..<Int(count) {
            let lengthOffset = reader.position
            let length = try reader.readUVarint("string length")
            guard length <= UInt64(clamping: maxLength) else {
                throw .stringTooLong(bytes: length, limit: maxLength, offset: lengthOffset)
            }
            let offset = try reader.skip(length, "string")
            let bytes = UnsafeRawBufferPointer(start: reader.base + offset, count: Int(length))
            let string: String
            switch UTF8Validation.string(bytes) {
            case .success(let valid): string = valid
            case .failure(let invalid):
                throw .invalidUTF8(field: "string \(index)", offset: offset + invalid.offset)
            }
            let syntax = LabelSyntax.classify(bytes)
            entries.append(Entry(
                string: string, offset: offset, length: Int(length),
                isLabelName: syntax.isLabelName,
                isMetricName: syntax.isMetricName,
                isMetricNameLabel: syntax.isLabelName && bytes.elementsEqual(metricNameLabel)))
        }
    }

    /// Reads a string index and checks it is in range.
    @inline(__always)
    func index(reading reader: inout ByteReader, _ field: StaticString) throws(WireError) -> Int {
        let offset = reader.position
        let index = try reader.readUVarint(field)
        guard index < UInt64(entries.count) else {
            throw .stringIndexOutOfRange(index: index, count: entries.count, offset: offset)
        }
        return Int(index)
    }

    @inline(__always)
    subscript(index: Int) -> Entry { entries[index] }
}
