import VigilModel
import XCTest

@testable import VigilQuery

/// Selectors, lookback, staleness, offset, @ and subqueries on hand-made data.
final class EvaluatorSelectorTests: XCTestCase {
    private static let data = """
        up{job="api",instance="a"} 1 0
        up{job="api",instance="a"} 1 60000
        up{job="api",instance="b"} 0 0
        up{job="node",instance="c"} 1 120000
        counter{instance="a"} 0 0
        counter{instance="a"} 10 10000
        counter{instance="a"} 20 20000
        counter{instance="a"} 30 30000
        counter{instance="a"} 40 40000
        counter{instance="a"} 50 50000
        counter{instance="a"} 60 60000
        """

    func testLookbackIsFiveMinutesInclusive() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector(#"up{job="api"}"#, at: 300_000), [
            #"up{instance="a", job="api"} => 1"#, #"up{instance="b", job="api"} => 0"#,
        ])
        XCTAssertEqual(fixture.vector(#"up{job="api"}"#, at: 300_001), [#"up{instance="a", job="api"} => 1"#])
        XCTAssertEqual(fixture.vector(#"up{job="api"}"#, at: 360_001), [])
        XCTAssertEqual(fixture.vector("up", at: -1), [])
    }

    func testStalenessMarkerHidesTheSeries() async throws {
        let fixture = try await QueryFixture(Self.data)
        let marker = Double(bitPattern: LoadedData.staleNaNBits)
        _ = try await fixture.storage.append([
            SeriesSamples(labels: Labels(name: "up", [("job", "api"), ("instance", "a")]),
                          samples: [Sample(timestamp: 90_000, value: marker)]),
        ])
        XCTAssertEqual(fixture.vector(#"up{instance="a"}"#, at: 89_000), [#"up{instance="a", job="api"} => 1"#])
        XCTAssertEqual(fixture.vector(#"up{instance="a"}"#, at: 90_000), [])
        XCTAssertEqual(fixture.vector(#"count_over_time(up{instance="a"}[5m])"#, at: 100_000), [#"{instance="a", job="api"} => 2"#])
    }

    func testOffsetAndAt() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("counter offset 30s", at: 60_000), [#"counter{instance="a"} => 30"#])
        XCTAssertEqual(fixture.vector("counter offset -20s", at: 20_000), [#"counter{instance="a"} => 40"#])
        XCTAssertEqual(fixture.vector("counter @ 25", at: 1_000_000), [#"counter{instance="a"} => 20"#])
        XCTAssertEqual(fixture.vector("counter @ 50 offset 10s", at: 0), [#"counter{instance="a"} => 40"#])
        XCTAssertEqual(fixture.vector("timestamp(counter @ 25)", at: 1_000_000), [#"{instance="a"} => 20"#])
        XCTAssertEqual(fixture.vector("timestamp(counter)", at: 65_000), [#"{instance="a"} => 60"#])
        XCTAssertEqual(fixture.vector("timestamp(-counter)", at: 65_000), [#"{instance="a"} => 65"#])
    }

    func testRangeSelectorIncludesBothEnds() async throws {
        let fixture = try await QueryFixture(Self.data)
        guard case .matrix(let series) = try fixture.engine.instant("counter[20s]", at: 40_000) else {
            return XCTFail("not a matrix")
        }
        XCTAssertEqual(series.count, 1)
        XCTAssertEqual(series[0].samples.map(\.timestamp), [20_000, 30_000, 40_000])
        XCTAssertEqual(series[0].labels, Labels(name: "counter", [("instance", "a")]))
    }

    func testSubqueryStepsAreAlignedToMultiplesOfTheStep() async throws {
        let fixture = try await QueryFixture(Self.data)
        guard case .matrix(let series) = try fixture.engine.instant("counter[25s:10s]", at: 47_000) else {
            return XCTFail("not a matrix")
        }
        XCTAssertEqual(series.first?.samples, [
            Sample(timestamp: 30_000, value: 30), Sample(timestamp: 40_000, value: 40),
        ])
        XCTAssertEqual(fixture.vector("max_over_time(rate(counter[20s])[1m:10s])", at: 60_000), [#"{instance="a"} => 1"#])
        XCTAssertEqual(fixture.vector("count_over_time(counter[1m:])", at: 60_000), [#"{instance="a"} => 2"#])
    }

    func testRangeQueryStepsFromStartByStep() async throws {
        let fixture = try await QueryFixture(Self.data)
        guard case .matrix(let series) = try fixture.engine.range("counter", start: 5_000, end: 45_000, step: 20_000) else {
            return XCTFail("not a matrix")
        }
        XCTAssertEqual(series.first?.samples, [
            Sample(timestamp: 5_000, value: 0), Sample(timestamp: 25_000, value: 20), Sample(timestamp: 45_000, value: 40),
        ])
        guard case .matrix(let scalar) = try fixture.engine.range("time()", start: 0, end: 2_000, step: 1_000) else {
            return XCTFail("not a matrix")
        }
        XCTAssertEqual(scalar, [SeriesSamples(labels: Labels(presorted: []), samples: [
            Sample(timestamp: 0, value: 0), Sample(timestamp: 1_000, value: 1), Sample(timestamp: 2_000, value: 2),
        ])])
        XCTAssertThrowsError(try fixture.engine.range("counter[5m]", start: 0, end: 1, step: 1)) { error in
            XCTAssertEqual(error as? PromQLError, PromQLError(.badData,
                #"invalid expression type "range vector" for range query, must be Scalar or instant Vector"#))
        }
    }

    func testRangeQueryAcrossManyStepsMatchesInstantQueries() async throws {
        let fixture = try await QueryFixture(Self.data)
        let queries = [
            "sum by (job) (up) + on() group_left scalar(counter)",
            "rate(counter[30s])",
            "quantile_over_time(0.5, counter[20s] offset 5s)",
            "max_over_time(counter[1m:10s])",
        ]
        for query in queries {
            try assertRangeMatchesInstants(fixture, query, start: 0, end: 400_000, step: 7_000)
        }
    }

    /// Three hours of samples: long enough that the store is read in time slices in parallel.
    func testLongRangeQueriesMatchInstantQueries() async throws {
        var text = ""
        for minute in 0..<180 {
            text += "bytes{host=\"a\"} \(minute * 100 + (minute % 7) * 3) \(minute * 60_000)\n"
            text += "bytes{host=\"b\"} \(minute % 50 * 10) \(minute * 60_000 + 500)\n"
        }
        let fixture = try await QueryFixture(text)
        for query in ["bytes", "increase(bytes[10m])", "scalar(sum(rate(bytes[5m] @ 3600))) + avg_over_time(bytes[1h])"] {
            try assertRangeMatchesInstants(fixture, query, start: 0, end: 11_000_000, step: 130_000)
        }
    }

    /// Every point of the range query equals the instant query at its time, and no series is
    /// missing a point the instant query has.
    private func assertRangeMatchesInstants(
        _ fixture: QueryFixture, _ query: String, start: Int64, end: Int64, step: Int64, line: UInt = #line
    ) throws {
        guard case .matrix(let series) = try fixture.engine.range(query, start: start, end: end, step: step) else {
            return XCTFail("\(query) is not a matrix", line: line)
        }
        var points = 0
        for time in stride(from: start, through: end, by: Int(step)) {
            guard case .vector(let instant) = try fixture.engine.instant(query, at: time) else {
                return XCTFail("\(query) is not a vector", line: line)
            }
            for sample in instant {
                let value = series.first { $0.labels == sample.labels }?.samples.first { $0.timestamp == time }?.value
                XCTAssertEqual(value?.bitPattern, sample.sample.value.bitPattern, "\(query) \(sample.labels) at \(time)", line: line)
                points += 1
            }
        }
        XCTAssertEqual(series.map(\.samples.count).reduce(0, +), points, query, line: line)
        XCTAssertGreaterThan(points, 0, query, line: line)
    }

    func testSampleLimitStopsTheQuery() async throws {
        let fixture = try await QueryFixture(Self.data, maxSamples: 5)
        let error = fixture.error("counter[1m]", at: 60_000)
        XCTAssertEqual(error?.kind, .execution)
        XCTAssertTrue(error?.message.hasPrefix("query processing would load too many samples into memory") == true)
        XCTAssertEqual(fixture.vector(#"up{job="api"}"#, at: 60_000).count, 2)
    }
}
