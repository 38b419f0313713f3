import XCTest
@testable import VigilHost

final class PressureParserTests: XCTestCase {
    func testSomeAndFullTotals() throws {
        let io = try withBytes(Fixture.bytes("debian12-vm", "proc/pressure/io")) { try PressureParser.parse($0) }
        XCTAssertEqual(io.some, 1_766_053)
        XCTAssertEqual(io.full, 1_660_324)
    }

    func testCPUFileOfOlderKernelsHasNoFullLine() throws {
        let cpu = try withBytes("some avg10=1.00 avg60=2.00 avg300=3.00 total=12345\n") { try PressureParser.parse($0) }
        XCTAssertEqual(cpu.some, 12345)
        XCTAssertNil(cpu.full)
    }

    func testLineWithoutTotalIsAnError() {
        XCTAssertThrowsError(try withBytes("some avg10=1.00\n") { try PressureParser.parse($0) })
        XCTAssertThrowsError(try withBytes("full avg10=1.00 total=x\n") { try PressureParser.parse($0) })
    }
}
