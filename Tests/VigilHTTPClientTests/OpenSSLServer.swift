import Foundation
import VigilTestSupport
import XCTest

/// `openssl s_server -WWW` on a free port of 127.0.0.1: a TLS server this project did not
/// write, serving `hello.txt` ("hello over tls\n") as HTTP/1.0 and closing after each answer.
final class OpenSSLServer {
    let port: Int
    private let process = Process()
    private let outputPath: String

    /// Serves with `certificate`; with `clientCA`, requires a client certificate it signed.
    init(openssl: String, directory: String, certificate: TestCertificates.Pair, clientCA: String? = nil) throws {
        let root = directory + "/www-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "hello over tls\n".write(toFile: root + "/hello.txt", atomically: true, encoding: .utf8)
        outputPath = root + ".log"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        var arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate.cert, "-key", certificate.key, "-WWW"]
        if let clientCA { arguments += ["-Verify", "1", "-verify_return_error", "-CAfile", clientCA] }
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0) }) {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.terminate()
        throw TestCertificates.Failure(description: "openssl s_server did not report its port:\n\((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// Certificates for a TLS test, or a skip when openssl is missing (a failure under CI).
func makeTestCertificates(file: StaticString = #filePath, line: UInt = #line) throws -> (certificates: TestCertificates, openssl: String) {
    guard let openssl = TestCertificates.openssl() else {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("openssl is not installed; scripts/install-deps.sh --test installs it", file: file, line: line)
        }
        throw XCTSkip("openssl is not installed (apt-get install openssl)")
    }
    let directory = NSTemporaryDirectory() + "vigil-tls-\(UUID().uuidString.prefix(8))"
    return (try TestCertificates(directory: directory, openssl: openssl), openssl)
}
