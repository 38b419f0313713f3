import XCTest
@testable import VigilHost

final class ProcStatParserTests: XCTestCase {
    func testDebianFixtureGivesSecondsAndTotals() throws {
        let stat = try withBytes(Fixture.bytes("debian12-vm", "proc/stat")) { try ProcStat.parse($0) }
        XCTAssertEqual(stat.cpus.count, 2)
        // cpu0 9848 0 999 22218 147 0 52 7 0 0
        XCTAssertEqual(stat.cpus[0], CPUTimes(user: 98.48, nice: 0, system: 9.99, idle: 222.18, iowait: 1.47, irq: 0, softirq: 0.52, steal: 0.07, guest: 0, guestNice: 0))
        XCTAssertEqual(stat.cpus[1].system, 11.07)
        XCTAssertEqual(stat.bootTime, 1_795_291_443)
        XCTAssertEqual(stat.interrupts, 255_231)
        XCTAssertEqual(stat.contextSwitches, 378_275)
        XCTAssertEqual(stat.forks, 11_390)
        XCTAssertEqual(stat.procsRunning, 1)
        XCTAssertEqual(stat.procsBlocked, 0)
    }

    func testOfflineCPUsAreZeroFilledAndShortLinesLeaveColumnsAtZero() throws {
        let stat = try withBytes(Fixture.bytes("edge-cases", "proc/stat")) { try ProcStat.parse($0) }
        XCTAssertEqual(stat.cpus.count, 3)
        XCTAssertEqual(stat.cpus[1], CPUTimes())
        XCTAssertEqual(stat.cpus[2].user, 20)
        XCTAssertEqual(stat.cpus[2].steal, 0)
        XCTAssertEqual(stat.cpus[2].guest, 0)
    }

    func testDividesTicksExactlyAsGoDoes() throws {
        let stat = try withBytes("cpu0 1 2 3 40769 5 6 7 8 9 10\n") { try ProcStat.parse($0) }
        XCTAssertEqual(stat.cpus[0].idle, 40769.0 / 100.0)
        XCTAssertEqual(stat.cpus[0].guestNice, 0.1)
    }

    func testReparsingReplacesEverything() throws {
        var stat = try withBytes("cpu0 1 1 1 1\ncpu1 2 2 2 2\nbtime 5\n") { try ProcStat.parse($0) }
        try withBytes("cpu0 3 3 3 3\nctxt 9\n") { try stat.parse($0) }
        XCTAssertEqual(stat.cpus.count, 1)
        XCTAssertEqual(stat.bootTime, 0)
        XCTAssertEqual(stat.contextSwitches, 9)
    }

    func testBadCPUNumberAndBadCounterAreErrorsWithPositions() {
        XCTAssertThrowsError(try withBytes("cpu 1 2\ncpuX 1 2 3\n") { try ProcStat.parse($0) }) { error in
            XCTAssertEqual((error as? HostParseError)?.line, 2)
            XCTAssertEqual((error as? HostParseError)?.field, "cpu number")
        }
        XCTAssertThrowsError(try withBytes("ctxt 12x\n") { try ProcStat.parse($0) }) { error in
            XCTAssertEqual(error as? HostParseError, HostParseError(line: 1, byteOffset: 5, field: "ctxt", reason: "\"12x\" is not an unsigned integer"))
        }
        XCTAssertThrowsError(try withBytes("cpu3 1 2 x\n") { try ProcStat.parse($0) }) { error in
            XCTAssertEqual((error as? HostParseError)?.field, "cpu3 column system")
        }
    }
}
