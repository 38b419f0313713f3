import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "vigil-storage-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    var walPath: String { path + "/wal" }
    var blocksPath: String { path + "/blocks" }

    /// Names in the WAL directory, sorted.
    func walFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: walPath).sorted()
    }

    /// Names in the blocks directory, sorted.
    func blockDirectories() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: blocksPath).sorted()
    }

    /// WAL segment paths in order.
    func segments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: walPath)
            .filter { WALFormat.segmentIndex($0) != nil }
            .sorted()
            .map { walPath + "/" + $0 }
    }

    func size(of file: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: file)[.size] as! NSNumber).intValue
    }

    func truncate(_ file: String, to length: Int) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    func flipByte(in file: String, at offset: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        data[offset] ^= 0x5a
        try data.write(to: URL(fileURLWithPath: file))
    }
}

func matcher(_ name: String, _ kind: LabelMatcher.Kind, _ value: String) -> LabelMatcher {
    try! LabelMatcher(name, kind, value)
}

func series(_ name: String, _ labels: [(String, String)], _ samples: [(Int64, Double)]) -> SeriesSamples {
    SeriesSamples(labels: Labels(name: name, labels), samples: samples.map { Sample(timestamp: $0.0, value: $0.1) })
}

/// Everything in the store: every series with all its samples, sorted by labels.
func everything(_ storage: Storage) throws -> [SeriesSamples] {
    try storage.select([matcher("__name__", .regex, ".+")], from: .min, through: .max)
}

func summary(of outcome: AppendOutcome, file: StaticString = #filePath, line: UInt = #line) -> AppendSummary {
    guard case .appended(let summary) = outcome else {
        XCTFail("expected .appended, got \(outcome)", file: file, line: line)
        return AppendSummary()
    }
    return summary
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Runs `body`, which must throw a `StorageError` of `kind`; returns it for further checks.
@discardableResult
func expectStorageError<T>(
    _ kind: StorageError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
) async -> StorageError? {
    do {
        let value = try await body()
        XCTFail("expected a \(kind) error, got \(value)", file: file, line: line)
    } catch let error as StorageError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a StorageError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Head chunk files without a directory: tests of a lone `MemSeries` keep cut chunks on the heap.
let heapChunks = try! HeadChunkFiles(directory: nil, segmentBytes: 0)

/// Options for tests that decide themselves when blocks are cut and compacted.
func manualOptions(shards: Int = 2, blockRange: Int64 = 3_600_000) -> StorageOptions {
    StorageOptions(shards: shards, fsync: false, blockRange: blockRange, backgroundMaintenance: false)
}

/// `hosts` × `metrics` series with one sample every `step` ms in [start, end): counters,
/// gauges and constants, as a list of batches of `batchSteps` steps each.
func generatedBatches(hosts: Int, metrics: Int, start: Int64, end: Int64, step: Int64,
                      batchSteps: Int = 6) -> [[SeriesSamples]] {
    var batches: [[SeriesSamples]] = []
    var time = start
    var counter = 0.0
    while time < end {
        var batch: [SeriesSamples] = []
        for host in 0..<hosts {
            for metric in 0..<metrics {
                var samples: [Sample] = []
                var t = time
                for _ in 0..<batchSteps where t < end {
                    counter += 1
                    let value: Double
                    switch metric % 3 {
                    case 0: value = Double(t / step) * Double(host + 1)
                    case 1: value = 0.5 + Double((t / step + Int64(host)) % 17) / 10
                    default: value = Double(metric)
                    }
                    samples.append(Sample(timestamp: t, value: value))
                    t += step
                }
                batch.append(SeriesSamples(labels: Labels(name: "metric_\(metric)", [("host", "host-\(host)")]), samples: samples))
            }
        }
        batches.append(batch)
        time += step * Int64(batchSteps)
    }
    return batches
}
