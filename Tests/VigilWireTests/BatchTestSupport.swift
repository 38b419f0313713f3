import VigilModel
import XCTest

@testable import VigilWire

/// A series from a metric name, extra labels and (timestamp, value) pairs.
func makeSeries(_ name: String, _ labels: [(String, String)] = [], _ samples: [(Int64, Double)]) -> SeriesSamples {
    SeriesSamples(labels: Labels(name: name, labels), samples: samples.map { Sample(timestamp: $0.0, value: $0.1) })
}

/// The batch whose encoding is committed as Vectors/batch-v1.bin.
func goldenBatch() -> Batch {
    Batch(agentID: "host-a", agentVersion: "1.4.2", sequence: 7, series: [
        makeSeries("node_load1", [("host", "a")], [
            (1_700_000_000_000, 0.5), (1_700_000_015_000, 0.75), (1_700_000_030_000, 0.75), (1_700_000_045_000, 1.25),
        ]),
        makeSeries("node_cpu_seconds_total", [("cpu", "0"), ("host", "a"), ("mode", "idle")], [
            (1_700_000_000_000, 12345.5), (1_700_000_015_000, 12360.25), (1_700_000_030_001, 12375.0),
        ]),
        makeSeries("up", [("host", "a")], [(1_700_000_000_500, 1.0)]),
    ])
}

/// Replaces the trailing CRC-32 with the checksum of the bytes before it, so a test can
/// reach the checks behind the checksum.
func resealed(_ payload: [UInt8]) -> [UInt8] {
    var body = Array(payload.dropLast(BatchFormat.checksumSize))
    return sealed(&body)
}

/// Appends the CRC-32 of `body`.
func sealed(_ body: inout [UInt8]) -> [UInt8] {
    let checksum = body.withUnsafeBytes { CRC32.checksum($0) }
    for shift in stride(from: 0, to: 32, by: 8) { body.append(UInt8(truncatingIfNeeded: checksum >> UInt32(shift))) }
    return body
}

/// Asserts that `expression` throws exactly `expected`.
func XCTAssertWireError<T>(
    _ expression: @autoclosure () throws(WireError) -> T, _ expected: WireError, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try expression()
        XCTFail("expected \(expected) but decoding succeeded. \(message)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, message, file: file, line: line)
    }
}

/// Builds payloads field by field, for inputs the encoder never produces (bad indexes,
/// bad UTF-8, broken value columns). `offset` is where the next field will start.
struct PayloadBuilder {
    private var writer = ByteWriter(capacity: 256)

    var offset: Int { writer.bytes.count }

    /// Magic, version 1, no flags, the ids, the sequence and base timestamp 0.
    static func header(agentID: String = "agent-1", agentVersion: String = "1.0") -> PayloadBuilder {
        var builder = PayloadBuilder()
        builder.bytes(Array("VGLB".utf8) + [1, 0])
        builder.string(agentID)
        builder.string(agentVersion)
        builder.writer.appendLittleEndian(UInt64(1))
        builder.zigzag(0)
        return builder
    }

    mutating func bytes(_ bytes: [UInt8]) { writer.append(contentsOf: bytes) }
    mutating func uvarint(_ value: UInt64) { writer.appendUVarint(value) }
    mutating func zigzag(_ value: Int64) { writer.appendZigzagVarint(value) }
    mutating func string(_ value: String) { writer.appendString(value) }
    mutating func double(_ value: Double) { writer.appendLittleEndian(value.bitPattern) }

    /// A string table of the given strings.
    mutating func strings(_ values: [String]) {
        uvarint(UInt64(values.count))
        for value in values { string(value) }
    }

    /// A series table: per series its (name index, value index) pairs.
    mutating func seriesTable(_ series: [[(UInt64, UInt64)]]) {
        uvarint(UInt64(series.count))
        for pairs in series {
            uvarint(UInt64(pairs.count))
            for (name, value) in pairs {
                uvarint(name)
                uvarint(value)
            }
        }
    }

    /// One single-sample series column: count 1, timestamp `base + 0`, `value`.
    mutating func singleSample(_ value: Double = 1) {
        uvarint(1)
        zigzag(0)
        double(value)
    }

    /// The bytes with their CRC-32 appended.
    func sealed() -> [UInt8] {
        var body = writer.bytes
        return VigilWireTests.sealed(&body)
    }
}

/// A small deterministic generator (SplitMix64) so randomized tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
