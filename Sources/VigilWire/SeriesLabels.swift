import VigilModel

/// One entry of the series table: a label count and that many (name, value) string indexes,
/// checked against the rules `Labels` relies on (sorted, unique, non-empty values) and the
/// Prometheus name syntax, so the decoder can use `Labels(presorted:)`.
enum SeriesLabels {
    static func decode(_ reader: inout ByteReader, strings: StringTable, limits: WireLimits) throws(WireError) -> Labels {
        let seriesOffset = reader.position
        let count = try reader.readUVarint("label count")
        guard count <= UInt64(clamping: limits.maxLabelsPerSeries) else {
            throw .tooManyLabels(count: count, limit: limits.maxLabelsPerSeries, offset: seriesOffset)
        }
        var pairs: [Label] = []
        pairs.reserveCapacity(Int(count))
        var previousName = -1
        var hasMetricName = false
        for _ in 0..<Int(count) {
            let pairOffset = reader.position
            let name = try strings.index(reading: &reader, "label name index")
            let valueOffset = reader.position
            let value = try strings.index(reading: &reader, "label value index")
            guard strings[name].length <= limits.maxLabelNameBytes else {
                throw .labelNameTooLong(bytes: strings[name].length, limit: limits.maxLabelNameBytes, offset: pairOffset)
            }
            guard strings[name].isLabelName else { throw .invalidLabelName(strings[name].string, offset: pairOffset) }
            if previousName >= 0, !sortsBefore(strings[previousName], strings[name], in: reader.base) {
                throw .labelsNotSorted(previous: strings[previousName].string, name: strings[name].string, offset: pairOffset)
            }
            guard strings[value].length > 0 else { throw .emptyLabelValue(name: strings[name].string, offset: valueOffset) }
            guard strings[value].length <= limits.maxLabelValueBytes else {
                throw .labelValueTooLong(bytes: strings[value].length, limit: limits.maxLabelValueBytes, offset: valueOffset)
            }
            if strings[name].isMetricNameLabel {
                guard strings[value].isMetricName else { throw .invalidMetricName(strings[value].string, offset: valueOffset) }
                hasMetricName = true
            }
            pairs.append(Label(strings[name].string, strings[value].string))
            previousName = name
        }
        guard hasMetricName else { throw .missingMetricName(offset: seriesOffset) }
        return Labels(presorted: pairs)
    }

    /// Byte-wise order of two label names; for ASCII names it equals String order.
    @inline(__always)
    private static func sortsBefore(_ lhs: StringTable.Entry, _ rhs: StringTable.Entry, in base: UnsafeRawPointer) -> Bool {
        let common = min(lhs.length, rhs.length)
        for index in 0..<common {
            let left = base.load(fromByteOffset: lhs.offset + index, as: UInt8.self)
            let right = base.load(fromByteOffset: rhs.offset + index, as: UInt8.self)
            if left != right { return left < right }
        }
        return lhs.length < rhs.length
    }
}
