import Foundation
import VigilModel
import VigilWire
import XCTest

/// The parser on a real scrape of node_exporter 1.5.0 (default collectors) from
/// /work/shared/reference.
final class PrometheusTextNodeExporterTests: XCTestCase {
    /// A real node_exporter 1.5.0 scrape (copied from the steering repo's shared/reference).
    private static var scrapePath: String { Bundle.module.url(forResource: "Vectors/node_exporter-1.5.0-default-scrape.txt", withExtension: nil)!.path }

    private func scrape() throws -> String {
        try String(contentsOfFile: Self.scrapePath, encoding: .utf8)
    }

    func testParsesEverySample() throws {
        let text = try scrape()
        let samples = try PrometheusText.parse(text)
        XCTAssertEqual(samples.count, 524)
        let sampleLines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(samples.count, sampleLines.count)
        XCTAssertTrue(samples.allSatisfy { $0.timestamp == nil && $0.labels.metricName != nil })

        let osInfo = try XCTUnwrap(samples.first { $0.labels.metricName == "node_os_info" })
        XCTAssertEqual(osInfo.labels["pretty_name"], "Debian GNU/Linux 12 (bookworm)")
        XCTAssertNil(osInfo.labels["build_id"], "empty values are dropped")
        let quantile = try XCTUnwrap(samples.first { $0.labels.metricName == "go_gc_duration_seconds" })
        XCTAssertEqual(quantile.labels["quantile"], "0")
        let filesystem = try XCTUnwrap(samples.first {
            $0.labels.metricName == "node_filesystem_size_bytes" && $0.labels["mountpoint"] == "/"
        })
        XCTAssertEqual(filesystem.value, 2.70553174016e11)
    }

    func testMetadataOfEveryFamily() throws {
        let metadata = PrometheusText.parseMetadata(try scrape())
        XCTAssertEqual(metadata.count, 283)
        XCTAssertEqual(metadata["node_cpu_seconds_total"]?.type, "counter")
        XCTAssertEqual(metadata["node_cpu_seconds_total"]?.help, "Seconds the CPUs spent in each mode.")
        XCTAssertEqual(metadata["go_gc_duration_seconds"]?.type, "summary")
    }

    func testRenderedValuesMatchNodeExporterText() throws {
        // Rendering each parsed sample reproduces node_exporter's value text exactly.
        let text = try scrape()
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let samples = try PrometheusText.parse(text)
        for (line, sample) in zip(lines, samples) {
            let rendered = PrometheusText.render([
                SeriesSamples(labels: sample.labels, samples: [Sample(timestamp: 0, value: sample.value)]),
            ])
            let renderedValue = rendered.split(separator: " ").dropLast().last.map(String.init)
            XCTAssertEqual(renderedValue, line.split(separator: " ").last.map(String.init), String(line))
        }
    }

    func testWireRoundTripOfTheScrape() throws {
        let samples = try PrometheusText.parse(try scrape())
        let series = samples.map { SeriesSamples(labels: $0.labels, samples: [Sample(timestamp: 1_700_000_000_000, value: $0.value)]) }
        let batch = Batch(agentID: "vm", agentVersion: "1.0.0", sequence: 1, series: series)
        XCTAssertEqual(try BatchCodec.decompress(BatchCodec.compress(batch)), batch)
    }
}
