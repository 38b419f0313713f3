import XCTest
@testable import VigilHost

final class ByteNumberTests: XCTestCase {
    func testUnsignedParsesDigitsAndRejectsEverythingElse() {
        XCTAssertEqual(withBytes("0") { ByteNumber.unsigned($0) }, 0)
        XCTAssertEqual(withBytes("18446744073709551615") { ByteNumber.unsigned($0) }, UInt64.max)
        XCTAssertNil(withBytes("18446744073709551616") { ByteNumber.unsigned($0) }, "overflow")
        XCTAssertNil(withBytes("") { ByteNumber.unsigned($0) })
        XCTAssertNil(withBytes("12a") { ByteNumber.unsigned($0) })
        XCTAssertNil(withBytes("-1") { ByteNumber.unsigned($0) })
    }

    /// The fast path must give the same doubles as a correctly rounded parser (Go's ParseFloat).
    func testDecimalMatchesCorrectlyRoundedParsing() {
        let texts = [
            "0", "0.45", "2.09", "100.25", "12.50", "-3", "+7", "0.1", "0.3", "1.", ".5",
            "34359738367", "9007199254740993", "18446744073709551615", "123456789012345.6",
            "1234567890.123456789", "1e3", "0.000001",
        ]
        for text in texts {
            XCTAssertEqual(withBytes(text) { ByteNumber.decimal($0) }, Double(text), text)
        }
    }

    func testDecimalRejectsNonNumbers() {
        XCTAssertNil(withBytes("") { ByteNumber.decimal($0) })
        XCTAssertNil(withBytes("kB") { ByteNumber.decimal($0) })
        XCTAssertNil(withBytes("-") { ByteNumber.decimal($0) })
        XCTAssertNil(withBytes("1.2.3") { ByteNumber.decimal($0) })
    }
}
