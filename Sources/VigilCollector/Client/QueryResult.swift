import VigilModel

/// A decoded `/api/v1/query` or `/api/v1/query_range` answer.
public enum QueryResult {
    case vector([(labels: Labels, sample: Sample)])
    case matrix([SeriesSamples])
    case scalar(Sample)
    case string(String)

    /// Decodes the `data` member of a query response.
    public static func decode(_ data: Any) throws -> QueryResult {
        guard let object = data as? [String: Any], let type = object["resultType"] as? String else {
            throw FleetClientError(message: "unexpected query response")
        }
        switch type {
        case "vector":
            let rows = object["result"] as? [[String: Any]] ?? []
            return .vector(try rows.map { row in
                (labels(row["metric"]), try sample(row["value"]))
            })
        case "matrix":
            let rows = object["result"] as? [[String: Any]] ?? []
            return .matrix(try rows.map { row in
                SeriesSamples(labels: labels(row["metric"]), samples: try (row["values"] as? [Any] ?? []).map(sample))
            })
        case "scalar":
            return .scalar(try sample(object["result"]))
        case "string":
            guard let pair = object["result"] as? [Any], pair.count == 2, let text = pair[1] as? String else {
                throw FleetClientError(message: "malformed string in query response")
            }
            return .string(text)
        default:
            throw FleetClientError(message: "unsupported result type \(type)")
        }
    }

    private static func labels(_ value: Any?) -> Labels {
        let pairs = (value as? [String: String]) ?? [:]
        return Labels(pairs.map { Label($0.key, $0.value) })
    }

    private static func sample(_ value: Any?) throws -> Sample {
        guard let pair = value as? [Any], pair.count == 2, let seconds = pair[0] as? Double, let text = pair[1] as? String else {
            throw FleetClientError(message: "malformed sample in query response")
        }
        let parsed: Double = switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text) ?? .nan
        }
        return Sample(timestamp: Int64((seconds * 1000).rounded()), value: parsed)
    }
}
