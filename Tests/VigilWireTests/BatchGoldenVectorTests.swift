import Foundation
import XCTest

@testable import VigilWire

/// The committed encoding of `goldenBatch()` pins format version 1 byte for byte; a change
/// here means the wire format changed and needs a new version.
final class BatchGoldenVectorTests: XCTestCase {
    private func vector(_ name: String) throws -> Data {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Vectors/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    func testEncodeProducesTheCommittedBytes() throws {
        let expected = [UInt8](try vector("batch-v1.bin"))
        XCTAssertEqual(BatchCodec.encode(goldenBatch()), expected)
    }

    func testDecodeOfTheCommittedBytesGivesTheBatch() throws {
        let bytes = [UInt8](try vector("batch-v1.bin"))
        XCTAssertEqual(try BatchCodec.decode(bytes), goldenBatch())
    }

    func testAnnotatedHexMatchesTheBinary() throws {
        let text = try XCTUnwrap(String(data: try vector("batch-v1.hex"), encoding: .utf8))
        let hexDigits = text.split(separator: "\n").flatMap { line in
            line.prefix { $0 != "#" }.split(separator: " ")
        }
        let bytes = try hexDigits.map { try XCTUnwrap(UInt8($0, radix: 16), "bad hex byte \($0)") }
        XCTAssertEqual(bytes, [UInt8](try vector("batch-v1.bin")))
    }

    func testCompressedGoldenBatchRoundTrips() throws {
        let body = BatchCodec.compress(goldenBatch())
        XCTAssertEqual(Array(body.prefix(1)), [0x78], "a zlib stream with a 32 KiB window starts with 0x78")
        XCTAssertEqual(try BatchCodec.decompress(body), goldenBatch())
    }
}
