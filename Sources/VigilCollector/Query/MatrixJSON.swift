import VigilModel
import VigilQuery
import VigilStorage

/// Writes the series of a matrix answer as Prometheus' JSON objects, comma separated, on all
/// processors: formatting every sample's numbers is most of the cost of a large answer.
///
/// The series are cut into contiguous parts of about equal point counts; each part is
/// written into its own buffer and the parts are joined in order, so the text is the same
/// as one thread would write.
enum MatrixJSON {
    /// Fewer points than this are written on the calling thread: a hop would cost more than
    /// it saves.
    static let pointsPerPart = 20_000
    /// Parts per processor, so that a processor slowed by other work does not hold up the rest.
    static let partsPerProcessor = 4

    static func write(_ series: [SeriesSamples], into json: inout JSONWriter) {
        let parts = partition(series, processors: StorageOptions.activeProcessorCount)
        guard parts.count > 1 else { return writeSeries(series[...], first: true, into: &json) }
        let written = ParallelMap.map(parts.count) { index in
            let part = series[parts[index]]
            var partJSON = JSONWriter(capacity: part.reduce(0) { $0 + 40 * $1.samples.count + 200 })
            writeSeries(part, first: index == 0, into: &partJSON)
            return partJSON
        }
        for part in written { json.append(part) }
    }

    /// Contiguous ranges of `series` covering it in order, about `pointsPerPart` points or
    /// more each, at most `partsPerProcessor` per processor.
    static func partition(_ series: [SeriesSamples], processors: Int) -> [Range<Int>] {
        let points = series.reduce(0) { $0 + $1.samples.count }
        let count = min(series.count, processors * partsPerProcessor, points / pointsPerPart)
        guard count > 1 else { return [0..<series.count] }
        let target = (points + count - 1) / count
        var parts: [Range<Int>] = []
        var start = 0
        var filled = 0
        for (index, item) in series.enumerated() {
            filled += item.samples.count
            if filled >= target {
                parts.append(start..<index + 1)
                start = index + 1
                filled = 0
            }
        }
        if start < series.count { parts.append(start..<series.count) }
        return parts
    }

    /// `{"metric":{...},"values":[[t,"v"],...]}` per series, a comma before each unless it
    /// is the first of the whole matrix.
    private static func writeSeries(_ series: ArraySlice<SeriesSamples>, first: Bool, into json: inout JSONWriter) {
        var first = first
        for item in series {
            if !first { json.raw(",") }
            first = false
            json.raw("{\"metric\":")
            json.labels(item.labels.map { ($0.name, $0.value) })
            json.raw(",\"values\":[")
            for (index, sample) in item.samples.enumerated() {
                if index > 0 { json.raw(",") }
                QueryResponse.writePair(sample, into: &json)
            }
            json.raw("]}")
        }
    }
}
