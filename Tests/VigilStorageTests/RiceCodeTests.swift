import Foundation
import XCTest

@testable import VigilStorage

/// `RiceCode` written through `RiceWriter` and read back with `RiceReader`: every parameter,
/// escapes, the parameter search, and streams that end early or carry bytes over.
final class RiceCodeTests: XCTestCase {
    private func stream(_ values: [UInt64], parameter: Int) -> (bytes: [UInt8], bitCount: Int) {
        var writer = RiceWriter()
        for value in values { RiceCode.write(value, parameter: parameter, into: &writer) }
        let bitCount = writer.bitCount
        return (writer.finish(), bitCount)
    }

    func testEveryParameterRoundTripsIncludingEscapes() {
        var generator = SeededGenerator(state: 3)
        for parameter in 0...RiceCode.maxParameter {
            var values: [UInt64] = [0, 1, UInt64.max, 1 << 63, (1 << UInt64(parameter)) * 31, (1 << UInt64(parameter)) * 32]
            values += (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
            let written = stream(values, parameter: parameter)
            XCTAssertEqual(written.bitCount, RiceCode.bits(values, parameter: parameter), "p \(parameter)")
            XCTAssertEqual(written.bytes.count, (written.bitCount + 7) / 8, "p \(parameter)")
            written.bytes.withUnsafeBytes { bytes in
                var reader = RiceReader(bytes)
                for (position, value) in values.enumerated() {
                    XCTAssertEqual(reader.read(parameter: parameter), value, "p \(parameter) value \(position)")
                }
                XCTAssertFalse(reader.overrun, "p \(parameter)")
                XCTAssertTrue(reader.isAtCleanEnd(), "p \(parameter)")
                // Padding bits (fewer than 8) may pass for short codes; the ninth code cannot.
                for _ in 0..<8 { _ = reader.read(parameter: parameter) }
                XCTAssertTrue(reader.overrun, "p \(parameter): reads past the last code run out")
            }
        }
    }

    func testCodeSizesAndTheEscapeBound() {
        XCTAssertEqual(RiceCode.bits(0, parameter: 0), 1)
        XCTAssertEqual(RiceCode.bits(31, parameter: 0), 32)
        XCTAssertEqual(RiceCode.bits(32, parameter: 0), 96, "a quotient of 32 is escaped")
        XCTAssertEqual(RiceCode.bits(5, parameter: 2), 1 + 1 + 2)
        XCTAssertEqual(RiceCode.bits(UInt64.max, parameter: RiceCode.maxParameter), 96)
        // 32 ones then 64 raw bits: 12 bytes, the last one full.
        XCTAssertEqual(stream([32], parameter: 0).bytes, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 32])
        // q = 2 (110), then the low 3 bits 101: 1101 0100 with zero padding.
        XCTAssertEqual(stream([0b10101], parameter: 3).bytes, [0b1101_0100])
    }

    func testCheapestParameterIsTheExactMinimumForGeometricValues() {
        var generator = SeededGenerator(state: 5)
        for mean in [0.3, 2.0, 40.0, 1_000.0, 3e6, 1e12] {
            let values = (0..<2_000).map { _ in UInt64(-log(Double.random(in: 0x1p-53..<1, using: &generator)) * mean) }
            let (parameter, bits) = RiceCode.cheapest(values)
            let exhaustive = (0...RiceCode.maxParameter).map { RiceCode.bits(values, parameter: $0) }
            XCTAssertEqual(bits, exhaustive.min(), "mean \(mean)")
            XCTAssertEqual(bits, RiceCode.bits(values, parameter: parameter), "mean \(mean)")
        }
        XCTAssertEqual(RiceCode.cheapest([]).bits, 0)
        XCTAssertEqual(RiceCode.cheapest([UInt64.max, UInt64.max]).parameter, RiceCode.maxParameter)
    }

    func testShortStreamsOverrunAndLeftoverBitsAreNoCleanEnd() {
        let values: [UInt64] = [7, 0, 300, 12, 1 << 40]
        let bytes = stream(values, parameter: 4).bytes
        for cut in 0..<bytes.count {
            Array(bytes.prefix(cut)).withUnsafeBytes { prefix in
                var reader = RiceReader(prefix)
                for _ in values { _ = reader.read(parameter: 4) }
                XCTAssertTrue(reader.overrun, "cut at \(cut) of \(bytes.count)")
                XCTAssertFalse(reader.isAtCleanEnd(), "cut at \(cut)")
            }
        }
        for damaged in [bytes + [0], bytes.dropLast() + [bytes.last! | 1]] {
            Array(damaged).withUnsafeBytes { raw in
                var reader = RiceReader(raw)
                for value in values { XCTAssertEqual(reader.read(parameter: 4), value) }
                XCTAssertFalse(reader.isAtCleanEnd(), "a byte more or a one in the padding is left over")
            }
        }
    }

    func testBitsAndCodesInterleave() {
        var writer = RiceWriter()
        let values: [UInt64] = (0..<300).map { UInt64($0 * $0 % 977) }
        for value in values {
            writer.write(bit: value % 3 == 0)
            RiceCode.write(value, parameter: 5, into: &writer)
        }
        writer.finish().withUnsafeBytes { bytes in
            var reader = RiceReader(bytes)
            for value in values {
                XCTAssertEqual(reader.readBit(), value % 3 == 0)
                XCTAssertEqual(reader.read(parameter: 5), value)
            }
            XCTAssertTrue(reader.isAtCleanEnd())
        }
    }

    func testAStreamOfOnesEndsInAnOverrunNotALoop() {
        let ones = [UInt8](repeating: 0xff, count: 40)
        ones.withUnsafeBytes { bytes in
            var reader = RiceReader(bytes)
            var reads = 0
            while !reader.overrun, reads < 1_000 {
                _ = reader.read(parameter: 0)
                reads += 1
            }
            XCTAssertTrue(reader.overrun)
            XCTAssertEqual(reads, 4, "three 96-bit escapes fit in 40 bytes, the fourth runs out")
        }
    }
}
