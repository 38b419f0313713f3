import VigilConfig
import XCTest

/// Parsing of valid input: every value kind, tables, comments, positions.
final class ConfigDocumentTests: XCTestCase {
    private func parse(_ text: String) throws -> ConfigDocument {
        try ConfigDocument.parse(text, file: "test.conf")
    }

    private func content(_ document: ConfigDocument, _ path: String...) -> ConfigValue.Content? {
        document.value(at: path)?.content
    }

    func testStringsResolveEscapesAndKeepLiteralBackslashes() throws {
        let document = try parse(#"""
            basic = "tab\there \"quoted\" back\\slash \u00E9 \U0001F600 line\nbreak"
            literal = 'C:\Users\vigil "as is"'
            empty = ""
            unicode = "héllo wörld"
            """#)
        XCTAssertEqual(content(document, "basic"), .string("tab\there \"quoted\" back\\slash é 😀 line\nbreak"))
        XCTAssertEqual(content(document, "literal"), .string(#"C:\Users\vigil "as is""#))
        XCTAssertEqual(content(document, "empty"), .string(""))
        XCTAssertEqual(content(document, "unicode"), .string("héllo wörld"))
    }

    func testIntegersInEveryNotation() throws {
        let document = try parse("""
            a = 42
            b = +17
            c = -5
            d = 1_000_000
            e = 0
            f = 0xDEAD_beef
            g = 0o755
            h = 0b1010
            max = 9223372036854775807
            min = -9223372036854775808
            """)
        XCTAssertEqual(content(document, "a"), .integer(42))
        XCTAssertEqual(content(document, "b"), .integer(17))
        XCTAssertEqual(content(document, "c"), .integer(-5))
        XCTAssertEqual(content(document, "d"), .integer(1_000_000))
        XCTAssertEqual(content(document, "e"), .integer(0))
        XCTAssertEqual(content(document, "f"), .integer(0xDEAD_BEEF))
        XCTAssertEqual(content(document, "g"), .integer(0o755))
        XCTAssertEqual(content(document, "h"), .integer(10))
        XCTAssertEqual(content(document, "max"), .integer(.max))
        XCTAssertEqual(content(document, "min"), .integer(.min))
    }

    func testFloatsAndBooleans() throws {
        let document = try parse("""
            a = 1.5
            b = -0.25
            c = 6.02e23
            d = 1E-3
            e = 1_000.000_1
            f = inf
            g = -inf
            h = nan
            yes = true
            no = false
            """)
        XCTAssertEqual(content(document, "a"), .float(1.5))
        XCTAssertEqual(content(document, "b"), .float(-0.25))
        XCTAssertEqual(content(document, "c"), .float(6.02e23))
        XCTAssertEqual(content(document, "d"), .float(0.001))
        XCTAssertEqual(content(document, "e"), .float(1000.0001))
        XCTAssertEqual(content(document, "f"), .float(.infinity))
        XCTAssertEqual(content(document, "g"), .float(-.infinity))
        guard case .float(let nan)? = content(document, "h") else { return XCTFail("nan is not a float") }
        XCTAssertTrue(nan.isNaN)
        XCTAssertEqual(content(document, "yes"), .boolean(true))
        XCTAssertEqual(content(document, "no"), .boolean(false))
    }

    func testArraysSpanLinesWithCommentsAndTrailingComma() throws {
        let document = try parse("""
            list = [
                "cpu",   # first
                # a whole comment line
                "meminfo",
            ]
            nested = [[1, 2], ["a"], []]
            empty = []
            mixed = [1, "two", true]
            """)
        guard case .array(let list)? = content(document, "list") else { return XCTFail("list is not an array") }
        XCTAssertEqual(list.map(\.content), [.string("cpu"), .string("meminfo")])
        XCTAssertEqual(list.map(\.position), [SourcePosition(line: 2, column: 5), SourcePosition(line: 4, column: 5)])
        guard case .array(let nested)? = content(document, "nested") else { return XCTFail("nested is not an array") }
        XCTAssertEqual(nested.count, 3)
        XCTAssertEqual(nested[0].content, .array([
            ConfigValue(.integer(1), at: SourcePosition(line: 6, column: 12)),
            ConfigValue(.integer(2), at: SourcePosition(line: 6, column: 15)),
        ]))
        XCTAssertEqual(content(document, "empty"), .array([]))
        guard case .array(let mixed)? = content(document, "mixed") else { return XCTFail("mixed is not an array") }
        XCTAssertEqual(mixed.map(\.content), [.integer(1), .string("two"), .boolean(true)])
    }

    func testTablesHeadersDottedAndQuotedKeys() throws {
        let document = try parse("""
            top = 1
            [collector]
            url = "http://x"
            [collector.retry]
            max = "60s"
            [deep.inside.table]
            key = 2
            [deep]
            own = 3
            [dotted]
            a.b.c = 4
            a.b.d = 5
            "quoted.key" = 6
            'literal key' = 7
            site."a b" = 8
            """)
        XCTAssertEqual(content(document, "top"), .integer(1))
        XCTAssertEqual(content(document, "collector", "url"), .string("http://x"))
        XCTAssertEqual(content(document, "collector", "retry", "max"), .string("60s"))
        XCTAssertEqual(content(document, "deep", "inside", "table", "key"), .integer(2))
        XCTAssertEqual(content(document, "deep", "own"), .integer(3))
        XCTAssertEqual(content(document, "dotted", "a", "b", "c"), .integer(4))
        XCTAssertEqual(content(document, "dotted", "a", "b", "d"), .integer(5))
        XCTAssertEqual(content(document, "dotted", "quoted.key"), .integer(6))
        XCTAssertEqual(content(document, "dotted", "literal key"), .integer(7))
        XCTAssertEqual(content(document, "dotted", "site", "a b"), .integer(8))
        XCTAssertEqual(document.root.entries.map(\.key), ["top", "collector", "deep", "dotted"])
    }

    func testArrayOfTablesAppendsAndSubtablesGoToTheLastElement() throws {
        let document = try parse("""
            [[input]]
            path = "/var/log/a"
            [[input]]
            path = "/var/log/b"
            [input.match]
            pattern = "error"
            """)
        guard case .array(let inputs)? = content(document, "input") else { return XCTFail("input is not an array") }
        XCTAssertEqual(inputs.count, 2)
        guard case .table(let first) = inputs[0].content, case .table(let second) = inputs[1].content else {
            return XCTFail("elements are not tables")
        }
        XCTAssertEqual(first["path"]?.value.content, .string("/var/log/a"))
        XCTAssertNil(first["match"])
        XCTAssertEqual(second["path"]?.value.content, .string("/var/log/b"))
        guard case .table(let match)? = second["match"]?.value.content else { return XCTFail("match is not a table") }
        XCTAssertEqual(match["pattern"]?.value.content, .string("error"))
        XCTAssertEqual(inputs[1].position, SourcePosition(line: 3, column: 3))
    }

    func testInlineTables() throws {
        let document = try parse(#"""
            point = { x = 1, y = -2, label.text = "origin" }
            empty = {}
            list = [{ name = "a" }, { name = "b" }]
            """#)
        XCTAssertEqual(content(document, "point", "x"), .integer(1))
        XCTAssertEqual(content(document, "point", "y"), .integer(-2))
        XCTAssertEqual(content(document, "point", "label", "text"), .string("origin"))
        XCTAssertEqual(content(document, "empty"), .table(ConfigValue.Table()))
        guard case .array(let list)? = content(document, "list") else { return XCTFail("list is not an array") }
        XCTAssertEqual(list.count, 2)
        XCTAssertEqual(document.value(at: ["point"])?.position, SourcePosition(line: 1, column: 9))
    }

    func testCommentsBlankLinesCRLFAndByteOrderMark() throws {
        let text = "\u{FEFF}# heading\r\n\r\n  a = 1 # trailing\r\n\t[t] # table\r\nb = \"x#y\"\r\n# end"
        let document = try parse(text)
        XCTAssertEqual(content(document, "a"), .integer(1))
        XCTAssertEqual(content(document, "t", "b"), .string("x#y"))
        XCTAssertEqual(document.root["a"]?.keyPosition, SourcePosition(line: 3, column: 3))
        XCTAssertEqual(document.value(at: ["t", "b"])?.position, SourcePosition(line: 5, column: 5))
    }

    func testPositionsCountCharactersNotBytes() throws {
        let document = try parse("""
            name = "é"
            "ké" = 'ö'
            t = { a = "é", b = 1 }
            """)
        XCTAssertEqual(document.root["name"]?.keyPosition, SourcePosition(line: 1, column: 1))
        XCTAssertEqual(document.value(at: ["name"])?.position, SourcePosition(line: 1, column: 8))
        XCTAssertEqual(document.value(at: ["ké"])?.position, SourcePosition(line: 2, column: 8))
        XCTAssertEqual(document.value(at: ["t", "b"])?.position, SourcePosition(line: 3, column: 20))
    }

    func testEmptyAndCommentOnlyDocuments() throws {
        XCTAssertEqual(try parse("").root, ConfigValue.Table())
        XCTAssertEqual(try parse("# nothing\n\n   \n").root, ConfigValue.Table())
    }

    func testValueAtPathReturnsNilForMissingOrNonTableSteps() throws {
        let document = try parse("a = 1\n[t]\nb = 2")
        XCTAssertNil(document.value(at: []))
        XCTAssertNil(document.value(at: ["missing"]))
        XCTAssertNil(document.value(at: ["a", "b"]))
        XCTAssertEqual(document.value(at: ["t", "b"])?.position, SourcePosition(line: 3, column: 5))
    }
}
