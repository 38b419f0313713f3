import VigilModel
import XCTest

final class LabelMatcherTests: XCTestCase {
    func testFourKindsAndMissingLabelAsEmpty() throws {
        let labels = Labels(name: "up", [("job", "api"), ("env", "prod")])
        XCTAssertTrue(try LabelMatcher("job", .equal, "api").matches(labels))
        XCTAssertFalse(try LabelMatcher("job", .notEqual, "api").matches(labels))
        XCTAssertTrue(try LabelMatcher("job", .regex, "a.i").matches(labels))
        XCTAssertTrue(try LabelMatcher("job", .notRegex, "web|db").matches(labels))
        XCTAssertTrue(try LabelMatcher("zone", .equal, "").matches(labels), "absent label matches empty")
        XCTAssertFalse(try LabelMatcher("zone", .notEqual, "").matches(labels))
        XCTAssertTrue(try LabelMatcher("zone", .equal, "").matchesEmpty)
    }

    func testRegexIsFullyAnchored() throws {
        XCTAssertFalse(try LabelMatcher("job", .regex, "api").matches("api-2"))
        XCTAssertFalse(try LabelMatcher("job", .regex, "pi").matches("api"))
        XCTAssertTrue(try LabelMatcher("job", .regex, "api.*").matches("api-2"))
        XCTAssertTrue(try LabelMatcher("job", .regex, "a|api-2").matches("api-2"), "alternation is anchored as a whole")
        XCTAssertFalse(try LabelMatcher("job", .regex, "a|b").matches("ab"))
    }

    func testInvalidRegexIsAClearError() {
        XCTAssertThrowsError(try LabelMatcher("job", .regex, "(unclosed")) { error in
            XCTAssertTrue("\(error)".contains("invalid regular expression \"(unclosed\""), "\(error)")
        }
    }
}
