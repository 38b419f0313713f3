import XCTest
@testable import VigilHost

final class DiskstatsParserTests: XCTestCase {
    private func devices(_ bytes: [UInt8]) throws -> [(name: String, major: UInt64, minor: UInt64, stats: [UInt64])] {
        var result: [(String, UInt64, UInt64, [UInt64])] = []
        try withBytes(bytes) { raw in
            try DiskstatsParser.forEachDevice(in: raw) { result.append(($0.name.text, $0.major, $0.minor, Array($0.stats))) }
        }
        return result
    }

    func testDebianFixtureHasSeventeenStatisticsPerDevice() throws {
        let devices = try devices(Fixture.bytes("debian12-vm", "proc/diskstats"))
        XCTAssertEqual(devices.map(\.name), ["loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop7", "vda", "zram0"])
        let vda = try XCTUnwrap(devices.first { $0.name == "vda" })
        XCTAssertEqual(vda.major, 254)
        XCTAssertEqual(vda.stats, [26871, 5022, 2_307_698, 5071, 13598, 33440, 2_249_856, 15083, 0, 4392, 20366, 2475, 0, 228_440, 170, 2174, 41])
    }

    func testOldShortAndLongLayouts() throws {
        let devices = try devices(Fixture.bytes("edge-cases", "proc/diskstats"))
        let counts = Dictionary(uniqueKeysWithValues: devices.map { ($0.name, $0.stats.count) })
        XCTAssertEqual(counts["sda"], 11, "pre-4.18 layout")
        XCTAssertEqual(counts["sdb"], 15, "4.18+ layout with discards")
        XCTAssertEqual(counts["nvme0n1"], 17, "5.5+ layout with flushes")
        XCTAssertEqual(counts["dm-0"], 17, "columns beyond 17 are ignored")
        XCTAssertNil(counts["sdb1"], "the four-column partition layout is skipped")
    }

    func testNonNumericColumnIsAnError() {
        XCTAssertThrowsError(try devices(Array("   8 0 sda 1 2 3 4 5 6 7 8 9 ten 11\n".utf8))) { error in
            XCTAssertEqual((error as? HostParseError)?.field, "sda column 13")
        }
    }
}
