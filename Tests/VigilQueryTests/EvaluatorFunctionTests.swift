import XCTest

@testable import VigilQuery

/// Functions on hand-made data, with results worked out by hand.
final class EvaluatorFunctionTests: XCTestCase {
    private static let data = """
        counter{job="a"} 0 0
        counter{job="a"} 10 10000
        counter{job="a"} 20 20000
        counter{job="a"} 30 30000
        counter{job="a"} 40 40000
        counter{job="a"} 50 50000
        counter{job="a"} 60 60000
        late{job="a"} 5 10000
        late{job="a"} 15 20000
        late{job="a"} 25 30000
        resetting{job="a"} 0 0
        resetting{job="a"} 10 10000
        resetting{job="a"} 20 20000
        resetting{job="a"} 5 30000
        resetting{job="a"} 15 40000
        latency_bucket{le="1"} 10 0
        latency_bucket{le="2"} 20 0
        latency_bucket{le="+Inf"} 20 0
        host_info{instance="web-1:9100",zone="eu"} 1 0
        """

    func testRateExtrapolatesToTheWindowEdges() async throws {
        let fixture = try await QueryFixture(Self.data)
        // Samples at 10 s..50 s in a 50 s window: 5 s short at each end, extrapolated by 1.25.
        XCTAssertEqual(fixture.vector("increase(counter[50s])", at: 55_000), [#"{job="a"} => 50"#])
        XCTAssertEqual(fixture.vector("rate(counter[50s])", at: 55_000), [#"{job="a"} => 1"#])
        XCTAssertEqual(fixture.vector("delta(counter[50s])", at: 55_000), [#"{job="a"} => 50"#])
        // The counter would reach zero 5 s before its first sample: extrapolate no further.
        XCTAssertEqual(fixture.vector("increase(late[30s])", at: 30_000), [#"{job="a"} => 25"#])
        XCTAssertEqual(fixture.vector("increase(resetting[40s])", at: 40_000), [#"{job="a"} => 35"#])
        XCTAssertEqual(fixture.vector("resets(resetting[1m])", at: 40_000), [#"{job="a"} => 1"#])
        XCTAssertEqual(fixture.vector("irate(resetting[1m])", at: 40_000), [#"{job="a"} => 1"#])
        XCTAssertEqual(fixture.vector("idelta(resetting[1m])", at: 30_000), [#"{job="a"} => -15"#])
        XCTAssertEqual(fixture.vector("rate(counter[5s])", at: 60_000), [])
    }

    func testRegressionAndOverTimeFunctions() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("deriv(counter[1m])", at: 60_000), [#"{job="a"} => 1"#])
        XCTAssertEqual(fixture.vector("predict_linear(counter[1m], 100)", at: 60_000), [#"{job="a"} => 160"#])
        XCTAssertEqual(fixture.vector("avg_over_time(counter[1m])", at: 60_000), [#"{job="a"} => 30"#])
        XCTAssertEqual(fixture.vector("sum_over_time(counter[30s])", at: 60_000), [#"{job="a"} => 180"#])
        XCTAssertEqual(fixture.vector("quantile_over_time(0.5, counter[1m])", at: 60_000), [#"{job="a"} => 30"#])
        XCTAssertEqual(fixture.vector("stdvar_over_time(late[1m])", at: 30_000), [#"{job="a"} => 66.66666666666667"#])
        XCTAssertEqual(fixture.vector("last_over_time(counter[1m])", at: 65_000), [#"counter{job="a"} => 60"#])
        XCTAssertEqual(fixture.vector("changes(resetting[1m])", at: 40_000), [#"{job="a"} => 4"#])
        XCTAssertEqual(fixture.vector("holt_winters(counter[1m], 0.5, 0.5)", at: 60_000), [#"{job="a"} => 60"#])
        XCTAssertEqual(fixture.error("holt_winters(counter[1m], 1, 0.5)", at: 60_000)?.message,
                       "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000")
    }

    func testAbsent() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector(#"absent(missing{job="x", env=~"p.*"})"#, at: 0), [#"{job="x"} => 1"#])
        XCTAssertEqual(fixture.vector(#"absent(counter{job="a"})"#, at: 0), [])
        XCTAssertEqual(fixture.vector(#"absent_over_time(missing{job="x"}[1m])"#, at: 0), [#"{job="x"} => 1"#])
        XCTAssertEqual(fixture.vector("absent(sum(missing))", at: 0), ["{} => 1"])
    }

    func testHistogramQuantile() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("histogram_quantile(0.5, latency_bucket)", at: 0), ["{} => 1"])
        XCTAssertEqual(fixture.vector("histogram_quantile(0.75, latency_bucket)", at: 0), ["{} => 1.5"])
        XCTAssertEqual(fixture.vector("histogram_quantile(0.99, latency_bucket)", at: 0), ["{} => 1.98"])
        XCTAssertEqual(fixture.vector("histogram_quantile(2, latency_bucket)", at: 0), ["{} => +Inf"])
        XCTAssertEqual(fixture.vector(#"histogram_quantile(0.5, latency_bucket{le!="+Inf"})"#, at: 0), ["{} => NaN"])
    }

    func testLabelFunctions() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector(#"label_replace(host_info, "host", "$1", "instance", "(.*):\\d+")"#, at: 0), [
            #"host_info{host="web-1", instance="web-1:9100", zone="eu"} => 1"#,
        ])
        XCTAssertEqual(fixture.vector(#"label_replace(host_info, "x", "${1}_$2x$$", "instance", "(w)(eb).*")"#, at: 0), [
            #"host_info{instance="web-1:9100", x="w_$", zone="eu"} => 1"#,
        ])
        XCTAssertEqual(fixture.vector(#"label_replace(host_info, "zone", "", "zone", ".*")"#, at: 0), [
            #"host_info{instance="web-1:9100"} => 1"#,
        ])
        XCTAssertEqual(fixture.vector(#"label_join(host_info, "both", "/", "zone", "missing", "instance")"#, at: 0), [
            #"host_info{both="eu//web-1:9100", instance="web-1:9100", zone="eu"} => 1"#,
        ])
        XCTAssertEqual(fixture.error(#"label_replace(host_info, "x", "y", "zone", "(")"#, at: 0)?.message,
                       "invalid regular expression in label_replace(): (")
    }

    func testMathAndDateFunctions() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("round(vector(2.5))", at: 0), ["{} => 3"])
        XCTAssertEqual(fixture.vector("round(vector(-2.5))", at: 0), ["{} => -2"])
        XCTAssertEqual(fixture.vector("round(vector(7.3), 5)", at: 0), ["{} => 5"])
        XCTAssertEqual(fixture.vector("clamp(vector(5), 1, 3)", at: 0), ["{} => 3"])
        XCTAssertEqual(fixture.vector("clamp_min(vector(NaN), 3)", at: 0), ["{} => NaN"])
        XCTAssertEqual(fixture.vector("sgn(vector(-0.5))", at: 0), ["{} => -1"])
        XCTAssertEqual(fixture.vector("day_of_week(vector(0))", at: 0), ["{} => 4"])
        XCTAssertEqual(fixture.vector("days_in_month(vector(951782400))", at: 0), ["{} => 29"])
        XCTAssertEqual(fixture.vector("day_of_year(vector(951782400))", at: 0), ["{} => 60"])
        XCTAssertEqual(fixture.vector("year(vector(-1))", at: 0), ["{} => 1969"])
        XCTAssertEqual(fixture.vector("hour(vector(18059))", at: 0), ["{} => 5"])
        XCTAssertEqual(fixture.vector("minute(vector(18059))", at: 0), ["{} => 0"])
        XCTAssertEqual(fixture.vector("month()", at: 1_700_000_000_000), ["{} => 11"])
        XCTAssertEqual(fixture.scalar("scalar(counter)", at: 60_000), 60)
        XCTAssertEqual(fixture.scalar("time()", at: 1_500), 1.5)
    }
}
