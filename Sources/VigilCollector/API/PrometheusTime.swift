import VigilModel
import Foundation
import VigilConfig

/// Parses times and durations the way Prometheus' API accepts them.
enum PrometheusTime {
    /// Unix seconds with optional fraction (`1700000000.5`) or RFC 3339 (`2026-11-21T10:00:00Z`), to ms.
    static func parseTime(_ text: String, parameter: String) throws(APIError) -> Int64 {
        if let seconds = Double(text), seconds.isFinite {
            return Int64((seconds * 1000).rounded())
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        throw APIError(.badData, "invalid parameter \"\(parameter)\": cannot parse \"\(text)\" to a valid timestamp")
    }

    /// Float seconds (`15`, `0.5`) or a Prometheus duration (`1m`, `1h30m`, `500ms`), to ms.
    static func parseDuration(_ text: String, parameter: String) throws(APIError) -> Int64 {
        if let seconds = Double(text), seconds.isFinite {
            return Int64((seconds * 1000).rounded())
        }
        if let ms = DurationText.milliseconds(text) { return ms }
        throw APIError(.badData, "invalid parameter \"\(parameter)\": cannot parse \"\(text)\" to a valid duration")
    }
}
