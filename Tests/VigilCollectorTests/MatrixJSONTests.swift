import Foundation
@testable import VigilCollector
import VigilModel
import XCTest

/// The matrix writer's parts join into the text one thread writes.
final class MatrixJSONTests: XCTestCase {
    func testPartsCoverTheSeriesInOrder() {
        let series = (0..<37).map { index in
            SeriesSamples(labels: Labels(name: "m", [("i", String(index))]),
                          samples: (0..<(index % 5 == 0 ? 9_000 : 700)).map { Sample(timestamp: Int64($0) * 1_000, value: Double($0)) })
        }
        let parts = MatrixJSON.partition(series, processors: 2)
        XCTAssertEqual(parts.first?.lowerBound, 0)
        XCTAssertEqual(parts.last?.upperBound, series.count)
        XCTAssertLessThanOrEqual(parts.count, 2 * MatrixJSON.partsPerProcessor)
        XCTAssertGreaterThan(parts.count, 1)
        for (earlier, later) in zip(parts, parts.dropFirst()) { XCTAssertEqual(earlier.upperBound, later.lowerBound) }
        XCTAssertEqual(MatrixJSON.partition(Array(series.prefix(3)), processors: 2), [0..<3], "small answers stay whole")
    }

    func testParallelTextEqualsOneThreadsText() throws {
        let series = (0..<40).map { index in
            SeriesSamples(labels: Labels(name: "rate", [("host", "h\(index)")]),
                          samples: (0..<2_000).map { Sample(timestamp: 1_700_000_000_000 + Int64($0) * 15_500, value: Double($0 * index) / 300) })
        }
        var parallel = JSONWriter()
        MatrixJSON.write(series, into: &parallel)
        var expected = ""
        for (index, item) in series.enumerated() {
            if index > 0 { expected += "," }
            let labels = item.labels.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",")
            let values = item.samples.map { "[\(PrometheusNumber.timestamp($0.timestamp)),\"\(PrometheusNumber.value($0.value))\"]" }
            expected += "{\"metric\":{\(labels)},\"values\":[\(values.joined(separator: ","))]}"
        }
        XCTAssertEqual(String(decoding: parallel.bytes, as: UTF8.self), expected)
        let parsed = try JSONSerialization.jsonObject(with: Data(("[" + expected + "]").utf8)) as? [Any]
        XCTAssertEqual(parsed?.count, series.count)
    }
}
