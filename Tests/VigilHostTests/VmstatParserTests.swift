import XCTest
@testable import VigilHost

final class VmstatParserTests: XCTestCase {
    func testNamesAndValuesInOrder() throws {
        var fields: [(String, Double)] = []
        try withBytes(Fixture.bytes("edge-cases", "proc/vmstat")) { raw in
            try VmstatParser.forEachField(in: raw) { fields.append(($0.text, $1)) }
        }
        XCTAssertEqual(fields.count, 10)
        XCTAssertEqual(fields[0].0, "nr_free_pages")
        XCTAssertEqual(fields[5].1, 55555)
    }

    func testMissingValueIsAnError() {
        XCTAssertThrowsError(try withBytes("pgfault\n") { raw in try VmstatParser.forEachField(in: raw) { _, _ in } })
    }
}
