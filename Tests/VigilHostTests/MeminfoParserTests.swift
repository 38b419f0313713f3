import XCTest
@testable import VigilHost

final class MeminfoParserTests: XCTestCase {
    private func fields(_ bytes: [UInt8]) throws -> [String: (value: Double, hasUnit: Bool)] {
        var result: [String: (Double, Bool)] = [:]
        try withBytes(bytes) { raw in
            try MeminfoParser.forEachField(in: raw) { result[$0.key.text] = ($0.value, $0.hasUnit) }
        }
        return result
    }

    func testDebianFixtureConvertsKilobytesToBytes() throws {
        let fields = try fields(Fixture.bytes("debian12-vm", "proc/meminfo"))
        XCTAssertEqual(fields.count, 54)
        XCTAssertEqual(fields["MemTotal"]?.value, 24_684_084 * 1024)
        XCTAssertEqual(fields["VmallocTotal"]?.value, 34_359_738_367 * 1024)
        XCTAssertEqual(fields["Active(anon)"]?.value, 1544 * 1024)
        XCTAssertEqual(fields["HugePages_Total"]?.value, 0)
        XCTAssertEqual(fields["HugePages_Total"]?.hasUnit, false)
    }

    func testMetricNamesFollowNodeExporter() {
        XCTAssertEqual(MeminfoParser.metricName(key: "MemTotal", hasUnit: true), "node_memory_MemTotal_bytes")
        XCTAssertEqual(MeminfoParser.metricName(key: "Active(anon)", hasUnit: true), "node_memory_Active_anon_bytes")
        XCTAssertEqual(MeminfoParser.metricName(key: "Inactive(file)", hasUnit: true), "node_memory_Inactive_file_bytes")
        XCTAssertEqual(MeminfoParser.metricName(key: "HugePages_Free", hasUnit: false), "node_memory_HugePages_Free")
        XCTAssertEqual(MeminfoParser.metricName(key: "A(b)c(d)e", hasUnit: false), "node_memory_A_b)c(de")
    }

    func testLinesWithTooManyFieldsOrNoNumberAreErrors() {
        XCTAssertThrowsError(try withBytes("MemTotal: 1 kB extra\n") { raw in
            try MeminfoParser.forEachField(in: raw) { _ in }
        }) { error in
            XCTAssertEqual((error as? HostParseError)?.byteOffset, 15)
        }
        XCTAssertThrowsError(try withBytes("MemTotal: lots kB\n") { raw in
            try MeminfoParser.forEachField(in: raw) { _ in }
        }) { error in
            XCTAssertEqual((error as? HostParseError)?.field, "value of MemTotal")
        }
    }
}
