import Foundation
import VigilConfig
import XCTest

/// Parses `text`, lets `body` read it, finishes, and returns what was read with every error.
func bind<Result>(
    _ text: String, file: String = "agent.conf", _ body: (ConfigSection) -> Result
) throws -> (Result, [ConfigError]) {
    let reader = ConfigReader(try ConfigDocument.parse(text, file: file))
    let result = body(reader.root)
    do throws(ConfigErrors) {
        try reader.finish()
        return (result, [])
    } catch {
        return (result, error.errors)
    }
}

enum TestLevel: String, CaseIterable, Equatable {
    case debug, info, warning
}

extension XCTestCase {
    /// A fresh directory under the system's temporary directory, removed after the test.
    func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The repository root, found by walking up from this source file to the directory that
    /// holds Package.swift and the example configs.
    func repositoryRoot(from file: String = #filePath) throws -> String {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            let hasPackage = FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            let hasExample = FileManager.default.fileExists(atPath: directory.appendingPathComponent("agent.conf.example").path)
            if hasPackage && hasExample { return directory.path }
            directory.deleteLastPathComponent()
        }
        throw XCTSkip("no repository root above \(file)")
    }
}
