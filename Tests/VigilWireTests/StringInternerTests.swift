import XCTest

@testable import VigilWire

final class StringInternerTests: XCTestCase {
    /// Strings that differ only in their first, middle or last byte, at every length from 0 to
    /// 40, so every path of the word-wise hash and comparison meets near misses.
    private func nearMisses() -> [String] {
        var strings: [String] = []
        for length in 0...40 {
            let base = String(repeating: "a", count: length)
            strings.append(base)
            guard length > 0 else { continue }
            for position in Set([0, length / 2, length - 1]) {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "b")
                strings.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return strings
    }

    func testEqualStringsShareAnIndexInFirstUseOrder() {
        let distinct = nearMisses() + ["日本", "höst", "__name__", "node_cpu_seconds_total"]
        XCTAssertEqual(Set(distinct).count, distinct.count)
        var interner = StringInterner(expectedStrings: 4, expectedBytes: 16)
        for (index, string) in distinct.enumerated() {
            XCTAssertEqual(interner.intern(string), index, string)
        }
        // Again, as new String values with equal contents, in reverse order.
        for (index, string) in distinct.enumerated().reversed() {
            XCTAssertEqual(interner.intern(String(decoding: Array(string.utf8), as: UTF8.self)), index, string)
        }
        XCTAssertEqual(interner.count, distinct.count)

        var expected = ByteWriter(capacity: 0)
        for string in distinct { expected.appendString(string) }
        XCTAssertEqual(interner.entries.bytes, expected.bytes)
    }

    func testTheTableGrowsWithoutLosingStrings() {
        var interner = StringInterner(expectedStrings: 1, expectedBytes: 0)
        let strings = (0..<5000).map { "value-\($0)" }
        for (index, string) in strings.enumerated() {
            XCTAssertEqual(interner.intern(string), index)
        }
        for (index, string) in strings.enumerated() where interner.intern(string) != index {
            XCTFail("\(string) lost its index \(index)")
        }
        XCTAssertEqual(interner.count, strings.count)
    }
}
