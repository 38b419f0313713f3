import XCTest
@testable import VigilHost

final class NamedSlotsTests: XCTestCase {
    private func find(_ slots: inout NamedSlots<String>, _ name: String, made: inout [String]) -> Int? {
        withBytes(name) { raw in
            slots.find(raw) { name in
                made.append(name)
                return name.uppercased()
            }
        }
    }

    func testEntriesAreMadeOnceAndFoundInAnyOrder() {
        var slots = NamedSlots<String>()
        var made: [String] = []
        slots.beginPass()
        XCTAssertEqual(find(&slots, "sda", made: &made), 0)
        XCTAssertEqual(find(&slots, "sdb", made: &made), 1)
        slots.endPass()
        slots.beginPass()
        XCTAssertEqual(find(&slots, "sdb", made: &made), 1)
        XCTAssertEqual(find(&slots, "sda", made: &made), 0)
        slots.endPass()
        XCTAssertEqual(made, ["sda", "sdb"])
        XCTAssertEqual(slots[1], "SDB")
    }

    func testDuplicateInOnePassIsNil() {
        var slots = NamedSlots<String>()
        var made: [String] = []
        slots.beginPass()
        XCTAssertEqual(find(&slots, "lo", made: &made), 0)
        XCTAssertNil(find(&slots, "lo", made: &made))
    }

    func testNamesMissingFromAPassAreDropped() {
        var slots = NamedSlots<String>()
        var made: [String] = []
        slots.beginPass()
        _ = find(&slots, "veth1", made: &made)
        _ = find(&slots, "eth0", made: &made)
        slots.endPass()
        slots.beginPass()
        XCTAssertEqual(find(&slots, "eth0", made: &made), 1)
        slots.endPass()
        XCTAssertEqual(slots.count, 1)
        XCTAssertEqual(slots[0], "ETH0")
        slots.beginPass()
        XCTAssertEqual(find(&slots, "eth0", made: &made), 0)
        XCTAssertEqual(find(&slots, "veth1", made: &made), 1)
        XCTAssertEqual(made, ["veth1", "eth0", "veth1"])
    }
}
