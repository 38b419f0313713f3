import Foundation
import VigilModel
import XCTest
@testable import VigilHost

/// Paths of the fixture trees and small lookups over sampled series, shared by the tests.
enum Fixture {
    /// The root of a fixture tree under Fixtures/ (debian12-vm, edge-cases).
    static func root(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The bytes of a fixture file, for parser tests.
    static func bytes(_ tree: String, _ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root(tree)).appendingPathComponent(relative)))
    }

    /// A fresh empty directory that is removed when the test ends.
    static func temporaryDirectory(for test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

extension [SeriesSamples] {
    /// The single sample value of the series `name` whose labels include `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = filter { series in
            series.labels.metricName == name && labels.allSatisfy { series.labels[$0.key] == $0.value }
        }
        guard found.count == 1 else { return nil }
        return found[0].samples.first?.value
    }

    /// The metric names present.
    var metricNames: Set<String> { Set(compactMap(\.labels.metricName)) }
}

/// Runs a parser over bytes held in an array.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes(body)
}

/// Runs a parser over the UTF-8 of a string.
func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Array(text.utf8).withUnsafeBytes(body)
}
