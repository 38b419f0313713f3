import VigilModel
import XCTest

@testable import VigilWire

/// Decoding with the label tables of an earlier batch: equal tables are skipped, anything
/// else is decoded and checked as usual.
final class BatchKnownTablesTests: XCTestCase {
    private func decode(_ batch: Batch, known: BatchLabelTables?, askedFor: inout String?) throws -> DecodedBatch {
        let payload = BatchCodec.encode(batch)
        var agent: String?
        let decoded = try payload.withUnsafeBytes { bytes in
            try Result { () throws(WireError) in
                try BatchCodec.decode(bytes, known: { id in
                    agent = id
                    return known
                })
            }.get()
        }
        askedFor = agent
        return decoded
    }

    private func tick(_ batch: Batch, shiftedBy milliseconds: Int64, sequence: UInt64) -> Batch {
        var next = batch
        next.sequence = sequence
        for index in next.series.indices {
            next.series[index].samples = next.series[index].samples.map {
                Sample(timestamp: $0.timestamp + milliseconds, value: $0.value * 2)
            }
        }
        return next
    }

    func testEqualTablesAreSkippedAndSamplesStillDecoded() throws {
        var agent: String?
        let first = goldenBatch()
        let decoded = try decode(first, known: nil, askedFor: &agent)
        XCTAssertEqual(agent, "host-a", "the known tables are asked for by the batch's agent id")
        XCTAssertEqual(decoded.labels, first.series.map(\.labels))
        let tables = try XCTUnwrap(decoded.labelTables)
        XCTAssertEqual(tables.seriesCount, 3)
        XCTAssertEqual(try tables.labels(limits: .standard), first.series.map(\.labels))

        let second = tick(first, shiftedBy: 15_000, sequence: 8)
        let again = try decode(second, known: tables, askedFor: &agent)
        XCTAssertNil(again.labels, "equal tables are not decoded again")
        XCTAssertEqual(again.labelTables, tables)
        XCTAssertEqual(again.sequence, 8)
        XCTAssertEqual(again.samples, PackedSamples(second.series))
        XCTAssertEqual((0..<3).map { Array(again.samples[series: $0]) }, second.series.map(\.samples))
    }

    func testDifferentTablesAreDecodedInFull() throws {
        var agent: String?
        let first = goldenBatch()
        let tables = try XCTUnwrap(try decode(first, known: nil, askedFor: &agent).labelTables)
        // One more series: the old tables are a different byte string (the series count differs).
        var grown = first
        grown.series.append(makeSeries("up", [("host", "b")], [(1_700_000_000_000, 1)]))
        let decoded = try decode(grown, known: tables, askedFor: &agent)
        XCTAssertEqual(decoded.labels, grown.series.map(\.labels))
        XCTAssertNotEqual(decoded.labelTables, tables)
        XCTAssertEqual(decoded.labelTables?.seriesCount, 4)
        // One value changed, same lengths: still different bytes.
        var renamed = first
        renamed.series[2].labels = Labels(name: "up", [("host", "z")])
        XCTAssertEqual(try decode(renamed, known: tables, askedFor: &agent).labels, renamed.series.map(\.labels))
        // Known tables longer than what is left of the payload never match.
        let long = BatchLabelTables(bytes: tables.bytes + [UInt8](repeating: 0, count: 4096), seriesCount: 3)
        XCTAssertEqual(try decode(first, known: long, askedFor: &agent).labels, first.series.map(\.labels))
    }

    func testDamagedSamplesAreRefusedEvenWithKnownTables() throws {
        var agent: String?
        let first = goldenBatch()
        let tables = try XCTUnwrap(try decode(first, known: nil, askedFor: &agent).labelTables)
        var payload = BatchCodec.encode(first)
        // Cut the last series' sample columns short (keeping a valid checksum).
        payload.removeLast(BatchFormat.checksumSize + 3)
        let truncated = sealed(&payload)
        let result = truncated.withUnsafeBytes { bytes in
            Result { () throws(WireError) in try BatchCodec.decode(bytes, known: { _ in tables }) }
        }
        guard case .failure(.truncated) = result else { return XCTFail("expected a truncation error, got \(result)") }
    }

    func testPlainDecodeStillBuildsSeries() throws {
        let batch = goldenBatch()
        XCTAssertEqual(try BatchCodec.decode(BatchCodec.encode(batch)), batch)
    }
}
