@testable import VigilAgent
import VigilModel
import VigilWire
import XCTest

final class ShipperTests: XCTestCase {
    func testResponsesAreClassifiedAsAckRejectOrRetry() {
        XCTAssertEqual(Shipper.classify(status: 204, body: ""), .acknowledged)
        XCTAssertEqual(Shipper.classify(status: 400, body: "invalid batch"), .rejected(status: 400, message: "invalid batch"))
        XCTAssertEqual(Shipper.classify(status: 413, body: "too big"), .rejected(status: 413, message: "too big"))
        XCTAssertEqual(Shipper.classify(status: 404, body: "no"), .rejected(status: 404, message: "no"))
        for status in [401, 403] {
            XCTAssertEqual(
                Shipper.classify(status: status, body: "no"),
                .retry(reason: "HTTP \(status): the collector refuses the token; fix [collector] token and send SIGHUP"),
                "a refused token keeps the batch spooled until the config is fixed")
        }
        XCTAssertEqual(Shipper.classify(status: 429, body: ""), .retry(reason: "HTTP 429"))
        XCTAssertEqual(Shipper.classify(status: 408, body: ""), .retry(reason: "HTTP 408"))
        if case .retry = Shipper.classify(status: 503, body: "busy") {} else { XCTFail("5xx is retried") }
    }
}

final class CollectorFailoverTests: XCTestCase {
    func testAFailureMovesToTheNextCollectorAndBacksOffOnlyAfterAFullRound() {
        var failover = CollectorFailover(count: 3)
        XCTAssertEqual(failover.current, 0)
        XCTAssertNil(failover.failed())
        XCTAssertEqual(failover.current, 1)
        XCTAssertNil(failover.failed())
        XCTAssertEqual(failover.current, 2)
        XCTAssertEqual(failover.failed(), 0, "all three failed: first backoff")
        XCTAssertEqual(failover.current, 0)
        XCTAssertNil(failover.failed())
        XCTAssertNil(failover.failed())
        XCTAssertEqual(failover.failed(), 1, "second full round: longer backoff")
    }

    func testASuccessKeepsTheCollectorAndResetsTheBackoff() {
        var failover = CollectorFailover(count: 2)
        XCTAssertNil(failover.failed())
        failover.succeeded()
        XCTAssertEqual(failover.current, 1, "stays with the collector that answered")
        XCTAssertNil(failover.failed())
        XCTAssertEqual(failover.failed(), 0)
        XCTAssertEqual(failover.current, 1)
    }

    func testASingleCollectorBacksOffAfterEveryFailure() {
        var failover = CollectorFailover(count: 1)
        XCTAssertEqual((0..<4).map { _ in failover.failed() }, [0, 1, 2, 3])
        XCTAssertEqual(failover.current, 0)
    }
}

final class BacklogPacerTests: XCTestCase {
    func testBacklogSendsAreSpacedByTheRate() {
        var pacer = BacklogPacer(perSecond: 20)
        XCTAssertTrue(pacer.allows(at: 0))
        pacer.sent(at: 1_000_000_000)
        XCTAssertFalse(pacer.allows(at: 1_049_999_999))
        XCTAssertTrue(pacer.allows(at: 1_050_000_000))
        XCTAssertEqual(pacer.nextAllowed, 1_050_000_000)
    }
}

final class BatchBuilderTests: XCTestCase {
    func testSplitsByMaxSamplesAndNumbersBatchesConsecutively() throws {
        var builder = BatchBuilder(agentID: "agent-1", maxSamples: 5, firstSequence: 100)
        let series = (0..<12).map { index in
            SeriesSamples(labels: Labels(name: "m", [("i", String(index))]), samples: [Sample(timestamp: 1_000, value: Double(index))])
        }
        let entries = builder.build(series)
        XCTAssertEqual(entries.map(\.sequence), [100, 101, 102])
        XCTAssertEqual(entries.map(\.samples), [5, 5, 2])
        let decoded = try entries.map { try BatchCodec.decompress($0.body) }
        XCTAssertEqual(decoded.flatMap(\.series), series, "every sample is in exactly one batch, in order")
        XCTAssertEqual(Set(decoded.map(\.agentID)), ["agent-1"])
        XCTAssertEqual(decoded.map(\.sequence), [100, 101, 102])
        XCTAssertEqual(builder.build(series).first?.sequence, 103)
    }
}

final class AgentMetadataSeriesTests: XCTestCase {
    func testReportsVersionAndIntervalForTheHost() {
        let series = AgentMetadataSeries(host: "web-1", version: "1.2.3", interval: .milliseconds(1_500)).series(at: 42)
        XCTAssertEqual(series.map(\.labels.description), [
            #"vigil_agent_build_info{host="web-1", version="1.2.3"}"#,
            #"vigil_agent_interval_seconds{host="web-1"}"#,
        ])
        XCTAssertEqual(series.map { $0.samples }, [[Sample(timestamp: 42, value: 1)], [Sample(timestamp: 42, value: 1.5)]])
    }
}

final class AgentSpoolSeriesTests: XCTestCase {
    func testReportsDroppedPendingAndBytesForTheHost() {
        let stats = SpoolStats(pendingBatches: 4, bytes: 9_000, segments: 2, appendedBatches: 10, droppedBatches: 3, droppedSamples: 30, syncs: 1)
        let series = AgentSpoolSeries(host: "web-1").series(at: 42, stats: stats)
        XCTAssertEqual(series.map(\.labels.description), [
            #"vigil_agent_spool_dropped_batches_total{host="web-1"}"#,
            #"vigil_agent_spool_pending_batches{host="web-1"}"#,
            #"vigil_agent_spool_bytes{host="web-1"}"#,
        ])
        XCTAssertEqual(series.map { $0.samples }, [
            [Sample(timestamp: 42, value: 3)], [Sample(timestamp: 42, value: 4)], [Sample(timestamp: 42, value: 9_000)],
        ])
    }
}
