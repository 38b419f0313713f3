import VigilModel
import XCTest

@testable import VigilWire

/// Damaged and hostile input: every cut, every flipped byte and thousands of random
/// mutations must end in a `WireError`, never a crash or a wrong batch.
final class BatchCorruptionTests: XCTestCase {
    private let batch = Batch(agentID: "host-ü", agentVersion: "1.0", sequence: 99, series: [
        makeSeries("node_load1", [("host", "a")], [(1_700_000_000_000, 0.5), (1_700_000_015_000, 0.75), (1_700_000_030_000, -3.25)]),
        makeSeries("node_network_receive_bytes_total", [("device", "eth0")], [(1_700_000_000_000, 1e12), (1_700_000_015_000, 1.0000001e12)]),
        makeSeries("weird", [("value", "日本")], [(-5, .nan), (7, .infinity)]),
    ])

    func testTruncationAtEveryOffsetFails() {
        let payload = BatchCodec.encode(batch)
        for length in 0..<payload.count {
            XCTAssertThrowsError(try BatchCodec.decode(Array(payload.prefix(length))), "cut to \(length)")
        }
    }

    func testTruncationBehindAValidChecksumIsReportedAsTruncation() {
        // Cutting the body and resealing it reaches the structural checks: every cut must be
        // found as a field that runs past the end, never decoded as a smaller batch.
        let payload = BatchCodec.encode(batch)
        let body = Array(payload.dropLast(BatchFormat.checksumSize))
        for length in BatchFormat.fixedHeaderSize..<body.count {
            var cut = Array(body.prefix(length))
            do {
                _ = try BatchCodec.decode(sealed(&cut))
                XCTFail("a body cut to \(length) of \(body.count) bytes decoded")
            } catch {
                guard case .truncated = error else { return XCTFail("cut to \(length): \(error)") }
            }
        }
    }

    func testFlippingAnyByteIsDetected() {
        let payload = BatchCodec.encode(batch)
        for index in payload.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = payload
                damaged[index] ^= mask
                XCTAssertThrowsError(try BatchCodec.decode(damaged), "byte \(index) ^ \(mask)")
            }
        }
    }

    func testFlippingAnyByteOfTheCompressedBodyIsDetected() {
        let body = BatchCodec.compress(batch)
        for index in body.indices {
            var damaged = body
            damaged[index] ^= 0x01
            XCTAssertThrowsError(try BatchCodec.decompress(damaged), "byte \(index)")
        }
    }

    func testFlippedBytesBehindAValidChecksumNeverCrash() {
        // Without the CRC's protection a change may yield another valid batch; it must still
        // satisfy every rule, which re-encoding and decoding again confirms.
        let payload = BatchCodec.encode(batch)
        var decodedDifferently = 0
        for index in payload.indices.dropLast(BatchFormat.checksumSize) {
            for mask: UInt8 in [0x01, 0x40, 0xFF] {
                var damaged = payload
                damaged[index] ^= mask
                if let decoded = try? BatchCodec.decode(resealed(damaged)) {
                    decodedDifferently += 1
                    XCTAssertNotEqual(decoded, batch)
                    XCTAssertEqual(try BatchCodec.decode(BatchCodec.encode(decoded)), decoded)
                }
            }
        }
        XCTAssertGreaterThan(decodedDifferently, 0, "some flips (in values, say) give another valid batch")
    }

    func testRandomMutationsNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED)
        let seeds = [BatchCodec.encode(batch), BatchCodec.encode(goldenBatch())]
            + (0..<4).map { _ in BatchCodec.encode(randomBatch(&generator, seriesCount: 12)) }
        var accepted = 0
        for round in 0..<4000 {
            var input = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutate(&input, &generator)
            }
            // Half the inputs get a fresh checksum so the mutations reach the structural checks.
            if round % 2 == 0, input.count >= BatchFormat.checksumSize { input = resealed(input) }
            do {
                let decoded = try BatchCodec.decode(input)
                accepted += 1
                XCTAssertEqual(try BatchCodec.decode(BatchCodec.encode(decoded)), decoded, "round \(round)")
            } catch {
                XCTAssertFalse(error.description.isEmpty)
            }
            if round % 8 == 0 {
                let body = input.withUnsafeBytes { Zlib.compress($0, level: 1) }
                var damagedBody = body
                mutate(&damagedBody, &generator)
                _ = try? BatchCodec.decompress(damagedBody)
            }
        }
        XCTAssertLessThan(accepted, 4000)
    }

    private func mutate(_ input: inout [UInt8], _ generator: inout SplitMix64) {
        guard !input.isEmpty else {
            input.append(UInt8.random(in: 0...255, using: &generator))
            return
        }
        let index = Int.random(in: 0..<input.count, using: &generator)
        switch Int.random(in: 0..<7, using: &generator) {
        case 0: input[index] ^= 1 << UInt8.random(in: 0...7, using: &generator)
        case 1: input[index] = UInt8.random(in: 0...255, using: &generator)
        case 2: input[index] = [0x00, 0x7F, 0x80, 0xFF][Int.random(in: 0..<4, using: &generator)]
        case 3: input.insert(UInt8.random(in: 0...255, using: &generator), at: index)
        case 4: input.remove(at: index)
        case 5: input.removeLast(Int.random(in: 0...(input.count - index), using: &generator))
        default:
            let length = Int.random(in: 1...min(16, input.count - index), using: &generator)
            input.insert(contentsOf: input[index..<index + length], at: index)
        }
    }
}
