import Foundation
import VigilAgent
import VigilCollector
import XCTest

/// The configuration files shipped for Docker parse and mean what the compose file needs.
/// (There is no Docker engine here to build the images; this keeps their configs honest.)
final class DeploymentConfigTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testDockerCollectorConfigParsesAndRequiresTokenFiles() throws {
        let path = Self.repository.appendingPathComponent("docker/collector.conf").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The token files are Docker secrets; stand them in with temporary files.
        let secrets = NSTemporaryDirectory() + "vigil-secrets-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "ingest-token\n".write(toFile: secrets + "/vigil_ingest_token", atomically: true, encoding: .utf8)
        try "read-token\n".write(toFile: secrets + "/vigil_read_token", atomically: true, encoding: .utf8)
        let config = try CollectorConfig.parse(text.replacingOccurrences(of: "/run/secrets", with: secrets), file: path)
        XCTAssertEqual(config.listen, "0.0.0.0:9470")
        XCTAssertEqual(config.auth.ingestTokens, ["ingest-token"])
        XCTAssertEqual(config.auth.readTokens, ["read-token"])
        XCTAssertFalse(config.selfMonitor.enabled)
        try config.validate()

        XCTAssertThrowsError(try CollectorConfig.parse(text, file: path), "without the secrets mounted the collector refuses to start") { error in
            XCTAssertTrue("\(error)".contains("vigil_ingest_token"), "\(error)")
        }
    }

    func testDockerAgentConfigReadsTheHostsFileSystems() throws {
        let path = Self.repository.appendingPathComponent("docker/agent.conf").path
        let secrets = NSTemporaryDirectory() + "vigil-agent-secrets-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "ingest-token\n".write(toFile: secrets + "/vigil_ingest_token", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "/run/secrets", with: secrets)
        let config = try AgentConfig.parse(text, file: path)
        XCTAssertEqual(config.procfs, "/host/proc")
        XCTAssertEqual(config.sysfs, "/host/sys")
        XCTAssertEqual(config.rootfs, "/host/root")
        XCTAssertEqual(config.collector.token, "ingest-token")
        XCTAssertTrue(config.collector.url.hasPrefix("http://collector:9470"))
    }

    func testComposeFileMountsWhatTheAgentConfigReads() throws {
        let compose = try String(contentsOf: Self.repository.appendingPathComponent("docker/compose.yaml"), encoding: .utf8)
        for mount in ["/proc:/host/proc:ro", "/sys:/host/sys:ro", "/:/host/root:ro", "vigil_ingest_token", "vigil-data:/var/lib/vigil"] {
            XCTAssertTrue(compose.contains(mount), "compose.yaml mounts \(mount)")
        }
        for file in ["Dockerfile.agent", "Dockerfile.collector"] {
            let dockerfile = try String(contentsOf: Self.repository.appendingPathComponent("docker/" + file), encoding: .utf8)
            XCTAssertTrue(compose.contains(file))
            XCTAssertTrue(dockerfile.contains("FROM swift:6.3"), file)
        }
        let agentDockerfile = try String(contentsOf: Self.repository.appendingPathComponent("docker/Dockerfile.agent"), encoding: .utf8)
        XCTAssertTrue(agentDockerfile.contains("-static-executable") && agentDockerfile.contains("FROM scratch"), "the agent image is one static binary")
    }
}
