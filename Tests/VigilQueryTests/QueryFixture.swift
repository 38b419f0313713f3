import Foundation
import VigilModel
import VigilQuery
import VigilStorage
import VigilWire
import XCTest

/// A store in a temporary directory holding samples written in the Prometheus text format
/// (`name{labels} value timestamp-ms`), and an engine over it.
final class QueryFixture {
    let directory: String
    let storage: Storage
    let engine: PromQLEngine

    init(_ text: String, maxSamples: Int = 50_000_000) async throws {
        directory = NSTemporaryDirectory() + "vigil-query-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        storage = try Storage.open(directory: directory, options: StorageOptions(shards: 2, fsync: false))
        engine = PromQLEngine(storage: storage, maxSamples: maxSamples)
        try await Self.load(text, into: storage)
    }

    deinit {
        storage.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Appends the samples of `text`, one batch per series, in timestamp order.
    static func load(_ text: String, into storage: Storage) async throws {
        var order: [Labels] = []
        var bySeries: [Labels: [Sample]] = [:]
        for sample in try PrometheusText.parse(text) {
            if bySeries[sample.labels] == nil { order.append(sample.labels) }
            bySeries[sample.labels, default: []].append(Sample(timestamp: sample.timestamp ?? 0, value: sample.value))
        }
        let batch = order.map { SeriesSamples(labels: $0, samples: bySeries[$0]!.sorted { $0.timestamp < $1.timestamp }) }
        _ = try await storage.append(batch)
    }

    /// An instant query's vector as `labels => value` lines, sorted unless `ordered`.
    func vector(_ query: String, at time: Int64, ordered: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            guard case .vector(let samples) = try engine.instant(query, at: time) else {
                XCTFail("\(query) is not a vector", file: file, line: line)
                return []
            }
            let lines = samples.map { "\($0.labels.description) => \(GoFloatFormat.format($0.sample.value))" }
            return ordered ? lines : lines.sorted()
        } catch {
            XCTFail("\(query): \(error)", file: file, line: line)
            return []
        }
    }

    func scalar(_ query: String, at time: Int64, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        do {
            guard case .scalar(let sample) = try engine.instant(query, at: time) else {
                XCTFail("\(query) is not a scalar", file: file, line: line)
                return nil
            }
            return sample.value
        } catch {
            XCTFail("\(query): \(error)", file: file, line: line)
            return nil
        }
    }

    /// The error an instant query fails with.
    func error(_ query: String, at time: Int64, file: StaticString = #filePath, line: UInt = #line) -> PromQLError? {
        do {
            let value = try engine.instant(query, at: time)
            XCTFail("\(query) did not fail: \(value)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }
}
