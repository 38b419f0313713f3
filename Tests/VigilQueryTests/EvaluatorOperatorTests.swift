import XCTest

@testable import VigilQuery

/// Binary operators, vector matching and aggregations on hand-made data.
final class EvaluatorOperatorTests: XCTestCase {
    private static let data = """
        requests{instance="a",job="api",method="get"} 10 0
        requests{instance="a",job="api",method="post"} 4 0
        requests{instance="b",job="api",method="get"} 6 0
        limits{instance="a",job="api"} 20 0
        limits{instance="b",job="api"} 12 0
        info{instance="a",version="1.2"} 1 0
        info{instance="b",version="1.3"} 1 0
        dup{instance="a",x="1"} 1 0
        dup{instance="a",x="2"} 2 0
        other_requests{instance="a",job="api",method="get"} 3 0
        """

    func testArithmeticDropsTheNameAndComparisonKeepsIt() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector(#"requests{method="get"} * 2"#, at: 0), [
            #"{instance="a", job="api", method="get"} => 20"#, #"{instance="b", job="api", method="get"} => 12"#,
        ])
        XCTAssertEqual(fixture.vector("requests > 5", at: 0), [
            #"requests{instance="a", job="api", method="get"} => 10"#, #"requests{instance="b", job="api", method="get"} => 6"#,
        ])
        XCTAssertEqual(fixture.vector("7 < bool requests", at: 0), [
            #"{instance="a", job="api", method="get"} => 1"#, #"{instance="a", job="api", method="post"} => 0"#,
            #"{instance="b", job="api", method="get"} => 0"#,
        ])
        XCTAssertEqual(fixture.scalar("2 ^ 3 ^ 2", at: 0), 512)
        XCTAssertEqual(fixture.scalar("-7 % 3", at: 0), -1)
        XCTAssertEqual(fixture.scalar("1 >= bool 2", at: 0), 0)
    }

    func testOneToOneAndManyToOneMatching() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("requests - other_requests", at: 0), [#"{instance="a", job="api", method="get"} => 7"#])
        XCTAssertEqual(fixture.vector("sum by (instance) (requests) / on(instance) limits", at: 0), [
            #"{instance="a"} => 0.7"#, #"{instance="b"} => 0.5"#,
        ])
        XCTAssertEqual(fixture.vector("requests / ignoring(method) group_left limits", at: 0), [
            #"{instance="a", job="api", method="get"} => 0.5"#, #"{instance="a", job="api", method="post"} => 0.2"#,
            #"{instance="b", job="api", method="get"} => 0.5"#,
        ])
        XCTAssertEqual(fixture.vector("limits * on(instance) group_left(version) info", at: 0), [
            #"{instance="a", job="api", version="1.2"} => 20"#, #"{instance="b", job="api", version="1.3"} => 12"#,
        ])
        XCTAssertEqual(fixture.vector("info * on(instance) group_right(version) limits", at: 0), [
            #"{instance="a", job="api", version="1.2"} => 20"#, #"{instance="b", job="api", version="1.3"} => 12"#,
        ])
    }

    func testMatchingErrors() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.error("requests + on(instance) limits", at: 0)?.message,
                       "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
        XCTAssertEqual(fixture.error("limits + on(instance) group_left dup", at: 0)?.message,
                       #"found duplicate series for the match group {instance="a"} on the right hand-side of the operation: "#
                       + #"[{__name__="dup", instance="a", x="2"}, {__name__="dup", instance="a", x="1"}]"#
                       + ";many-to-many matching not allowed: matching labels must be unique on one side")
        XCTAssertEqual(fixture.error(#"{__name__=~"requests|other_requests"} + on(instance) group_left limits"#, at: 0)?.message,
                       "multiple matches for labels: grouping labels must ensure unique matches")
        XCTAssertEqual(fixture.error(#"{__name__=~"requests|other_requests"} * 1"#, at: 0)?.message,
                       "vector cannot contain metrics with the same labelset")
    }

    func testSetOperators() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("requests and on(instance) (limits > 15)", at: 0), [
            #"requests{instance="a", job="api", method="get"} => 10"#, #"requests{instance="a", job="api", method="post"} => 4"#,
        ])
        XCTAssertEqual(fixture.vector("limits or on(instance) info", at: 0), [
            #"limits{instance="a", job="api"} => 20"#, #"limits{instance="b", job="api"} => 12"#,
        ])
        XCTAssertEqual(fixture.vector(#"info unless on(instance) requests{method="post"}"#, at: 0), [
            #"info{instance="b", version="1.3"} => 1"#,
        ])
    }

    func testAggregations() async throws {
        let fixture = try await QueryFixture(Self.data)
        XCTAssertEqual(fixture.vector("sum by (instance) (requests)", at: 0), [#"{instance="a"} => 14"#, #"{instance="b"} => 6"#])
        // Prometheus' incremental mean, not (10 + 4 + 6) / 3.
        XCTAssertEqual(fixture.vector("avg without (method, instance) (requests)", at: 0), [#"{job="api"} => 6.666666666666666"#])
        XCTAssertEqual(fixture.vector("count(requests)", at: 0), ["{} => 3"])
        XCTAssertEqual(fixture.vector("stddev(limits)", at: 0), ["{} => 4"])
        XCTAssertEqual(fixture.vector("stdvar(limits)", at: 0), ["{} => 16"])
        XCTAssertEqual(fixture.vector("quantile(0.5, requests)", at: 0), ["{} => 6"])
        XCTAssertEqual(fixture.vector("quantile(0.25, requests)", at: 0), ["{} => 5"])
        XCTAssertEqual(fixture.vector("group by (job) (requests)", at: 0), [#"{job="api"} => 1"#])
        XCTAssertEqual(fixture.vector(#"count_values("value", requests / 3)"#, at: 0), [
            #"{value="1.3333333333333333"} => 1"#, #"{value="2"} => 1"#, #"{value="3.3333333333333335"} => 1"#,
        ])
        XCTAssertEqual(fixture.vector("topk(2, requests)", at: 0, ordered: true), [
            #"requests{instance="a", job="api", method="get"} => 10"#, #"requests{instance="b", job="api", method="get"} => 6"#,
        ])
        XCTAssertEqual(fixture.vector("bottomk by (instance) (1, requests)", at: 0, ordered: true), [
            #"requests{instance="a", job="api", method="post"} => 4"#, #"requests{instance="b", job="api", method="get"} => 6"#,
        ])
        // Ties keep the series Prometheus' heap keeps: the first ones seen.
        XCTAssertEqual(fixture.vector("topk(1, info)", at: 0), [#"info{instance="a", version="1.2"} => 1"#])
        XCTAssertEqual(fixture.vector("topk(0, info)", at: 0), [])
        XCTAssertEqual(fixture.vector("sort_desc(limits)", at: 0, ordered: true), [
            #"limits{instance="a", job="api"} => 20"#, #"limits{instance="b", job="api"} => 12"#,
        ])
    }
}
