import Foundation
import VigilModel
import VigilQuery
import VigilStorage
import VigilTestSupport
import XCTest

/// Runs every query of `DifferentialQueries` against a real Prometheus 2.42 and against Vigil,
/// both holding `DifferentialData`, and requires the same answers.
///
/// Needs `prometheus` and `promtool` (Debian's prometheus package). Without them the test is
/// skipped, unless the environment variable CI is set, where it fails.
final class DifferentialTests: XCTestCase {
    private static let start = DifferentialData.start
    /// Instant evaluation times: mid-data, inside host c's gap, just before the stale series'
    /// lookback runs out, and after the data ends.
    private static let instantTimes: [Int64] = [
        start + 30 * 60_000 + 7_500, start + 46 * 60_000, start + 124 * 60_000, start + 182 * 60_000,
    ]
    /// Range evaluations: the whole data at a 1 m step, and an unaligned window at a 37 s step.
    private static let ranges: [(start: Int64, end: Int64, step: Int64)] = [
        (start + 5 * 60_000, start + 190 * 60_000, 60_000),
        (start + 60 * 60_000 + 17_300, start + 130 * 60_000, 37_000),
    ]

    func testVigilAgreesWithPrometheus() async throws {
        guard let binaries = PrometheusServer.binaries() else {
            let message = "prometheus and promtool are not installed (Debian: apt-get install prometheus); "
                + "the differential suite compares Vigil's PromQL with them"
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail(message) }
            throw XCTSkip(message)
        }
        let directory = NSTemporaryDirectory() + "vigil-differential-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let data = DifferentialData.generate()
        let server = try PrometheusServer(openMetrics: DifferentialData.openMetrics(data), directory: directory,
                                          prometheus: binaries.prometheus, promtool: binaries.promtool)
        defer { server.stop() }
        let storage = try Storage.open(directory: directory + "/vigil", options: StorageOptions(fsync: false))
        defer { storage.close() }
        _ = try await storage.append(data)
        let engine = PromQLEngine(storage: storage)

        try assertPrometheusHoldsTheGeneratedSamples(data, server)

        var disagreements: [String] = []
        var known: [String] = []
        var comparisons = 0
        var errorMessages = (same: 0, different: [String]())
        let knownReasons = Dictionary(uniqueKeysWithValues: DifferentialQueries.knownDifferences.map { ($0.query, $0.reason) })
        for query in DifferentialQueries.all + DifferentialQueries.knownDifferences.map(\.query) {
            let ordered = ["sort(", "sort_desc(", "topk", "bottomk"].contains { query.hasPrefix($0) }
            var problems: [String] = []
            for time in Self.instantTimes {
                let expected = ComparableResult(prometheus: try server.api("/api/v1/query", [
                    ("query", query), ("time", Self.seconds(time)),
                ]))
                let actual = ComparableResult { try engine.instant(query, at: time) }
                comparisons += 1
                if case .error(_, let message) = actual, case .error(_, let expectedMessage) = expected, time == Self.instantTimes[0] {
                    if expectedMessage == #"invalid parameter "query": "# + message || expectedMessage == message {
                        errorMessages.same += 1
                    } else {
                        errorMessages.different.append("\(query)\n    Vigil:      \(message)\n    Prometheus: \(expectedMessage)")
                    }
                }
                if let difference = actual.difference(from: expected, ordered: ordered) {
                    problems.append("instant at \(Self.seconds(time)): \(difference)")
                }
            }
            for range in Self.ranges {
                let expected = ComparableResult(prometheus: try server.api("/api/v1/query_range", [
                    ("query", query), ("start", Self.seconds(range.start)), ("end", Self.seconds(range.end)),
                    ("step", Self.seconds(range.step)),
                ]))
                let actual = ComparableResult { try engine.range(query, start: range.start, end: range.end, step: range.step) }
                comparisons += 1
                if let difference = actual.difference(from: expected, ordered: false) {
                    problems.append("range \(Self.seconds(range.start))..\(Self.seconds(range.end)) step \(Self.seconds(range.step)): \(difference)")
                }
            }
            if let reason = knownReasons[query] {
                known.append("\(query): " + (problems.isEmpty ? "now agrees" : "differs as expected: \(reason)"))
            } else if !problems.isEmpty {
                disagreements.append("\(query)\n    " + problems.joined(separator: "\n    "))
            }
        }
        let total = DifferentialQueries.all.count
        print("Differential PromQL suite: \(total - disagreements.count) of \(total) queries agree with Prometheus "
              + "(\(comparisons) instant and range evaluations).")
        print("Error messages: \(errorMessages.same) of \(errorMessages.same + errorMessages.different.count) identical to Prometheus'.")
        for difference in errorMessages.different { print("MESSAGE DIFFERS: \(difference)") }
        for note in known { print("KNOWN DIFFERENCE: \(note)") }
        for disagreement in disagreements { print("DISAGREES: \(disagreement)") }
        XCTAssertEqual(disagreements.count, 0, "queries that disagree:\n" + disagreements.joined(separator: "\n"))
    }

    /// The import must not have changed a sample, or every later comparison is moot.
    private func assertPrometheusHoldsTheGeneratedSamples(_ data: [SeriesSamples], _ server: PrometheusServer) throws {
        let end = Self.start + DifferentialData.duration
        let stored = ComparableResult(prometheus: try server.api("/api/v1/query", [
            ("query", #"{__name__=~".+"}[3h1m]"#), ("time", Self.seconds(end)),
        ]))
        var generated: [[String: String]: [(time: Int64, value: Double)]] = [:]
        for series in data {
            let labels = Dictionary(uniqueKeysWithValues: series.labels.map { ($0.name, $0.value) })
            generated[labels] = series.samples.map { ($0.timestamp, $0.value) }
        }
        if let difference = ComparableResult.matrix(generated).difference(from: stored, ordered: false) {
            XCTFail("Prometheus does not hold the generated samples: \(difference)")
        }
    }

    /// Milliseconds as the API's seconds: "1700001807.5".
    private static func seconds(_ milliseconds: Int64) -> String {
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return String(milliseconds / 1000) }
        let digits = String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
        return "\(milliseconds / 1000).\(digits)"
    }
}
