import VigilConfig
import XCTest

/// Malformed input: each error's exact line, column, kind and message, and error recovery.
final class ConfigDocumentErrorTests: XCTestCase {
    private func errors(_ text: String, file: String = "test.conf") -> [ConfigError] {
        do throws(ConfigErrors) {
            _ = try ConfigDocument.parse(text, file: file)
            XCTFail("expected errors for \(text.debugDescription)")
            return []
        } catch {
            return error.errors
        }
    }

    private func assertError(
        _ text: String, _ line: Int, _ column: Int, _ kind: ConfigError.Kind, _ message: String,
        hint: String? = nil, file: StaticString = #filePath, line testLine: UInt = #line
    ) {
        let found = errors(text)
        guard found.count == 1, let error = found.first else {
            return XCTFail("expected one error for \(text.debugDescription), got \(found)", file: file, line: testLine)
        }
        XCTAssertEqual(error.position, SourcePosition(line: line, column: column), "\(error)", file: file, line: testLine)
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: testLine)
        XCTAssertTrue(error.message.contains(message), "\(error.message) lacks \(message)", file: file, line: testLine)
        if let hint {
            XCTAssertTrue(error.hint?.contains(hint) == true, "\(error) lacks hint \(hint)", file: file, line: testLine)
        }
        XCTAssertNotNil(error.hint, "\(error) has no hint", file: file, line: testLine)
        XCTAssertEqual(error.file, "test.conf", file: file, line: testLine)
    }

    func testMissingPiecesOfAKeyValueLine() {
        assertError("a =", 1, 4, .syntax, "missing value after =")
        assertError("a 1", 1, 3, .syntax, "expected = after key \"a\", found '1'")
        assertError("= 1", 1, 1, .syntax, "expected a key, found '='", hint: "a key is missing before =")
        assertError("ke$y = 1", 1, 3, .syntax, "expected = after key \"ke\", found '$'", hint: "put other keys in double quotes")
        assertError("a = 1 b = 2", 1, 7, .syntax, "expected the end of the line, found 'b'")
    }

    func testStrings() {
        assertError("a = \"abc", 1, 5, .syntax, "string opened here is not closed on its line")
        assertError("a = 'abc\nb = 1", 1, 5, .syntax, "string opened here is not closed on its line")
        assertError("a = \"x\\qy\"", 1, 7, .syntax, "invalid escape \\q", hint: "'literal string'")
        assertError("a = \"\\uD800\"", 1, 6, .syntax, "is not a Unicode scalar value")
        assertError("a = \"\\u12\"", 1, 6, .syntax, "\\u needs 4 hex digits")
        assertError("a = \"x\u{7}y\"", 1, 7, .syntax, "control character U+0007 in a string")
        assertError("s = \"\"\"x\"\"\"", 1, 5, .unsupported, "multi-line strings (\"\"\") are not supported")
        assertError("s = '''x'''", 1, 5, .unsupported, "multi-line strings (''') are not supported")
    }

    func testNumbers() {
        assertError("n = 007", 1, 5, .syntax, "leading zeros are not allowed: 007")
        assertError("n = 9223372036854775808", 1, 5, .outOfRange, "does not fit in 64 bits")
        assertError("n = 0x1_0000_0000_0000_0000", 1, 5, .outOfRange, "does not fit in 64 bits")
        assertError("n = 1__0", 1, 5, .syntax, "misplaced _ in 1__0")
        assertError("n = 1.", 1, 5, .syntax, "invalid number 1.")
        assertError("n = 0xZZ", 1, 5, .syntax, "invalid base-16 integer 0xZZ")
        assertError("interval = 10s", 1, 12, .syntax, "10s is not a number", hint: "write \"10s\"")
        assertError("a = hello", 1, 5, .syntax, "expected a value, found hello", hint: "\"hello\"")
        assertError("a = truex", 1, 5, .syntax, "expected a value, found truex")
        assertError("a = @", 1, 5, .syntax, "expected a value, found '@'")
    }

    func testDatesAndTimesAreRejectedClearly() {
        assertError("d = 1979-05-27", 1, 5, .unsupported, "dates and times are not supported: 1979-05-27")
        assertError("d = 1979-05-27T07:32:00Z", 1, 5, .unsupported, "dates and times are not supported")
        assertError("t = 07:30:00", 1, 5, .unsupported, "dates and times are not supported")
    }

    func testArraysAndInlineTables() {
        assertError("a = [1,\n2,\n", 1, 5, .syntax, "array opened here is not closed", hint: "add ]")
        assertError("a = [1\n  2]", 2, 3, .syntax, "expected , or ] after an array element, found '2'")
        assertError("a = [1,,2]", 1, 8, .syntax, "expected a value, found ','")
        assertError("t = { a = 1, }", 1, 12, .syntax, "trailing comma in an inline table")
        assertError("t = { a = 1\nb = 2", 1, 5, .syntax, "inline table opened here is not closed on its line")
        assertError("t = { a = 1 b = 2 }", 1, 13, .syntax, "expected , or } in an inline table, found 'b'")
        assertError("t = { a = 1, a = 2 }", 1, 14, .duplicate, "duplicate key \"t.a\"")
        let deep = "a = " + String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        assertError(deep, 1, 37, .syntax, "nested deeper than 32 levels")
    }

    func testTableRules() {
        assertError("a = 1\na = 2", 2, 1, .duplicate, "duplicate key \"a\"", hint: "first set at line 1")
        assertError("[t]\nx = 1\n[t]", 3, 2, .duplicate, "table [t] is defined twice", hint: "first defined at line 1")
        assertError("[a.b]\nx = 1\n[a]\nb.y = 2", 4, 1, .duplicate, "dotted keys cannot add to it")
        assertError("[t]\na.b = 1\n[t.a]", 3, 4, .duplicate, "table [t.a] was already created by dotted keys at line 2")
        assertError("a = {x = 1}\n[a]", 2, 2, .duplicate, "\"a\" is an inline table (line 1) and cannot be extended")
        assertError("a = 1\na.b = 2", 2, 1, .duplicate, "\"a\" is already set to an integer at line 1")
        assertError("a = 1\n[[a]]", 2, 3, .duplicate, "cannot make \"a\" an array of tables")
        assertError("[[a]]\n[a]", 2, 2, .duplicate, "[a] is an array of tables", hint: "write [[a]]")
        assertError("a = [1]\n[a.b]", 2, 2, .duplicate, "\"a\" is already set to an array at line 1")
    }

    func testHeadersAndLineEndings() {
        assertError("[a", 1, 3, .syntax, "expected ] to close the header opened at column 1, found end of file")
        assertError("[[a]", 1, 5, .syntax, "expected ]] to close the header opened at column 1, found end of file")
        assertError("[a b]", 1, 4, .syntax, "expected ] to close the header", hint: "in quotes")
        assertError("[]", 1, 2, .syntax, "expected a key, found ']'")
        assertError("a = 1\rb = 2", 1, 6, .syntax, "carriage return without a line feed")
        assertError("# bad \u{1} comment", 1, 7, .syntax, "control character U+0001 in a comment")
    }

    func testEveryBadLineIsReportedAndParsingResumes() {
        let found = errors("""
            a = 1
            b = @
            c = "unterminated
            d = 2
            a = 3
            [t
            e = 07
            """)
        XCTAssertEqual(found.map(\.position), [
            SourcePosition(line: 2, column: 5), SourcePosition(line: 3, column: 5), SourcePosition(line: 5, column: 1),
            SourcePosition(line: 6, column: 3), SourcePosition(line: 7, column: 5),
        ])
        XCTAssertEqual(found.map(\.kind), [.syntax, .syntax, .duplicate, .syntax, .syntax])
    }

    func testKeysAfterABadHeaderDoNotCollideWithThePreviousTable() {
        let found = errors("[t]\nx = 1\n[t\nx = 2")
        XCTAssertEqual(found.map(\.position), [SourcePosition(line: 3, column: 3)])
    }

    func testAnErrorInsideAnArrayEndsTheParse() {
        let found = errors("a = [1,\n  @,\n]\nb = @")
        XCTAssertEqual(found.map(\.position), [SourcePosition(line: 2, column: 3)])
    }

    func testErrorsStopAtTheLimit() {
        let found = errors(String(repeating: "x\n", count: ConfigErrors.limit + 20))
        XCTAssertEqual(found.count, ConfigErrors.limit)
    }

    func testErrorsPrintAsFileLineColumnMessageHint() {
        do throws(ConfigErrors) {
            _ = try ConfigDocument.parse("a = 1\n\na = 2\nb = [", file: "/etc/vigil/agent.conf")
            XCTFail("expected errors")
        } catch {
            XCTAssertEqual(error.description, """
                /etc/vigil/agent.conf:3:1: duplicate key "a"; first set at line 1; keep one of them
                /etc/vigil/agent.conf:4:5: array opened here is not closed; add ] after its last element
                """)
            XCTAssertEqual(error.errors.map(\.keyPath), ["a", "b"])
        }
    }

    func testKeyPathOfErrorsNamesTheTableAndKey() {
        let found = errors("[collector]\nurl = http")
        XCTAssertEqual(found.map(\.keyPath), ["collector.url"])
        XCTAssertEqual(errors("[a.\"b c\"]\nd = @").map(\.keyPath), ["a.\"b c\".d"])
    }
}
