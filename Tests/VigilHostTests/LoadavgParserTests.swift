import XCTest
@testable import VigilHost

final class LoadavgParserTests: XCTestCase {
    func testFirstThreeFields() throws {
        let loads = try withBytes(Fixture.bytes("debian12-vm", "proc/loadavg")) { try LoadavgParser.parse($0) }
        XCTAssertEqual(loads.load1, 0.45)
        XCTAssertEqual(loads.load5, 0.74)
        XCTAssertEqual(loads.load15, 0.35)
    }

    func testEmptyOrShortFileIsAnError() {
        XCTAssertThrowsError(try withBytes("") { try LoadavgParser.parse($0) })
        XCTAssertThrowsError(try withBytes("0.1 0.2\n") { try LoadavgParser.parse($0) }) { error in
            XCTAssertEqual((error as? HostParseError)?.field, "load15")
        }
    }
}
