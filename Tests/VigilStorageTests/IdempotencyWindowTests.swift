import XCTest

@testable import VigilStorage

final class IdempotencyWindowTests: XCTestCase {
    func testRemembersRecentSequencesOnly() {
        var window = IdempotencyWindow(first: 10)
        window.insert(12)
        XCTAssertTrue(window.contains(10))
        XCTAssertFalse(window.contains(11))
        XCTAssertTrue(window.contains(12))
        XCTAssertFalse(window.contains(13))
        window.insert(11)
        XCTAssertTrue(window.contains(11))

        window.insert(12 + IdempotencyWindow.size - 1)
        XCTAssertTrue(window.contains(12))
        XCTAssertFalse(window.contains(11), "11 fell out of the window")
        XCTAssertFalse(window.contains(13), "13 was never inserted")

        window.insert(1_000_000)
        XCTAssertFalse(window.contains(12))
        XCTAssertTrue(window.contains(1_000_000))
        window.insert(5)
        XCTAssertFalse(window.contains(5), "too old to remember")
    }

    func testProducersAreSeparate() {
        var windows = IdempotencyWindows()
        windows.insert(IdempotencyKey(producer: "a", sequence: 1))
        XCTAssertTrue(windows.contains(IdempotencyKey(producer: "a", sequence: 1)))
        XCTAssertFalse(windows.contains(IdempotencyKey(producer: "b", sequence: 1)))
    }
}
