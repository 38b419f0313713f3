import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// Value kinds 5 and 6 (decimal Rice): what the writer picks for node_exporter-shaped series
/// and what it costs, exact round trips, reads of a prefix, columns built by hand from
/// docs/formats/chunk.md, and damaged columns, which must decode to nil and never trap.
final class BlockColumnsDecimalRiceTests: XCTestCase {
    private static let kind5 = BlockColumns.ValueKind.decimalRice.rawValue
    private static let kind6 = BlockColumns.ValueKind.decimalRiceZeroFlags.rawValue

    // MARK: Shaped series

    private func exponential(_ mean: Double, _ generator: inout SeededGenerator) -> Double {
        -log(Double.random(in: 0x1p-53..<1, using: &generator)) * mean
    }

    private func gaussian(_ mean: Double, _ deviation: Double, _ generator: inout SeededGenerator) -> Double {
        let u = Double.random(in: 0x1p-53..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Bytes of a network interface: increments of mean 2 MB, 2% of them bursts eight times as large.
    private func byteCounter(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var value = 7_300_000_000.0
        return (0..<count).map { _ in
            let burst = Double.random(in: 0..<1, using: &generator) < 0.02 ? 8.0 : 1.0
            value += (exponential(2e6, &generator) * burst).rounded(.down)
            return value
        }
    }

    /// CPU seconds in hundredths, about 7 s a step with a deviation of 2.1 s.
    private func cpuSeconds(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var hundredths = 31_415_926.0
        return (0..<count).map { _ in
            hundredths += max(0, gaussian(700, 211, &generator).rounded(.down))
            return hundredths / 100
        }
    }

    /// Free memory in pages of 4,096 bytes, changing in 30% of the steps.
    private func pagedGauge(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var pages = 2_000_000.0
        return (0..<count).map { _ in
            if Double.random(in: 0..<1, using: &generator) < 0.3 { pages += gaussian(0, 50, &generator).rounded(.towardZero) }
            return pages * 4_096
        }
    }

    /// A falling series of integers just below 2^53, the largest the decimal kinds take.
    private func hugeFalling(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var value: Int64 = 9_006_999_999_000_000
        return (0..<count).map { _ in
            value -= Int64.random(in: 0..<5_000, using: &generator)
            return Double(value)
        }
    }

    private func encode(_ values: [Double]) -> [UInt8] {
        BlockColumns.encodeValues(values.enumerated().map { Sample(timestamp: Int64($0.offset) * 10_000, value: $0.element) }[...])
    }

    private func decode(_ column: [UInt8], limit: Int = .max) -> [Double]? {
        var values: [Double] = []
        let passed = column.withUnsafeBytes { BlockColumns.decodeValues($0, limit: limit) { values.append($0) } }
        guard let passed else { return nil }
        XCTAssertEqual(passed, values.count, "the count returned is the count passed")
        return values
    }

    /// Round trip, every interesting prefix, and the bits a sample costs.
    private func check(_ name: String, _ values: [Double], kind: UInt8, bitsPerSample: Double? = nil) {
        let column = encode(values)
        XCTAssertEqual(column.first, kind, name)
        XCTAssertEqual(decode(column)?.map(\.bitPattern), values.map(\.bitPattern), name)
        for limit in [0, 1, 2, 3, values.count / 2, values.count - 1, values.count, values.count + 3] where limit >= 0 {
            XCTAssertEqual(decode(column, limit: limit)?.map(\.bitPattern), values.prefix(limit).map(\.bitPattern), "\(name) limit \(limit)")
        }
        if let bitsPerSample {
            XCTAssertLessThan(Double(column.count * 8) / Double(values.count), bitsPerSample, name)
        }
    }

    func testShapedSeriesPickRiceKindsAndCostAboutTheirEntropy() {
        var generator = SeededGenerator(state: 21)
        // Entropy: log2(2e6 · e) ≈ 22.4 bits, plus the bursts; varints and deflate took about 26.
        check("byte counter with bursts", byteCounter(4_320, &generator), kind: Self.kind5, bitsPerSample: 23.2)
        // Entropy of the increments: log2(211 · √(2πe)) ≈ 9.8 bits.
        check("cpu seconds", cpuSeconds(4_320, &generator), kind: Self.kind5, bitsPerSample: 10.3)
        // A flag bit for each still step, a page count for the others.
        check("paged gauge", pagedGauge(4_320, &generator), kind: Self.kind6, bitsPerSample: 3.5)
        check("huge falling integers", hugeFalling(1_000, &generator), kind: Self.kind5, bitsPerSample: 13.3)
        // Exactly repeated differences: deflated varints go below the bit a Rice code needs.
        check("quadratic", (0..<500).map { Double($0 * $0) }, kind: BlockColumns.ValueKind.decimalDeflated.rawValue)
        check("two samples", [1.5, 2.75], kind: BlockColumns.ValueKind.decimal.rawValue)
        check("one sample", [0.125], kind: BlockColumns.ValueKind.constant.rawValue)
        check("specials never go decimal", [0, -0.0, .nan, .infinity, 1, 2, 3], kind: BlockColumns.ValueKind.gorilla.rawValue)
    }

    func testOrderTwoIsPickedWhenSecondDifferencesAreSmaller() {
        var generator = SeededGenerator(state: 13)
        let quadratic = (0..<500).map { Int64($0 * $0) }
        // Kind, N = 500 in two bytes, k, then the order.
        XCTAssertEqual(BlockColumns.decimalRice(quadratic, decimals: 0)[4], 2, "order byte: constant second differences")
        let noisy = (0..<500).map { _ in Int64.random(in: 0...1_000, using: &generator) }
        XCTAssertEqual(BlockColumns.decimalRice(noisy, decimals: 0)[4], 1, "order byte: independent values")
    }

    /// `decimalRice` called directly, so extremes that another kind would win are covered too.
    func testDirectColumnsRoundTripExtremes() {
        var generator = SeededGenerator(state: 8)
        let limit: Int64 = 9_006_999_999_999_999
        let cases: [(String, [Int64])] = [
            ("two", [150, 275]),
            ("two equal", [7, 7]),
            ("three", [-5, 9_000_000_000_000_000, -9_000_000_000_000_000]),
            ("alternating extremes", (0..<300).map { $0 % 2 == 0 ? limit : -limit }),
            ("random 53-bit", (0..<300).map { _ in Int64.random(in: -limit...limit, using: &generator) }),
            ("falling", (0..<300).map { 1_000_000 - Int64($0) * Int64.random(in: 0...3, using: &generator) }),
            ("mostly still", (0..<300).map { $0 % 17 == 0 ? Int64($0) : 0 }),
        ]
        for (name, integers) in cases {
            for decimals in [0, 3, 9] {
                let column = BlockColumns.decimalRice(integers, decimals: decimals)
                XCTAssertTrue(column.first == Self.kind5 || column.first == Self.kind6, name)
                let expected = integers.map { (Double($0) / BlockColumns.powersOfTen[decimals]).bitPattern }
                XCTAssertEqual(decode(column)?.map(\.bitPattern), expected, "\(name) k \(decimals)")
                XCTAssertEqual(decode(column, limit: 1)?.map(\.bitPattern), Array(expected.prefix(1)), name)
                XCTAssertEqual(decode(column, limit: 2)?.map(\.bitPattern), Array(expected.prefix(2)), name)
            }
        }
    }

    func testMedianIsTheMiddleOfTheSortedNumbers() {
        var generator = SeededGenerator(state: 55)
        for count in [1, 2, 3, 4, 5, 17, 1_000, 4_319] {
            for range in [Int64(0)...0, 0...1, -3...3, -1_000_000...1_000_000, Int64.min...Int64.max] {
                let numbers = (0..<count).map { _ in Int64.random(in: range, using: &generator) }
                XCTAssertEqual(BlockColumns.median(numbers), numbers.sorted()[count / 2], "\(count) numbers in \(range)")
            }
        }
        let sorted = (0..<999).map { Int64($0) }
        XCTAssertEqual(BlockColumns.median(sorted), 499)
        XCTAssertEqual(BlockColumns.median(sorted.reversed()), 499)
    }

    // MARK: Columns built from the specification

    /// kind 5, N 4, k 1, order 1, zigzag, p 1, F 3, B 2, first 10; codes u = 0, 1, 4 are
    /// 00 01 1100, so x = 0, -1, 2, the differences (x + 2) · 3 = 6, 3, 12.
    private let handBuilt5: [UInt8] = [5, 4, 1, 1, 0, 1, 3, 4, 20, 0b0001_1100]
    /// kind 6, N 5, k 0, order 2, offset, p 0, F 1, B -1, first 100, second difference 5;
    /// flags and codes 0 | 1 0 | 1 110 (u = 0, 1, 3), one padding bit.
    private let handBuilt6: [UInt8] = [6, 5, 0, 2, 1, 0, 1, 1, 0xc8, 0x01, 10, 0b0101_1100]

    func testColumnsBuiltFromTheSpecificationDecode() {
        XCTAssertEqual(decode(handBuilt5), [1.0, 1.6, 1.9, 3.1])
        XCTAssertEqual(decode(handBuilt6), [100, 105, 109, 113, 119])
        XCTAssertEqual(decode(handBuilt6, limit: 3), [100, 105, 109])
        XCTAssertEqual(BlockColumns.decimalRice([10, 16, 19, 31], decimals: 1).count, handBuilt5.count,
                       "the writer finds a column as small as the hand-built one")
    }

    func testFieldsOutOfRangeAreRejected() {
        func with(_ column: [UInt8], _ offset: Int, _ byte: UInt8) -> [UInt8] {
            var changed = column
            changed[offset] = byte
            return changed
        }
        let rejected: [(String, [UInt8])] = [
            ("decimals 10", with(handBuilt5, 2, 10)),
            ("order 0", with(handBuilt5, 3, 0)),
            ("order 3", with(handBuilt5, 3, 3)),
            ("mapping 2", with(handBuilt5, 4, 2)),
            ("p 57", with(handBuilt5, 5, 57)),
            ("p 255", with(handBuilt5, 5, 255)),
            ("factor 0", with(handBuilt5, 6, 0)),
            ("factor 2^63", [5, 4, 1, 1, 0, 1] + [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] + [4, 20, 0x1c]),
            ("order 1 with one sample", [5, 1, 1, 1, 0, 1, 3, 4, 20]),
            ("order 2 with two samples", [6, 2, 0, 2, 1, 0, 1, 1, 0xc8, 0x01, 10]),
            ("unknown kind", with(handBuilt5, 0, 7)),
            ("one in the padding", with(handBuilt6, handBuilt6.count - 1, 0b0101_1101)),
            ("a byte over", handBuilt6 + [0]),
            ("an escape past the end", [5, 3, 0, 1, 0, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x00]),
            ("ones to the end", [5, 200, 0, 1, 0, 0, 1, 0, 0] + [UInt8](repeating: 0xff, count: 64)),
        ]
        for (name, column) in rejected {
            XCTAssertNil(decode(column), name)
        }
        let largestFactor: [UInt8] = [5, 4, 1, 1, 0, 1] + [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f] + [4, 20, 0x1c]
        XCTAssertEqual(decode(largestFactor)?.count, 4, "F = 2^63 - 1 is in range; the arithmetic wraps")
        XCTAssertEqual(decode(handBuilt6 + [0], limit: 4), [100, 105, 109, 113], "only a whole read checks the end")
    }

    // MARK: Damage

    func testEveryTruncationAndBitFlipIsNilOrWholeAndNeverTraps() {
        var generator = SeededGenerator(state: 34)
        let columns = [
            BlockColumns.decimalRice(cpuSeconds(300, &generator).map { Int64(($0 * 100).rounded()) }, decimals: 2),
            BlockColumns.decimalRice(pagedGauge(300, &generator).map { Int64($0) }, decimals: 0),
            BlockColumns.decimalRice(byteCounter(300, &generator).map { Int64($0) }, decimals: 0),
            BlockColumns.decimalRice((0..<300).map { Int64($0 * $0) }, decimals: 0),
        ]
        for column in columns {
            for cut in 0..<column.count {
                XCTAssertNil(decode(Array(column.prefix(cut))), "kind \(column[0]) cut at \(cut) of \(column.count)")
            }
            var rejectedFlips = 0
            for bit in 0..<(column.count * 8) {
                var flipped = column
                flipped[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                if let values = decode(flipped) {
                    // Bytes 1 and 2 are N (300), which a flip may change to another valid count.
                    if bit >= 24 { XCTAssertEqual(values.count, 300, "kind \(column[0]) bit \(bit): a flip that decodes keeps N") }
                } else {
                    rejectedFlips += 1
                }
            }
            XCTAssertGreaterThan(rejectedFlips, 0, "kind \(column[0]): some flips are caught without the CRC")
        }
    }
}
