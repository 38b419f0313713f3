import Foundation
import Logging
import XCTest

/// A log handler that keeps every message, so tests can check that something was logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    var messages: [String] { lock.withLock { entries.map(\.message) } }

    func metadata(of message: String) -> Logger.Metadata? {
        lock.withLock { entries.first { $0.message == message }?.metadata }
    }

    fileprivate func add(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        lock.withLock { entries.append((level, message, metadata)) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.add(event.level, "\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 })
        }
    }
}

/// Directories under the system's temporary directory, removed when the test ends.
enum TemporaryDirectory {
    static func make(_ test: XCTestCase, _ prefix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}
