import XCTest
@testable import VigilHost

final class CgroupParserTests: XCTestCase {
    func testCPUStatCapturedFromAHost() throws {
        let cpu = try withBytes(Fixture.bytes("cgroup-v2", "sys/fs/cgroup/cpu.stat")) { try CgroupParser.cpuStat($0) }
        XCTAssertEqual(cpu.usage, 10_289_953_845)
        XCTAssertEqual(cpu.user, 9_540_945_023)
        XCTAssertEqual(cpu.system, 749_008_821)
    }

    func testCPUStatWithOtherKeysAndMissingOnes() throws {
        let cpu = try withBytes("nr_periods 3\nusage_usec 42\nthrottled_usec 7\n") { try CgroupParser.cpuStat($0) }
        XCTAssertEqual(cpu.usage, 42)
        XCTAssertNil(cpu.user)
        XCTAssertNil(cpu.system)
    }

    func testCPUStatBadValueNamesLineAndField() {
        XCTAssertThrowsError(try withBytes("usage_usec 1\nuser_usec x1\n") { try CgroupParser.cpuStat($0) }) { error in
            let parse = error as? HostParseError
            XCTAssertEqual(parse?.line, 2)
            XCTAssertEqual(parse?.field, "user_usec")
            XCTAssertEqual(parse?.byteOffset, 23)
        }
    }

    func testLimitIsANumberOrMax() throws {
        XCTAssertEqual(try withBytes("536870912\n") { try CgroupParser.limit($0) }, 536_870_912)
        XCTAssertEqual(try withBytes("max\n") { try CgroupParser.limit($0) }, .infinity)
        XCTAssertEqual(try withBytes("0") { try CgroupParser.limit($0) }, 0)
        XCTAssertThrowsError(try withBytes("") { try CgroupParser.limit($0) })
        XCTAssertThrowsError(try withBytes("12k\n") { try CgroupParser.limit($0) }) { error in
            XCTAssertEqual((error as? HostParseError)?.field, "value")
        }
    }

    func testIOStatSumsDevices() throws {
        let text = "8:0 rbytes=1859584 wbytes=20480 rios=45 wios=5 dbytes=0 dios=0\n"
            + "253:0 rbytes=1048576 wbytes=4096 rios=12 wios=1 dbytes=0 dios=0\n"
        let io = try withBytes(text) { try CgroupParser.ioBytes($0) }
        XCTAssertEqual(io.read, 2_908_160)
        XCTAssertEqual(io.written, 24_576)
    }

    func testEmptyIOStatIsZero() throws {
        let io = try withBytes("") { try CgroupParser.ioBytes($0) }
        XCTAssertEqual(io.read, 0)
        XCTAssertEqual(io.written, 0)
    }

    func testIOStatBadValueNamesLineAndField() {
        let text = "8:0 rbytes=1 wbytes=2 rios=1 wios=1 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=-2 rios=1\n"
        XCTAssertThrowsError(try withBytes(text) { try CgroupParser.ioBytes($0) }) { error in
            let parse = error as? HostParseError
            XCTAssertEqual(parse?.line, 2)
            XCTAssertEqual(parse?.field, "wbytes")
            XCTAssertEqual(parse?.byteOffset, 52 + 14)
        }
    }

    func testCapturedPressureFilesParse() throws {
        let io = try withBytes(Fixture.bytes("cgroup-v2", "sys/fs/cgroup/io.pressure")) { try PressureParser.parse($0) }
        XCTAssertEqual(io.some, 64_195_531)
        XCTAssertEqual(io.full, 10_028_177)
    }
}
