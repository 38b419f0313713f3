import Foundation
import VigilModel
import XCTest

/// POST /api/v1/import/prometheus with the text format, plain and gzip-compressed.
final class ImportTests: XCTestCase {
    func testImportedHistoryIsQueryableAndABadLineStoresNothing() throws {
        let collector = try CollectorProcess(config: "[self_monitor]\nenabled = false\n")
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url)
        let base = (UnixTime.nowMilliseconds() / 1000 - 3600) * 1000
        var text = "# HELP imported_total Test.\n# TYPE imported_total counter\n"
        for step in 0..<60 {
            text += "imported_total{job=\"old\",path=\"/a b\"} \(step * 10) \(base + Int64(step) * 60_000)\n"
        }
        let plain = try client.post(Array(text.utf8), encoding: "identity", path: "/api/v1/import/prometheus")
        XCTAssertEqual(plain.status, 204, plain.bodyText)

        let gzipped = try Self.gzip("imported_gauge{job=\"old\"} 42.5 \(base)\nimported_gauge{job=\"old\"} 43.5 \(base + 60_000)\n")
        let compressed = try client.post(gzipped, encoding: "gzip", path: "/api/v1/import/prometheus")
        XCTAssertEqual(compressed.status, 204, compressed.bodyText)

        let rate = try client.query("increase(imported_total[10m])", time: base + 30 * 60_000)
        XCTAssertEqual(rate.count, 1)
        XCTAssertEqual(Double(((rate.first?["value"] as? [Any])?[1] as? String) ?? ""), 100)
        XCTAssertEqual(try client.query("imported_gauge", time: base + 60_000).first.flatMap { ($0["value"] as? [Any])?[1] as? String }, "43.5")

        let bad = try client.post(Array("ok_metric 1 \(base)\nbroken{ 2\n".utf8), encoding: "identity", path: "/api/v1/import/prometheus")
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad.bodyText.contains("line 2"), bad.bodyText)
        XCTAssertEqual(try client.query("ok_metric", time: base).count, 0, "all or nothing")

        // Re-importing the same history stores nothing twice.
        XCTAssertEqual(try client.post(Array(text.utf8), encoding: "identity", path: "/api/v1/import/prometheus").status, 204)
        let raw = try client.query("imported_total[2h]", time: base + 59 * 60_000)
        XCTAssertEqual((raw.first?["values"] as? [Any])?.count, 60)
    }

    static func gzip(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
