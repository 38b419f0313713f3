import Foundation
import VigilModel
import VigilQuery

/// A query result reduced to what the differential suite compares, built from Prometheus'
/// JSON or from a Vigil `QueryValue`.
enum ComparableResult {
    case error(type: String, message: String)
    case vector([(labels: [String: String], value: Double)])
    case matrix([[String: String]: [(time: Int64, value: Double)]])
    case scalar(time: Int64, value: Double)
    case string(time: Int64, value: String)

    init(prometheus json: [String: Any]) {
        guard json["status"] as? String == "success" else {
            self = .error(type: json["errorType"] as? String ?? "?", message: json["error"] as? String ?? "?")
            return
        }
        let data = json["data"] as? [String: Any] ?? [:]
        let result = data["result"]
        switch data["resultType"] as? String {
        case "vector":
            self = .vector((result as? [[String: Any]] ?? []).map { entry in
                (entry["metric"] as? [String: String] ?? [:], Self.point(entry["value"]).value)
            })
        case "matrix":
            var series: [[String: String]: [(time: Int64, value: Double)]] = [:]
            for entry in result as? [[String: Any]] ?? [] {
                series[entry["metric"] as? [String: String] ?? [:]] = (entry["values"] as? [Any] ?? []).map(Self.point)
            }
            self = .matrix(series)
        case "scalar":
            let point = Self.point(result)
            self = .scalar(time: point.time, value: point.value)
        case "string":
            let pair = result as? [Any] ?? []
            self = .string(time: Self.milliseconds(pair.first), value: pair.count > 1 ? pair[1] as? String ?? "" : "")
        default:
            self = .error(type: "unknown result type", message: "\(data)")
        }
    }

    init(vigil: () throws -> QueryValue) {
        do {
            switch try vigil() {
            case .vector(let samples):
                self = .vector(samples.map { (Self.dictionary($0.labels), $0.sample.value) })
            case .matrix(let series):
                var result: [[String: String]: [(time: Int64, value: Double)]] = [:]
                for entry in series { result[Self.dictionary(entry.labels)] = entry.samples.map { ($0.timestamp, $0.value) } }
                self = .matrix(result)
            case .scalar(let sample):
                self = .scalar(time: sample.timestamp, value: sample.value)
            case .string(let text, let timestamp):
                self = .string(time: timestamp, value: text)
            }
        } catch let error as PromQLError {
            self = .error(type: error.kind.rawValue, message: error.message)
        } catch {
            self = .error(type: "unexpected", message: "\(error)")
        }
    }

    /// Why `self` (Vigil) and `expected` (Prometheus) differ, or nil when they agree: same
    /// series, values equal within a relative 1e-6 (NaN equals NaN), same timestamps; with
    /// `ordered`, instant vectors must also list their values in the same order.
    func difference(from expected: ComparableResult, ordered: Bool) -> String? {
        switch (self, expected) {
        case (.error(let type, _), .error(let expectedType, _)):
            return type == expectedType ? nil : "error type \(type), Prometheus \(expectedType)"
        case (.error(let type, let message), _):
            return "Vigil failed (\(type): \(message)), Prometheus answered"
        case (_, .error(let type, let message)):
            return "Prometheus failed (\(type): \(message)), Vigil answered"
        case (.scalar(let time, let value), .scalar(let expectedTime, let expectedValue)):
            if time != expectedTime { return "scalar at \(time), Prometheus at \(expectedTime)" }
            return Self.close(value, expectedValue) ? nil : "scalar \(value), Prometheus \(expectedValue)"
        case (.string(let time, let value), .string(let expectedTime, let expectedValue)):
            return time == expectedTime && value == expectedValue ? nil : "string \(value)@\(time), Prometheus \(expectedValue)@\(expectedTime)"
        case (.vector(let samples), .vector(let expectedSamples)):
            return Self.vectorDifference(samples, expectedSamples, ordered: ordered)
        case (.matrix(let series), .matrix(let expectedSeries)):
            return Self.matrixDifference(series, expectedSeries)
        default:
            return "result types differ: \(kind), Prometheus \(expected.kind)"
        }
    }

    var kind: String {
        switch self {
        case .error: return "error"
        case .vector: return "vector"
        case .matrix: return "matrix"
        case .scalar: return "scalar"
        case .string: return "string"
        }
    }

    /// Equal, both NaN, or within a relative 1e-6 (with a 1e-12 absolute floor for results
    /// that are zero up to rounding).
    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        let difference = abs(a - b)
        return difference <= 1e-6 * max(abs(a), abs(b)) || difference < 1e-12
    }

    private static func vectorDifference(
        _ samples: [(labels: [String: String], value: Double)], _ expected: [(labels: [String: String], value: Double)], ordered: Bool
    ) -> String? {
        var byLabels: [[String: String]: Double] = [:]
        for sample in samples {
            if byLabels.updateValue(sample.value, forKey: sample.labels) != nil { return "Vigil returned \(sample.labels) twice" }
        }
        var expectedByLabels: [[String: String]: Double] = [:]
        for sample in expected { expectedByLabels[sample.labels] = sample.value }
        if let extra = byLabels.keys.first(where: { expectedByLabels[$0] == nil }) {
            return "\(byLabels.count) series, Prometheus \(expectedByLabels.count); Vigil has \(extra) which Prometheus lacks"
        }
        if let missing = expectedByLabels.keys.first(where: { byLabels[$0] == nil }) {
            return "\(byLabels.count) series, Prometheus \(expectedByLabels.count); Vigil lacks \(missing)"
        }
        for (labels, value) in byLabels where !close(value, expectedByLabels[labels]!) {
            return "\(labels): \(value), Prometheus \(expectedByLabels[labels]!)"
        }
        if ordered {
            for (index, (sample, expectedSample)) in zip(samples, expected).enumerated() where !close(sample.value, expectedSample.value) {
                return "order differs at \(index): \(sample.value), Prometheus \(expectedSample.value)"
            }
        }
        return nil
    }

    private static func matrixDifference(
        _ series: [[String: String]: [(time: Int64, value: Double)]], _ expected: [[String: String]: [(time: Int64, value: Double)]]
    ) -> String? {
        if let extra = series.keys.first(where: { expected[$0] == nil }) {
            return "\(series.count) series, Prometheus \(expected.count); Vigil has \(extra) which Prometheus lacks"
        }
        if let missing = expected.keys.first(where: { series[$0] == nil }) {
            return "\(series.count) series, Prometheus \(expected.count); Vigil lacks \(missing)"
        }
        for (labels, points) in series {
            let expectedPoints = expected[labels]!
            if points.count != expectedPoints.count {
                let times = Set(points.map(\.time)).symmetricDifference(expectedPoints.map(\.time)).sorted().prefix(3)
                return "\(labels): \(points.count) points, Prometheus \(expectedPoints.count) (differing at \(Array(times)))"
            }
            for (point, expectedPoint) in zip(points, expectedPoints) {
                if point.time != expectedPoint.time { return "\(labels): point at \(point.time), Prometheus at \(expectedPoint.time)" }
                if !close(point.value, expectedPoint.value) {
                    return "\(labels) at \(point.time): \(point.value), Prometheus \(expectedPoint.value)"
                }
            }
        }
        return nil
    }

    private static func dictionary(_ labels: Labels) -> [String: String] {
        Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.value) })
    }

    private static func point(_ any: Any?) -> (time: Int64, value: Double) {
        let pair = any as? [Any] ?? []
        let text = pair.count > 1 ? pair[1] as? String ?? "" : ""
        let value: Double
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default: value = Double(text) ?? .nan
        }
        return (milliseconds(pair.first), value)
    }

    private static func milliseconds(_ any: Any?) -> Int64 {
        if let number = any as? NSNumber { return Int64((number.doubleValue * 1000).rounded()) }
        return Int64.min
    }
}
