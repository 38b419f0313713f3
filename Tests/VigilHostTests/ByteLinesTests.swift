import XCTest
@testable import VigilHost

final class ByteLinesTests: XCTestCase {
    func testLinesAndFieldsWithNumbersAndOffsets() throws {
        let text = "a  b\tc\n\nlast 42"
        var fields: [[String]] = []
        var numbers: [Int] = []
        var offsets: [Int] = []
        withBytes(text) { bytes in
            var lines = ByteLines(bytes)
            while var line = lines.next() {
                numbers.append(line.number)
                offsets.append(line.offset)
                var words: [String] = []
                while let field = line.nextField() { words.append(field.text) }
                fields.append(words)
            }
        }
        XCTAssertEqual(fields, [["a", "b", "c"], [], ["last", "42"]])
        XCTAssertEqual(numbers, [1, 2, 3])
        XCTAssertEqual(offsets, [0, 7, 8])
    }

    func testParseErrorNamesLineOffsetAndField() {
        let error = withBytes("x 1\ny 2 zz\n") { bytes -> HostParseError? in
            var lines = ByteLines(bytes)
            _ = lines.next()
            var line = lines.next()!
            _ = line.nextField()
            _ = try? line.nextUnsigned(field: "first")
            do throws(HostParseError) {
                _ = try line.nextUnsigned(field: "second")
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(error, HostParseError(line: 2, byteOffset: 8, field: "second", reason: "\"zz\" is not an unsigned integer"))
        XCTAssertEqual(error?.description, "line 2, byte offset 8, field second: \"zz\" is not an unsigned integer")
    }
}
