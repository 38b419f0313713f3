import XCTest

@testable import VigilStorage

/// `SymbolTable`: one dense id per distinct string, strings returned as given.
final class SymbolTableTests: XCTestCase {
    func testEqualStringsShareOneIdAndIdsAreDense() {
        var table = SymbolTable()
        let long = String(repeating: "host-with-a-long-name.example.org/", count: 300)
        let strings = ["__name__", "node_cpu_seconds_total", "", "idle", long, "ünïcödé", "idle", long, ""]
        let ids = strings.map { table.intern($0) }
        XCTAssertEqual(ids, [0, 1, 2, 3, 4, 5, 3, 4, 2])
        XCTAssertEqual(table.count, 6)
        for (string, id) in zip(strings, ids) {
            XCTAssertEqual(table[id], string)
            XCTAssertEqual(table.id(of: string), id)
        }
        XCTAssertNil(table.id(of: "missing"))
        // A copy built from other storage (not the interned one) finds the same id.
        XCTAssertEqual(table.id(of: String(decoding: Array(long.utf8), as: UTF8.self)), 4)
    }

    func testHeapBytesCountLongStringsOnce() {
        var table = SymbolTable()
        _ = table.intern("short")
        let base = table.heapBytes
        let long = String(repeating: "x", count: 1_000)
        _ = table.intern(long)
        let withLong = table.heapBytes
        XCTAssertGreaterThanOrEqual(withLong - base, 1_000)
        _ = table.intern(long)
        XCTAssertEqual(table.heapBytes, withLong, "interning a known string adds nothing")
    }
}
