import VigilModel

/// The string table and series table of a batch payload (docs/formats/batch.md), encoded: they
/// depend only on the series' labels and their order, so `BatchCompressor` can keep them from
/// one batch to the next.
struct LabelTables {
    private var strings: StringInterner
    private var seriesTable: ByteWriter

    /// Interns every label name and value in first-use order and writes each series' labels as
    /// pairs of string indexes.
    init(_ series: [SeriesSamples]) {
        let labelCount = series.reduce(0) { $0 + $1.labels.count }
        // A node's series share most names and many values: of a node_exporter scrape's label
        // strings about one in seven is distinct. One in four is the first guess; the table
        // grows past it when needed.
        strings = StringInterner(expectedStrings: labelCount / 2 + 8, expectedBytes: labelCount * 8)
        seriesTable = ByteWriter(capacity: 4 + series.count + labelCount * 3)
        seriesTable.appendUVarint(series.count)
        // Indexing through buffer pointers reads each label in place, without the retains and
        // releases of its arrays and strings that plain `for` loops cost here.
        series.withUnsafeBufferPointer { series in
            for index in series.indices {
                series[index].labels.pairs.withUnsafeBufferPointer { pairs in
                    seriesTable.appendUVarint(pairs.count)
                    for pair in pairs.indices {
                        seriesTable.appendUVarint(strings.intern(pairs[pair].name))
                        seriesTable.appendUVarint(strings.intern(pairs[pair].value))
                    }
                }
            }
        }
    }

    /// The encoded size of both tables.
    var byteCount: Int {
        UVarint.size(strings.count) + strings.entries.count + seriesTable.count
    }

    /// Appends the string table (count, entries) and then the series table.
    func write(to out: inout ByteWriter) {
        out.appendUVarint(strings.count)
        strings.entries.bytes.withUnsafeBytes { out.append(contentsOf: $0) }
        seriesTable.bytes.withUnsafeBytes { out.append(contentsOf: $0) }
    }
}
