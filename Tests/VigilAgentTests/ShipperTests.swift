@testable import VigilAgent
import VigilModel
import VigilWire
import XCTest

final class ShipperTests: XCTestCase {
    func testResponsesAreClassifiedAsAckRejectOrRetry() {
        XCTAssertEqual(Shipper.classify(status: 204, body: ""), .acknowledged)
        XCTAssertEqual(Shipper.classify(status: 400, body: "invalid batch"), .rejected(status: 400, message: "invalid batch"))
        XCTAssertEqual(Shipper.classify(status: 413, body: "too big"), .rejected(status: 413, message: "too big"))
        XCTAssertEqual(Shipper.classify(status: 401, body: "no"), .rejected(status: 401, message: "no"))
        XCTAssertEqual(Shipper.classify(status: 429, body: ""), .retry(reason: "HTTP 429"))
        XCTAssertEqual(Shipper.classify(status: 408, body: ""), .retry(reason: "HTTP 408"))
        if case .retry = Shipper.classify(status: 503, body: "busy") {} else { XCTFail("5xx is retried") }
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
