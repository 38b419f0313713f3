import Foundation
import VigilModel

/// How the fleet CLI prints what the collector answers.
public enum FleetFormatting {
    public static func hosts(_ hosts: [HostStatus], now: Int64) -> String {
        var table = TextTable(["HOST", "AGENT", "LAST SEEN", "SERIES", "STATUS"])
        for host in hosts {
            table.add([
                host.host,
                host.agentVersion.isEmpty ? "-" : host.agentVersion,
                "\(isoTime(host.lastSeen)) (\(age(now - host.lastSeen)) ago)",
                String(host.seriesCount),
                host.isUp ? "up" : "stale",
            ])
        }
        return table.render()
    }

    public static func result(_ result: QueryResult) -> String {
        switch result {
        case .scalar(let sample):
            return "\(PrometheusNumber.value(sample.value))\n"
        case .string(let text):
            return text + "\n"
        case .vector(let elements):
            var table = TextTable(["SERIES", "VALUE", "TIME"])
            for element in elements {
                table.add([element.labels.description, PrometheusNumber.value(element.sample.value), isoTime(element.sample.timestamp)])
            }
            return elements.isEmpty ? "no series matched\n" : table.render()
        case .matrix(let series):
            if series.isEmpty { return "no series matched\n" }
            return series.map { item in
                var table = TextTable(["TIME", "VALUE"])
                for sample in item.samples {
                    table.add([isoTime(sample.timestamp), PrometheusNumber.value(sample.value)])
                }
                return item.labels.description + "\n" + table.render()
            }.joined(separator: "\n")
        }
    }

    /// RFC 3339 in UTC with seconds, or milliseconds when the time has them.
    public static func isoTime(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = milliseconds % 1000 == 0 ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// `42s`, `5m`, `3h`, `2d`.
    public static func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
