import XCTest
@testable import VigilHost

final class NetDevParserTests: XCTestCase {
    private func devices(_ bytes: [UInt8]) throws -> [String: [UInt64]] {
        var result: [String: [UInt64]] = [:]
        try withBytes(bytes) { raw in
            try NetDevParser.forEachDevice(in: raw) { result[$0.name.text] = Array($0.counters) }
        }
        return result
    }

    func testDebianFixture() throws {
        let devices = try devices(Fixture.bytes("debian12-vm", "proc/net/dev"))
        XCTAssertEqual(Set(devices.keys), ["lo", "ifb0", "ifb1", "eth0"])
        XCTAssertEqual(devices["lo"]?[0], 37554)
        XCTAssertEqual(devices["eth0"]?[0], 25_608_873)
        XCTAssertEqual(devices["eth0"]?[9], 759)
    }

    func testLongNamesAndCountersTouchingTheColon() throws {
        let devices = try devices(Fixture.bytes("edge-cases", "proc/net/dev"))
        XCTAssertEqual(devices["enp0s31f6"], [98_765_432_101_234, 321, 1, 2, 3, 4, 5, 6, 7_654_321, 432, 7, 8, 9, 10, 11, 12])
        XCTAssertEqual(devices["veth1234567890a"]?.count, 16)
        XCTAssertEqual(devices["eth0"]?[0], UInt64.max)
    }

    func testMissingCounterIsAnError() {
        let text = "h1\nh2\n  eth0: 1 2 3\n"
        XCTAssertThrowsError(try devices(Array(text.utf8))) { error in
            XCTAssertEqual((error as? HostParseError)?.line, 3)
            XCTAssertEqual((error as? HostParseError)?.field, "eth0 receive_drop")
        }
    }
}
