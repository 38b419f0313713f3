import Foundation
import VigilCollector
import VigilConfig
import XCTest

final class CollectorConfigTests: XCTestCase {
    func testTheExampleFileSetsEveryKeyToItsDefault() throws {
        let config = try CollectorConfig.load(path: try repositoryRoot() + "/collector.conf.example")
        XCTAssertEqual(config, CollectorConfig())
    }

    func testDefaults() throws {
        let config = try CollectorConfig.parse("", file: "collector.conf")
        XCTAssertEqual(config.listen, "127.0.0.1:9470")
        XCTAssertEqual(config.dataDir, "./vigil-data")
        XCTAssertEqual(config.auth, CollectorConfig.Auth())
        XCTAssertFalse(config.auth.hasAnyToken)
        XCTAssertEqual(config.selfMonitor.enabled, true)
        XCTAssertEqual(config.selfMonitor.interval, .seconds(10))
        XCTAssertEqual(config.selfMonitor.host, "")
        XCTAssertEqual([config.selfMonitor.procfs, config.selfMonitor.sysfs, config.selfMonitor.rootfs], ["/proc", "/sys", "/"])
        XCTAssertEqual(config.storage.shards, 0)
        XCTAssertEqual(config.storage.walSegmentSize, 128 << 20)
        XCTAssertEqual(config.storage.fsync, true)
        XCTAssertEqual(config.storage.maxSeries, 0)
        XCTAssertEqual(config.storage.blockRange, .seconds(7_200))
        XCTAssertEqual(config.storage.retention, .seconds(15 * 86_400))
        XCTAssertEqual(config.storage.retentionSize, 0)
        XCTAssertEqual(config.ingest.maxBodySize, 8 << 20)
        XCTAssertEqual(config.ingest.maxInflatedSize, 64 << 20)
        XCTAssertEqual(config.ingest.maxSeriesPerBatch, 200_000)
        XCTAssertEqual(config.ingest.maxSamplesPerBatch, 2_000_000)
        XCTAssertNil(config.hosts.staleAfter)
        XCTAssertEqual(config.log.level, .info)
        XCTAssertEqual(config.listenAddress, CollectorConfig.ListenAddress("127.0.0.1:9470"))
    }

    func testEveryKeyOverridesItsDefault() throws {
        let config = try CollectorConfig.parse("""
            listen = "0.0.0.0:9999"
            data_dir = "/var/lib/vigil"
            [auth]
            ingest_tokens = ["i1", "i2"]
            read_tokens = ["r1"]
            admin_tokens = ["a1"]
            [self_monitor]
            enabled = false
            interval = "30s"
            host = "central"
            procfs = "/host/proc"
            sysfs = "/host/sys"
            rootfs = "/host"
            [storage]
            shards = 4
            wal_segment_size = "64MiB"
            fsync = false
            max_series = 1_000_000
            block_range = "1h"
            retention = "0s"
            retention_size = "10GiB"
            [ingest]
            max_body_size = "4MiB"
            max_inflated_size = "32MiB"
            max_series_per_batch = 1000
            max_samples_per_batch = 50000
            [hosts]
            stale_after = "5m"
            [log]
            level = "warning"
            """, file: "collector.conf")
        XCTAssertEqual(config.listen, "0.0.0.0:9999")
        XCTAssertEqual(config.dataDir, "/var/lib/vigil")
        XCTAssertEqual(config.auth.ingestTokens, ["i1", "i2"])
        XCTAssertEqual(config.auth.readTokens, ["r1"])
        XCTAssertEqual(config.auth.adminTokens, ["a1"])
        XCTAssertEqual(config.selfMonitor.enabled, false)
        XCTAssertEqual(config.selfMonitor.interval, .seconds(30))
        XCTAssertEqual(config.selfMonitor.host, "central")
        XCTAssertEqual([config.selfMonitor.procfs, config.selfMonitor.sysfs, config.selfMonitor.rootfs], ["/host/proc", "/host/sys", "/host"])
        XCTAssertEqual(config.storage.shards, 4)
        XCTAssertEqual(config.storage.walSegmentSize, 64 << 20)
        XCTAssertEqual(config.storage.fsync, false)
        XCTAssertEqual(config.storage.maxSeries, 1_000_000)
        XCTAssertEqual(config.storage.blockRange, .seconds(3_600))
        XCTAssertNil(config.storage.retention, "0s keeps blocks forever")
        XCTAssertEqual(config.storage.retentionSize, 10 << 30)
        XCTAssertEqual(config.ingest.maxBodySize, 4 << 20)
        XCTAssertEqual(config.ingest.maxInflatedSize, 32 << 20)
        XCTAssertEqual(config.ingest.maxSeriesPerBatch, 1000)
        XCTAssertEqual(config.ingest.maxSamplesPerBatch, 50000)
        XCTAssertEqual(config.hosts.staleAfter, .seconds(300))
        XCTAssertEqual(config.log.level, .warning)
    }

    func testTLSNeedsCertificateAndKeyTogether() {
        XCTAssertEqual(parseErrors("[tls]\ncert_file = \"/etc/vigil/c.crt\"\n").map(\.description), [
            "collector.conf:2:13: tls.cert_file is set without tls.key_file; HTTPS needs both the certificate (cert_file) and its private key (key_file)",
        ])
        XCTAssertEqual(parseErrors("[tls]\nclient_ca_file = \"ca.crt\"\n").map(\.description), [
            "collector.conf:2:18: tls.client_ca_file is set without tls.cert_file and tls.key_file; client certificates need HTTPS: set cert_file and key_file too",
        ])
    }

    func testTLSPathsAreTakenFromTheConfigFilesDirectory() {
        let errors = parseErrors("[tls]\ncert_file = \"tls/c.crt\"\nkey_file = \"/abs/c.key\"\n", file: "/etc/vigil/collector.conf")
        XCTAssertEqual(errors.map(\.description), [
            "/etc/vigil/collector.conf:2:13: cannot read certificate file /etc/vigil/tls/c.crt: No such file or directory (errno 2)",
        ])
    }

    func testListeningOffLoopbackWithoutTokensIsRefusedAtTheListenKey() {
        let errors = parseErrors("# public\nlisten = \"0.0.0.0:9470\"\n")
        XCTAssertEqual(errors.map(\.description), [
            "collector.conf:2:10: refusing to listen on 0.0.0.0:9470 without tokens; "
                + "set [auth] ingest_tokens and read_tokens, or listen on 127.0.0.1",
        ])
    }

    func testLoopbackAddressesNeedNoToken() throws {
        for listen in ["127.0.0.1:9470", "127.8.9.10:1", "localhost:9470", "LocalHost:0", "[::1]:9470",
            "[0:0:0:0:0:0:0:1]:9470", "[::ffff:127.0.0.1]:9470"]
        {
            let config = try CollectorConfig.parse("listen = \"\(listen)\"", file: "collector.conf")
            XCTAssertEqual(config.listenAddress?.isLoopback, true, listen)
        }
    }

    func testOtherAddressesNeedAToken() throws {
        for listen in ["0.0.0.0:9470", "[::]:9470", "10.0.0.5:9470", "myhost:9470", "128.0.0.1:80", "[::ffff:10.0.0.1]:1"] {
            XCTAssertEqual(parseErrors("listen = \"\(listen)\"").map(\.message), ["refusing to listen on \(listen) without tokens"])
            let withIngest = try CollectorConfig.parse("listen = \"\(listen)\"\n[auth]\ningest_tokens = [\"t\"]", file: "c.conf")
            XCTAssertTrue(withIngest.auth.hasAnyToken)
            XCTAssertNoThrow(try CollectorConfig.parse("listen = \"\(listen)\"\n[auth]\nadmin_tokens = [\"t\"]", file: "c.conf"))
        }
    }

    func testValidateRechecksTheLoopbackRuleAfterAFlagOverride() throws {
        var config = try CollectorConfig.parse("", file: "collector.conf")
        XCTAssertNoThrow(try config.validate())
        config.listen = "0.0.0.0:9470"
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.description,
                "refusing to listen on 0.0.0.0:9470 without tokens; set [auth] ingest_tokens and read_tokens, or listen on 127.0.0.1")
        }
        config.auth.readTokens = ["r"]
        XCTAssertNoThrow(try config.validate())
        config.listen = "9470"
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertEqual((error as? ConfigErrors)?.errors.map(\.message), ["listen is not a host:port address: \"9470\""])
        }
    }

    func testListenAddressForms() {
        let valid: [(String, String, Int)] = [
            ("127.0.0.1:9470", "127.0.0.1", 9470), ("[::1]:80", "::1", 80), ("example.org:0", "example.org", 0),
            ("0.0.0.0:65535", "0.0.0.0", 65535),
        ]
        for (text, host, port) in valid {
            XCTAssertEqual(CollectorConfig.ListenAddress(text)?.host, host, text)
            XCTAssertEqual(CollectorConfig.ListenAddress(text)?.port, port, text)
        }
        for text in ["", "9470", ":9470", "host:", "host:65536", "host:-1", "host:94a", "::1:9470", "[::1]9470",
            "[nothing]:80", "[::1]:", "host:000009470"]
        {
            XCTAssertNil(CollectorConfig.ListenAddress(text), text)
        }
    }

    func testTokenFilesAreReadAndCountForTheLoopbackRule() throws {
        let directory = try temporaryDirectory()
        try Data("ingest-from-file\n".utf8).write(to: URL(fileURLWithPath: directory + "/ingest.token"))
        try Data(" read-from-file ".utf8).write(to: URL(fileURLWithPath: directory + "/read.token"))
        let configText = """
            listen = "0.0.0.0:9470"
            [auth]
            ingest_tokens = ["inline"]
            ingest_token_files = ["ingest.token"]
            read_token_files = ["\(directory)/read.token"]
            """
        try Data(configText.utf8).write(to: URL(fileURLWithPath: directory + "/collector.conf"))
        let config = try CollectorConfig.load(path: directory + "/collector.conf")
        XCTAssertEqual(config.auth.ingestTokens, ["inline", "ingest-from-file"])
        XCTAssertEqual(config.auth.ingestTokenFiles, [directory + "/ingest.token"])
        XCTAssertEqual(config.auth.readTokens, ["read-from-file"])
        XCTAssertEqual(config.auth.readTokenFiles, [directory + "/read.token"])
        XCTAssertEqual(config.auth.adminTokens, [])
    }

    func testAMissingTokenFileIsAnErrorAndLeavesNoToken() throws {
        let directory = try temporaryDirectory()
        let errors = parseErrors("listen = \"0.0.0.0:1\"\n[auth]\nread_token_files = [\"\(directory)/none\"]")
        XCTAssertEqual(errors.map(\.kind), [.invalidValue, .unreadable])
        XCTAssertEqual(errors.map(\.position?.line), [1, 3])
    }

    func testCrossFieldAndRangeProblemsAreCollected() {
        let errors = parseErrors("""
            [storage]
            shards = 5000
            wal_segment_size = "1KiB"
            [ingest]
            max_body_size = "16MiB"
            max_inflated_size = "8MiB"
            [self_monitor]
            enabeld = true
            """)
        XCTAssertEqual(errors.map(\.description), [
            "collector.conf:2:10: storage.shards is 5000, above the maximum of 1024; use a value from 0 to 1024",
            "collector.conf:3:20: storage.wal_segment_size is 1KiB, below the minimum of 1MiB; use a value from 1MiB to 1GiB",
            "collector.conf:6:21: ingest.max_inflated_size is smaller than ingest.max_body_size; "
                + "an inflated body is never smaller than the compressed one; raise max_inflated_size",
            #"collector.conf:8:1: unknown key "enabeld" in [self_monitor]; did you mean "enabled"?"#,
        ])
    }

    func testStaleAfterZeroMeansAutomatic() throws {
        XCTAssertNil(try CollectorConfig.parse("[hosts]\nstale_after = \"0s\"", file: "c.conf").hosts.staleAfter)
        XCTAssertEqual(try CollectorConfig.parse("[hosts]\nstale_after = \"90s\"", file: "c.conf").hosts.staleAfter, .seconds(90))
    }

    private func parseErrors(_ text: String, file: String = "collector.conf") -> [ConfigError] {
        do throws(ConfigErrors) {
            _ = try CollectorConfig.parse(text, file: file)
            XCTFail("expected errors")
            return []
        } catch {
            return error.errors
        }
    }

    private func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-collector-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Walks up from this file to the directory holding Package.swift and the example configs.
    private func repositoryRoot(from file: String = #filePath) throws -> String {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            let manager = FileManager.default
            if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: directory.appendingPathComponent("collector.conf.example").path)
            {
                return directory.path
            }
            directory.deleteLastPathComponent()
        }
        throw XCTSkip("no repository root above \(file)")
    }
}
