import XCTest
@testable import VigilHost

final class CPUCounterGuardTests: XCTestCase {
    func testValuesNeverGoBackwardsBySmallSteps() {
        var counterGuard = CPUCounterGuard()
        counterGuard.update(with: [CPUTimes(user: 10, idle: 100)])
        counterGuard.update(with: [CPUTimes(user: 9.5, idle: 98.5)])
        XCTAssertEqual(counterGuard.times, [CPUTimes(user: 10, idle: 100)])
        counterGuard.update(with: [CPUTimes(user: 11, idle: 99)])
        XCTAssertEqual(counterGuard.times, [CPUTimes(user: 11, idle: 100)])
    }

    func testIdleJumpingBackThreeSecondsRestartsThatCPU() {
        var counterGuard = CPUCounterGuard()
        counterGuard.update(with: [CPUTimes(user: 10, idle: 100), CPUTimes(user: 5, idle: 50)])
        counterGuard.update(with: [CPUTimes(user: 1, idle: 97), CPUTimes(user: 6, idle: 51)])
        XCTAssertEqual(counterGuard.times, [CPUTimes(user: 1, idle: 97), CPUTimes(user: 6, idle: 51)])
    }

    func testChangedCPUCountRestartsAll() {
        var counterGuard = CPUCounterGuard()
        counterGuard.update(with: [CPUTimes(user: 10, idle: 100)])
        counterGuard.update(with: [CPUTimes(user: 2, idle: 99), CPUTimes(user: 1, idle: 1)])
        XCTAssertEqual(counterGuard.times, [CPUTimes(user: 2, idle: 99), CPUTimes(user: 1, idle: 1)])
    }
}
