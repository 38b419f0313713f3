import XCTest
@testable import VigilHost

final class CPUListParserTests: XCTestCase {
    func testRangesAndSingles() throws {
        XCTAssertEqual(try withBytes("0-2,5,7-8\n") { try CPUListParser.parse($0) }, [0, 1, 2, 5, 7, 8])
        XCTAssertEqual(try withBytes("\n") { try CPUListParser.parse($0) }, [])
        XCTAssertEqual(try withBytes(Fixture.bytes("debian12-vm", "sys/devices/system/cpu/isolated")) { try CPUListParser.parse($0) }, [])
    }

    func testBadListsAreErrors() {
        XCTAssertThrowsError(try withBytes("3-1\n") { try CPUListParser.parse($0) })
        XCTAssertThrowsError(try withBytes("a\n") { try CPUListParser.parse($0) })
    }
}
