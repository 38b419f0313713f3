import VigilModel
import XCTest

@testable import VigilWire

/// Every `WireLimits` bound: at the limit the batch passes, one over it fails with an error
/// whose `isTooLarge` is true.
final class BatchLimitsTests: XCTestCase {
    private func limits(_ change: (inout WireLimits) -> Void) -> WireLimits {
        var limits = WireLimits.standard
        change(&limits)
        return limits
    }

    private func assertTooLarge(
        _ expression: @autoclosure () throws(WireError) -> Batch, _ expected: WireError,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertTrue(expected.isTooLarge, file: file, line: line)
        XCTAssertWireError(try expression(), expected, file: file, line: line)
    }

    func testDefaults() {
        let standard = WireLimits.standard
        XCTAssertEqual(standard.maxCompressedBytes, 8 << 20)
        XCTAssertEqual(standard.maxInflatedBytes, 64 << 20)
        XCTAssertEqual(standard.maxSeries, 200_000)
        XCTAssertEqual(standard.maxSamples, 2_000_000)
        XCTAssertEqual(standard.maxLabelsPerSeries, 64)
        XCTAssertEqual(standard.maxLabelNameBytes, 256)
        XCTAssertEqual(standard.maxLabelValueBytes, 4096)
        XCTAssertEqual(standard.maxIDBytes, 256)
    }

    func testCompressedBodySize() {
        let body = BatchCodec.compress(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decompress(body, limits: limits { $0.maxCompressedBytes = body.count }))
        assertTooLarge(
            try BatchCodec.decompress(body, limits: limits { $0.maxCompressedBytes = body.count - 1 }),
            .bodyTooLarge(bytes: body.count, limit: body.count - 1))
    }

    func testInflatedSize() {
        let payload = BatchCodec.encode(goldenBatch())
        let body = BatchCodec.compress(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decompress(body, limits: limits { $0.maxInflatedBytes = payload.count }))
        do {
            _ = try BatchCodec.decompress(body, limits: limits { $0.maxInflatedBytes = payload.count - 1 })
            XCTFail("inflating past the limit succeeded")
        } catch {
            guard case .inflatedTooLarge(let limit, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(limit, payload.count - 1)
            XCTAssertTrue(error.isTooLarge)
        }
        assertTooLarge(
            try BatchCodec.decode(payload, limits: limits { $0.maxInflatedBytes = payload.count - 1 }),
            .payloadTooLarge(bytes: payload.count, limit: payload.count - 1))
    }

    func testSeriesCount() {
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxSeries = 3 }))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxSeries = 2 }),
                       .tooManySeries(count: 3, limit: 2, offset: 103))
    }

    func testSampleCount() {
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxSamples = 8 }))
        // 4 + 3 samples fit a limit of 7; the third series' count at byte 159 brings it to 8.
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxSamples = 7 }),
                       .tooManySamples(count: 8, limit: 7, offset: 159))
    }

    func testLabelsPerSeries() {
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxLabelsPerSeries = 4 }))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxLabelsPerSeries = 3 }),
                       .tooManyLabels(count: 4, limit: 3, offset: 109))
    }

    func testLabelNameLength() {
        // "__name__" (8 bytes) is the longest name of the golden batch; it is first used at byte 105.
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxLabelNameBytes = 8 }))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxLabelNameBytes = 7 }),
                       .labelNameTooLong(bytes: 8, limit: 7, offset: 105))
    }

    func testLabelValueLength() {
        // "node_cpu_seconds_total" (22 bytes) is the longest value; "node_load1" (10) comes first.
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxLabelValueBytes = 22 }))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxLabelValueBytes = 9 }),
                       .labelValueTooLong(bytes: 10, limit: 9, offset: 106))
    }

    func testStringLongerThanAnyNameOrValue() {
        // The string table stops a string longer than both limits before reading it.
        let payload = BatchCodec.encode(goldenBatch())
        assertTooLarge(
            try BatchCodec.decode(payload, limits: limits { $0.maxLabelValueBytes = 21; $0.maxLabelNameBytes = 8 }),
            .stringTooLong(bytes: 22, limit: 21, offset: 61))
    }

    func testAgentIDAndVersionLength() {
        let payload = BatchCodec.encode(goldenBatch())
        XCTAssertNoThrow(try BatchCodec.decode(payload, limits: limits { $0.maxIDBytes = 6 }))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxIDBytes = 5 }),
                       .idTooLong(field: "agent id", bytes: 6, limit: 5, offset: 6))
        let longVersion = Batch(agentID: "a", agentVersion: String(repeating: "v", count: 300), sequence: 1, series: [])
        assertTooLarge(try BatchCodec.decode(BatchCodec.encode(longVersion)),
                       .idTooLong(field: "agent version", bytes: 300, limit: 256, offset: 8))
    }

    func testSampleCountsThatOverflowAreALimitError() {
        var builder = PayloadBuilder.header()
        builder.strings(["__name__", "up", "down"])
        builder.seriesTable([[(0, 1)], [(0, 2)]])
        builder.singleSample()
        let offset = builder.offset
        builder.uvarint(.max)
        assertTooLarge(try BatchCodec.decode(builder.sealed()), .tooManySamples(count: .max, limit: 2_000_000, offset: offset))
    }

    func testNegativeLimitsAllowNothingInsteadOfTrapping() {
        let payload = BatchCodec.encode(goldenBatch())
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxSeries = -1 }),
                       .tooManySeries(count: 3, limit: -1, offset: 103))
        assertTooLarge(try BatchCodec.decode(payload, limits: limits { $0.maxIDBytes = -1 }),
                       .idTooLong(field: "agent id", bytes: 6, limit: -1, offset: 6))
        XCTAssertThrowsError(try BatchCodec.decompress(BatchCodec.compress(goldenBatch()), limits: limits { $0.maxInflatedBytes = -1 }))
    }

    func testHugeDeclaredCountsFailBeforeAllocating() {
        // A tiny payload claiming 2^40 strings, series or samples must not reserve memory for them.
        var strings = PayloadBuilder.header()
        let stringCountOffset = strings.offset
        strings.uvarint(1 << 40)
        XCTAssertWireError(try BatchCodec.decode(strings.sealed()), .truncated(field: "string table", offset: stringCountOffset))

        var series = PayloadBuilder.header()
        series.strings([])
        let seriesCountOffset = series.offset
        series.uvarint(150_000)
        XCTAssertWireError(try BatchCodec.decode(series.sealed()), .truncated(field: "series table", offset: seriesCountOffset))

        var samples = PayloadBuilder.header()
        samples.strings(["__name__", "up"])
        samples.seriesTable([[(0, 1)]])
        samples.uvarint(1_000_000)
        let columnOffset = samples.offset
        samples.zigzag(0)
        XCTAssertWireError(try BatchCodec.decode(samples.sealed()), .truncated(field: "timestamp column", offset: columnOffset))
    }

    func testLargeValidBatchWithinDefaults() throws {
        // 100 hosts × 500 series × 10 samples = 500,000 samples, 50,000 series: well inside the defaults.
        let batch = fleetBatch(hosts: 100, seriesPerHost: 500, samplesPerSeries: 10)
        let body = BatchCodec.compress(batch)
        XCTAssertLessThan(body.count, WireLimits.standard.maxCompressedBytes)
        XCTAssertEqual(try BatchCodec.decompress(body), batch)
    }
}

/// Series shaped like node_exporter's: a handful of metric names with device/cpu/mode labels,
/// counters and gauges, scraped every 15 s.
func fleetBatch(hosts: Int, seriesPerHost: Int, samplesPerSeries: Int) -> Batch {
    var series: [SeriesSamples] = []
    series.reserveCapacity(hosts * seriesPerHost)
    for host in 0..<hosts {
        for index in 0..<seriesPerHost {
            let labels = Labels(name: "node_metric_\(index % 97)", [
                ("host", "host-\(host).example.net"), ("device", "dev\(index / 97)"), ("mode", ["idle", "user", "system"][index % 3]),
            ])
            var samples: [Sample] = []
            samples.reserveCapacity(samplesPerSeries)
            for step in 0..<samplesPerSeries {
                let timestamp = 1_700_000_000_000 + Int64(step) * 15_000 + Int64(host)
                let value = index % 2 == 0 ? Double(index * 1000 + step * (index % 7)) : Double(index) * 0.37 + Double(step % 3)
                samples.append(Sample(timestamp: timestamp, value: value))
            }
            series.append(SeriesSamples(labels: labels, samples: samples))
        }
    }
    return Batch(agentID: "relay", agentVersion: "1.0.0", sequence: 1, series: series)
}
