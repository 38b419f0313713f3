import VigilModel

/// histogram_quantile over classic buckets: series that differ only in `le` form one
/// histogram; the result carries their labels without `le` and the metric name.
enum HistogramQuantile {
    static func evaluate(_ q: Double, _ elements: [VectorElement]) -> [VectorElement] {
        var order: [Labels] = []
        var histograms: [Labels: (labels: Labels, buckets: [Quantile.Bucket])] = [:]
        let bucketLabel = LabelNames(["le"])
        for element in elements {
            guard let bound = element.labels["le"].flatMap(parseFloat) else { continue }
            let key = element.labels.removing(bucketLabel)
            let bucket = Quantile.Bucket(upperBound: bound, count: element.value)
            if histograms[key] == nil {
                order.append(key)
                histograms[key] = (key.droppingMetricName, [bucket])
            } else {
                histograms[key]?.buckets.append(bucket)
            }
        }
        return order.compactMap { key in
            guard let histogram = histograms[key] else { return nil }
            return VectorElement(labels: histogram.labels, value: Quantile.ofBuckets(q, histogram.buckets))
        }
    }

    /// Go's strconv.ParseFloat for bucket bounds: decimal and exponent forms, `Inf`, `+Inf`,
    /// `-Inf`, `Infinity`, `NaN` in any case.
    static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ Lexer.isDigit($0) || "+-.eE".utf8.contains($0) }) else { return nil }
        return Double(text)
    }
}
