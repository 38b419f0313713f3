import VigilHTTPClient

/// The collector's own gauges and counters, read from its /metrics page.
struct CollectorScrape {
    private let values: [String: Double]

    /// GETs `url`/metrics. Lines are `name{labels} value`; comments are skipped.
    init(url: HTTPURL) throws {
        let client = HTTPClient(url: url)
        defer { client.close() }
        let response = try client.send(method: "GET", path: "/metrics")
        guard response.status == 200 else {
            throw CollectorScrapeError(message: "GET \(url)/metrics answered \(response.status): \(response.bodyText.prefix(200))")
        }
        var values: [String: Double] = [:]
        for line in response.bodyText.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    /// The value of the series written exactly as `series` (name plus `{labels}` if any).
    subscript(series: String) -> Double? { values[series] }
}

struct CollectorScrapeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
