import VigilModel

/// The Prometheus text exposition format, version 0.0.4 (docs/formats/prometheus-text.md):
/// what node_exporter serves and what `/api/v1/import/prometheus` accepts.
public enum PrometheusText {
    /// Every sample line in `text`, in order. `# HELP`/`# TYPE` lines are checked for syntax
    /// and otherwise skipped (see `parseMetadata`); other comments and empty lines are ignored.
    /// Labels with empty values are dropped, as Prometheus does. Throws at the first error
    /// with its line and column.
    public static func parse(_ text: String) throws(PrometheusTextError) -> [PrometheusTextSample] {
        var copy = text
        return try copy.withUTF8 { bytes in
            Result { () throws(PrometheusTextError) in
                var parser = PrometheusTextParser(bytes)
                return try parser.parseSamples()
            }
        }.get()
    }

    /// The TYPE and HELP of each metric family named in `# TYPE` / `# HELP` lines. Lenient:
    /// malformed comment lines are ignored, and a later line for the same family wins.
    public static func parseMetadata(_ text: String) -> [String: PrometheusMetricMetadata] {
        var copy = text
        return copy.withUTF8 { bytes in
            var parser = PrometheusTextParser(bytes)
            return parser.parseMetadata()
        }
    }

    /// One line per sample, `name{label="value",...} value timestamp`, label values escaped,
    /// values formatted as Go's exposition library does (`1.788616e+06`, `NaN`, `+Inf`).
    /// Series without a `__name__` label cannot be written in this format and are left out.
    public static func render(_ series: [SeriesSamples]) -> String {
        var out = ""
        for entry in series {
            guard let name = entry.labels.metricName else { continue }
            var prefix = name
            let others = entry.labels.filter { $0.name != Label.metricName }
            if !others.isEmpty {
                prefix += "{"
                prefix += others.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ",")
                prefix += "}"
            }
            for sample in entry.samples {
                out += prefix
                out += " "
                out += GoFloatFormat.format(sample.value)
                out += " "
                out += String(sample.timestamp)
                out += "\n"
            }
        }
        return out
    }
}
