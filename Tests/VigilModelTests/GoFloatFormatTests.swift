import VigilModel
import XCTest

/// Go's `strconv.FormatFloat(v, 'g' or 'f', -1, 64)` layouts of Swift's shortest digits.
final class GoFloatFormatTests: XCTestCase {
    func testKnownLayouts() {
        let cases: [(Double, g: String, f: String)] = [
            (1, "1", "1"), (0.25, "0.25", "0.25"), (-2.5, "-2.5", "-2.5"), (1_788_616, "1.788616e+06", "1788616"),
            (100_000, "100000", "100000"), (1e-5, "1e-05", "0.00001"), (0.0001, "0.0001", "0.0001"),
            (1.25e16, "1.25e+16", "12500000000000000"), (5e-324, "5e-324", "0." + String(repeating: "0", count: 323) + "5"),
            (1.7976931348623157e308, "1.7976931348623157e+308", "17976931348623157" + String(repeating: "0", count: 292)),
            (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"), (-1e100, "-1e+100", "-1" + String(repeating: "0", count: 100)),
            (.nan, "NaN", "NaN"), (.infinity, "+Inf", "+Inf"), (-.infinity, "-Inf", "-Inf"), (0, "0", "0"), (-0.0, "-0", "-0"),
        ]
        for (value, g, f) in cases {
            XCTAssertEqual(GoFloatFormat.format(value), g, "\(value)")
            XCTAssertEqual(GoFloatFormat.positional(value), f, "\(value)")
        }
    }

    /// Random bit patterns and random query-like values against a plain String reading of
    /// Swift's `description`, the oracle the byte formatter must agree with.
    func testAgreesWithTheDescriptionOracle() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = []
        for _ in 0..<20_000 {
            values.append(Double(bitPattern: generator.next()))
            values.append(Double.random(in: 0..<1, using: &generator) * pow(10, Double(Int.random(in: -12...20, using: &generator))))
            values.append((Double(Int.random(in: 0..<10_000_000, using: &generator)) / 100) / 300)
        }
        var out: [UInt8] = []
        for value in values where value.isFinite && value != 0 {
            let (digits, point) = Self.oracleDigits(value.magnitude.description)
            let sign = value < 0 ? "-" : ""
            XCTAssertEqual(GoFloatFormat.positional(value), sign + Self.positional(digits, point), "\(value)")
            let exponent = point - 1
            let g = exponent < -4 || exponent >= 6
                ? sign + String(digits.first!) + (digits.count > 1 ? "." + digits.dropFirst() : "")
                    + (exponent < 0 ? "e-" : "e+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
                : sign + Self.positional(digits, point)
            XCTAssertEqual(GoFloatFormat.format(value), g, "\(value)")
            out.removeAll(keepingCapacity: true)
            GoFloatFormat.appendPositional(value, to: &out)
            XCTAssertEqual(Double(String(decoding: out, as: UTF8.self)), value, "reads back exactly")
        }
    }

    private static func oracleDigits(_ text: String) -> (digits: String, pointPosition: Int) {
        let parts = text.split(separator: "e")
        let mantissa = parts[0]
        var digits = mantissa.filter { $0 != "." }
        var point = mantissa.prefix { $0 != "." }.count + (parts.count > 1 ? Int(parts[1])! : 0)
        while digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (digits, point)
    }

    private static func positional(_ digits: String, _ point: Int) -> String {
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        return digits.prefix(point) + "." + digits.dropFirst(point)
    }
}
