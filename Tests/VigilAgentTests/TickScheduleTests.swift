@testable import VigilAgent
import XCTest

final class TickScheduleTests: XCTestCase {
    func testDeadlinesStayOnTheGridWhateverEachTickCost() {
        var schedule = TickSchedule(origin: 1_000, interval: 100)
        XCTAssertEqual(schedule.next(after: 1_030), 1_100)
        XCTAssertEqual(schedule.next(after: 1_199), 1_200, "a slow tick does not push the next one later")
        XCTAssertEqual(schedule.next(after: 1_200), 1_300)
        XCTAssertEqual(schedule.skipped, 0)
    }

    func testOverrunSkipsMissedTicksInsteadOfBursting() {
        var schedule = TickSchedule(origin: 0, interval: 100)
        XCTAssertEqual(schedule.next(after: 350), 400)
        XCTAssertEqual(schedule.skipped, 3)
        XCTAssertEqual(schedule.next(after: 401), 500)
        XCTAssertEqual(schedule.skipped, 3)
    }
}

final class BackoffTests: XCTestCase {
    func testCeilingDoublesUpToTheMaximumWithoutOverflow() {
        let backoff = Backoff(initial: 1_000, maximum: 60_000)
        XCTAssertEqual((0..<8).map { backoff.ceiling(attempt: $0) }, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
        XCTAssertEqual(backoff.ceiling(attempt: 10_000), 60_000)
    }

    func testDelayIsJitteredWithinHalfToFullCeiling() {
        let backoff = Backoff(initial: 1_000, maximum: 60_000)
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<200).map { _ in backoff.delay(attempt: 3, using: &generator) }
        XCTAssertTrue(delays.allSatisfy { (4_000...8_000).contains($0) }, "\(delays.min()!)...\(delays.max()!)")
        XCTAssertGreaterThan(Set(delays).count, 50, "agents do not retry in lockstep")
    }
}
