import CZlib
import XCTest

@testable import VigilWire

final class ZlibTests: XCTestCase {
    private func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        bytes.withUnsafeBytes { Zlib.compress($0, level: level) }
    }

    private func decompress(_ bytes: [UInt8], max: Int) throws(WireError) -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try Zlib.decompress(raw, maxOutputBytes: max) }
        }.get()
    }

    func testRoundTripOfVariousSizesAndLevels() throws {
        var generator = SplitMix64(seed: 1)
        let random = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let text = Array(String(repeating: "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1234.5\n", count: 5000).utf8)
        for input in [[], [42], random, text] {
            for level: Int32 in [-1, 0, 1, 6, 9] {
                let body = compress(input, level: level)
                XCTAssertEqual(try decompress(body, max: input.count), input, "size \(input.count), level \(level)")
            }
        }
    }

    func testOutputExactlyAtTheLimitPassesAndOneByteMoreFails() throws {
        let input = [UInt8](repeating: 7, count: 100_000)
        let body = compress(input)
        XCTAssertEqual(try decompress(body, max: 100_000), input)
        do {
            _ = try decompress(body, max: 99_999)
            XCTFail("one byte over the limit inflated")
        } catch {
            guard case .inflatedTooLarge(99_999, let offset) = error else { return XCTFail("\(error)") }
            XCTAssertLessThanOrEqual(offset, body.count)
        }
        XCTAssertEqual(try decompress(compress([]), max: 0), [])
        XCTAssertThrowsError(try decompress(compress([1]), max: 0))
    }

    func testTruncatedStreamsAreRejectedAtEveryLength() {
        var generator = SplitMix64(seed: 3)
        let input = (0..<5000).map { _ in UInt8(truncatingIfNeeded: generator.next() % 16) }
        let body = compress(input)
        for length in 0..<body.count {
            do {
                _ = try decompress(Array(body.prefix(length)), max: 1 << 20)
                XCTFail("a stream cut to \(length) of \(body.count) bytes was accepted")
            } catch {
                switch error {
                case .zlibTruncated(let offset): XCTAssertEqual(offset, length)
                case .zlibCorrupt: break  // a cut inside the two-byte header
                default: XCTFail("cut to \(length): \(error)")
                }
            }
        }
    }

    func testTrailingGarbageAfterTheStreamEnd() {
        let body = compress(Array("hello".utf8))
        XCTAssertWireError(try decompress(body + [0, 1, 2], max: 100), .zlibTrailingBytes(count: 3, offset: body.count))
        XCTAssertWireError(try decompress(body + body, max: 100), .zlibTrailingBytes(count: body.count, offset: body.count))
    }

    func testCorruptStreams() {
        XCTAssertWireError(try decompress([0x78, 0x9D], max: 100), .zlibCorrupt(reason: "incorrect header check", offset: 2))
        var body = compress(Array("hello hello hello".utf8))
        body[body.count - 1] ^= 0xFF  // the Adler-32 trailer
        XCTAssertWireError(try decompress(body, max: 100), .zlibCorrupt(reason: "incorrect data check", offset: body.count))
        // Raw deflate (no zlib header) and gzip are not accepted.
        XCTAssertThrowsError(try decompress([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00], max: 100))
    }

    func testOneGiBOfZerosIsStoppedAtTheInflateLimit() throws {
        let bomb = zerosStream(mebibytes: 1024)
        XCTAssertEqual(inflatedSize(bomb), 1 << 30, "the fixture inflates to exactly 1 GiB")
        XCTAssertLessThan(bomb.count, 2 << 20, "about 1 MiB of deflate expands to 1 GiB")
        let limit = WireLimits.standard.maxInflatedBytes
        do {
            _ = try decompress(bomb, max: limit)
            XCTFail("the bomb inflated")
        } catch {
            guard case .inflatedTooLarge(let reported, let offset) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reported, limit)
            XCTAssertLessThan(offset, bomb.count / 10, "stopped near the start of the stream")
        }
        // Through the batch path, with the default limits.
        XCTAssertThrowsError(try BatchCodec.decompress(bomb)) { error in
            XCTAssertTrue((error as? WireError)?.isTooLarge == true, "\(error)")
        }
    }

    /// A zlib stream of `mebibytes` MiB of zeros without compressing them all: after a full
    /// flush the compressor forgets its history, so every further MiB compresses to the same
    /// bytes, which are repeated; an empty final block and the Adler-32 of the zeros close it.
    private func zerosStream(mebibytes: Int) -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(deflateInit_(&stream, 9, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)), Z_OK)
        defer { deflateEnd(&stream) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        func compressMebibyte() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 64 << 10)
            zeros.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { output in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                    stream.avail_in = UInt32(input.count)
                    stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = UInt32(output.count)
                    XCTAssertEqual(deflate(&stream, Z_FULL_FLUSH), Z_OK)
                    XCTAssertEqual(stream.avail_in, 0)
                }
            }
            return Array(out.prefix(out.count - Int(stream.avail_out)))
        }
        let first = compressMebibyte()  // starts with the zlib header
        let repeated = compressMebibyte()
        XCTAssertEqual(compressMebibyte(), repeated, "a full flush makes every further MiB compress alike")
        var output = first
        for _ in 1..<mebibytes { output += repeated }
        // Final fixed-Huffman block holding only end-of-block, then Adler-32 (big-endian):
        // zeros leave a = 1 and make b = n mod 65521.
        output += [0x03, 0x00]
        let adler = UInt32((mebibytes << 20) % 65521) << 16 | 1
        output += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: adler >> UInt32($0)) }
        return output
    }

    /// Inflates a zlib stream through a small buffer and returns its size; 0 if it is invalid.
    private func inflatedSize(_ body: [UInt8]) -> Int {
        var stream = z_stream()
        XCTAssertEqual(inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)), Z_OK)
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var status = Z_OK
        body.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count)
            buffer.withUnsafeMutableBytes { output in
                while status == Z_OK {
                    stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = UInt32(output.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                }
            }
        }
        return status == Z_STREAM_END ? Int(stream.total_out) : 0
    }
}
