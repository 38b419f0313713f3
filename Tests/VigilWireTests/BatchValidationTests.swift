import VigilModel
import XCTest

@testable import VigilWire

/// Each rule of docs/formats/batch.md, broken once, gives its own error at the right offset.
final class BatchValidationTests: XCTestCase {
    private let valid = BatchCodec.encode(goldenBatch())

    // MARK: framing

    func testBadMagic() {
        var payload = valid
        payload[2] = UInt8(ascii: "X")
        XCTAssertWireError(try BatchCodec.decode(payload), .badMagic(offset: 2))
        XCTAssertWireError(try BatchCodec.decode(Array("GET / HTTP/1.1".utf8)), .badMagic(offset: 0))
    }

    func testUnsupportedVersionAndFlags() {
        var payload = valid
        payload[4] = 2
        XCTAssertWireError(try BatchCodec.decode(payload), .unsupportedVersion(2, offset: 4))
        payload = valid
        payload[5] = 0x10
        XCTAssertWireError(try BatchCodec.decode(payload), .unsupportedFlags(0x10, offset: 5))
    }

    func testChecksumMismatch() {
        var payload = valid
        payload[40] ^= 0x01
        let stored = UInt32(valid[170]) | UInt32(valid[171]) << 8 | UInt32(valid[172]) << 16 | UInt32(valid[173]) << 24
        let computed = payload.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[..<170])) }
        XCTAssertWireError(try BatchCodec.decode(payload), .checksumMismatch(stored: stored, computed: computed, offset: 170))
    }

    func testTrailingBytesBeforeTheChecksum() {
        let payload = resealed(Array(valid.dropLast(4)) + [0, 0, 0xAB, 0, 0, 0, 0])
        XCTAssertWireError(try BatchCodec.decode(payload), .trailingBytes(count: 3, offset: 170))
    }

    func testEmptyPayload() {
        XCTAssertWireError(try BatchCodec.decode([]), .truncated(field: "magic", offset: 0))
        XCTAssertWireError(try BatchCodec.decode(Array(valid.prefix(8))), .truncated(field: "checksum", offset: 6))
    }

    // MARK: header

    func testEmptyAgentID() {
        var builder = PayloadBuilder.header(agentID: "")
        builder.strings([])
        builder.seriesTable([])
        XCTAssertWireError(try BatchCodec.decode(builder.sealed()), .emptyAgentID(offset: 6))
    }

    func testInvalidUTF8InAgentID() {
        var builder = PayloadBuilder()
        builder.bytes(Array("VGLB".utf8) + [1, 0])
        builder.bytes([3, UInt8(ascii: "a"), 0xC3, 0x28])  // 0xC3 needs a continuation byte
        builder.bytes([0])
        builder.bytes([UInt8](repeating: 0, count: 8) + [0, 0, 0])
        XCTAssertWireError(try BatchCodec.decode(builder.sealed()), .invalidUTF8(field: "agent id", offset: 8))
    }

    func testVarintOverflow() {
        var builder = PayloadBuilder()
        builder.bytes(Array("VGLB".utf8) + [1, 0])
        builder.bytes([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        builder.bytes([UInt8](repeating: 0, count: 20))
        XCTAssertWireError(try BatchCodec.decode(builder.sealed()), .varintOverflow(field: "agent id", offset: 6))
    }

    // MARK: string and series tables

    func testInvalidUTF8InStringTable() {
        var builder = PayloadBuilder.header()
        builder.uvarint(2)
        builder.string("__name__")
        let second = builder.offset + 1
        builder.bytes([4, UInt8(ascii: "o"), UInt8(ascii: "k"), 0xED, 0xA0])  // a UTF-16 surrogate half
        builder.bytes([UInt8](repeating: 0, count: 16))
        XCTAssertWireError(try BatchCodec.decode(builder.sealed()), .invalidUTF8(field: "string 1", offset: second + 2))
    }

    func testStringIndexOutOfRange() {
        var builder = PayloadBuilder.header()
        builder.strings(["__name__", "up"])
        builder.uvarint(1)
        builder.uvarint(1)
        builder.uvarint(0)
        let offset = builder.offset
        builder.uvarint(2)
        builder.singleSample()
        XCTAssertWireError(try BatchCodec.decode(builder.sealed()), .stringIndexOutOfRange(index: 2, count: 2, offset: offset))
    }

    private func decodeSingleSeries(_ labels: Labels) throws(WireError) -> Batch {
        try BatchCodec.decode(BatchCodec.encode(Batch(
            agentID: "a", agentVersion: "1", sequence: 1,
            series: [SeriesSamples(labels: labels, samples: [Sample(timestamp: 1, value: 1)])])))
    }

    /// The offset of the first label pair when every string is one of the given strings: the
    /// series table starts right after the string table.
    private func firstPairOffset(strings: [String]) -> Int {
        6 + 2 + 2 + 8 + 1 + 1 + strings.reduce(0) { $0 + 1 + $1.utf8.count } + 1 + 1
    }

    func testInvalidLabelNames() {
        for name in ["1abc", "a-b", "", "ä", "a:b"] {
            let labels = Labels(presorted: [Label("__name__", "up"), Label(name, "x")])
            let offset = firstPairOffset(strings: ["__name__", "up", name, "x"]) + 2
            XCTAssertWireError(try decodeSingleSeries(labels), .invalidLabelName(name, offset: offset), name)
        }
    }

    func testMissingMetricName() {
        let labels = Labels(presorted: [Label("host", "a")])
        XCTAssertWireError(try decodeSingleSeries(labels), .missingMetricName(offset: firstPairOffset(strings: ["host", "a"]) - 1))
        XCTAssertWireError(try decodeSingleSeries(Labels(presorted: [])), .missingMetricName(offset: firstPairOffset(strings: []) - 1))
    }

    func testInvalidMetricNames() {
        for name in ["1up", "node-load", "a b", "é"] {
            let labels = Labels(presorted: [Label("__name__", name)])
            let offset = firstPairOffset(strings: ["__name__", name]) + 1
            XCTAssertWireError(try decodeSingleSeries(labels), .invalidMetricName(name, offset: offset), name)
        }
        XCTAssertEqual(try decodeSingleSeries(Labels(name: "a:b_c:1")).series.first?.labels.metricName, "a:b_c:1")
    }

    func testLabelsNotSortedOrRepeated() {
        let unsorted = Labels(presorted: [Label("__name__", "up"), Label("mode", "idle"), Label("cpu", "0")])
        let offset = firstPairOffset(strings: ["__name__", "up", "mode", "idle", "cpu", "0"]) + 4
        XCTAssertWireError(try decodeSingleSeries(unsorted), .labelsNotSorted(previous: "mode", name: "cpu", offset: offset))
        let repeated = Labels(presorted: [Label("__name__", "up"), Label("cpu", "0"), Label("cpu", "1")])
        let repeatedOffset = firstPairOffset(strings: ["__name__", "up", "cpu", "0", "1"]) + 4
        XCTAssertWireError(try decodeSingleSeries(repeated), .labelsNotSorted(previous: "cpu", name: "cpu", offset: repeatedOffset))
        // Upper case sorts before "_" and "_" before lower case, byte-wise as String order does.
        let mixed = Labels([Label("__name__", "up"), Label("Zone", "1"), Label("_x", "2"), Label("a", "3")])
        XCTAssertEqual(mixed.map(\.name), ["Zone", "__name__", "_x", "a"])
        XCTAssertEqual(try decodeSingleSeries(mixed).series.first?.labels, mixed)
    }

    func testEmptyLabelValue() {
        let labels = Labels(presorted: [Label("__name__", "up"), Label("host", "")])
        let offset = firstPairOffset(strings: ["__name__", "up", "host", ""]) + 3
        XCTAssertWireError(try decodeSingleSeries(labels), .emptyLabelValue(name: "host", offset: offset))
    }

    // MARK: sample columns

    private func decodeSamples(_ samples: [Sample]) throws(WireError) -> Batch {
        try BatchCodec.decode(BatchCodec.encode(Batch(
            agentID: "a", agentVersion: "1", sequence: 1,
            series: [SeriesSamples(labels: Labels(name: "up"), samples: samples)])))
    }

    /// Where the sample count of the only series of `decodeSamples` sits.
    private let columnsOffset = 6 + 2 + 2 + 8 + 1 + 1 + 9 + 3 + 1 + 1 + 2

    func testEmptySeries() {
        XCTAssertWireError(try decodeSamples([]), .emptySeries(offset: columnsOffset))
    }

    func testTimestampsNotStrictlyIncreasing() {
        XCTAssertWireError(
            try decodeSamples([Sample(timestamp: 5, value: 1), Sample(timestamp: 5, value: 2)]),
            .timestampNotIncreasing(previous: 5, timestamp: 5, offset: columnsOffset + 2))
        XCTAssertWireError(
            try decodeSamples([Sample(timestamp: 5, value: 1), Sample(timestamp: 10, value: 2), Sample(timestamp: 7, value: 3)]),
            .timestampNotIncreasing(previous: 10, timestamp: 7, offset: columnsOffset + 3))
    }

    func testTimestampDeltaThatOverflowsIsRejected() {
        // A delta of 2^63 from Int64.max - 1 would wrap around to a negative timestamp.
        var builder = PayloadBuilder.header()
        builder.strings(["__name__", "up"])
        builder.seriesTable([[(0, 1)]])
        builder.uvarint(2)
        builder.zigzag(.max - 1)
        let offset = builder.offset
        builder.uvarint(1 << 63)
        builder.double(1)
        builder.bytes([0x00])
        XCTAssertWireError(
            try BatchCodec.decode(builder.sealed()),
            .timestampNotIncreasing(previous: .max - 1, timestamp: (Int64.max - 1) &+ .min, offset: offset))
    }

    /// A payload with one series of two samples whose XOR bit stream is `bits`.
    private func payloadWithValueBits(_ bits: [UInt8]) -> (payload: [UInt8], columnOffset: Int) {
        var builder = PayloadBuilder.header()
        builder.strings(["__name__", "up"])
        builder.seriesTable([[(0, 1)]])
        builder.uvarint(2)
        builder.zigzag(0)
        builder.uvarint(1)
        let columnOffset = builder.offset
        builder.double(1)
        builder.bytes(bits)
        return (builder.sealed(), columnOffset)
    }

    func testWindowReusedBeforeOneWasSet() {
        let (payload, column) = payloadWithValueBits([0b1000_0000, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertWireError(
            try BatchCodec.decode(payload),
            .invalidValueEncoding(reason: "value 1 reuses a window before one was set", offset: column + 8))
    }

    func testWindowWiderThan64Bits() {
        // 11, 31 leading zeros, 40 meaningful bits: 71 > 64.
        let (payload, column) = payloadWithValueBits([0b1111_1111, 0b0100_0000, 0, 0, 0, 0, 0])
        XCTAssertWireError(
            try BatchCodec.decode(payload),
            .invalidValueEncoding(reason: "window of 31 leading zeros and 40 meaningful bits exceeds 64 bits", offset: column + 9))
    }

    func testNonZeroPadding() {
        // 0 (unchanged) then seven padding bits, one of them set.
        let (payload, column) = payloadWithValueBits([0b0000_0001])
        XCTAssertWireError(
            try BatchCodec.decode(payload),
            .invalidValueEncoding(reason: "padding bits after the last value are not zero", offset: column + 8))
        XCTAssertEqual(try BatchCodec.decode(payloadWithValueBits([0]).payload).series[0].samples.map(\.value), [1, 1])
    }

    func testErrorsSayWhereAndWhatToDo() {
        let malformed = WireError.labelsNotSorted(previous: "mode", name: "cpu", offset: 120)
        XCTAssertFalse(malformed.isTooLarge)
        XCTAssertEqual(
            malformed.description,
            "label \"cpu\" at byte 120 does not sort strictly after \"mode\" (labels must be sorted by name and unique); "
                + "the batch is malformed (a sender bug or damaged bytes) and must not be retried")
        let tooLarge = WireError.tooManySeries(count: 300_000, limit: 200_000, offset: 33)
        XCTAssertTrue(tooLarge.isTooLarge)
        XCTAssertEqual(
            tooLarge.description,
            "batch declares 300000 series at byte 33, over the limit of 200000; send smaller batches or raise the collector's wire limits")
    }
}
