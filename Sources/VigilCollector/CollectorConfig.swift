#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import VigilConfig
import VigilModel

/// The collector's settings, read from collector.conf; collector.conf.example lists every key.
///
/// Every field has a default, so `CollectorConfig()` serves on 127.0.0.1:9470 with data in
/// ./vigil-data and monitors its own host. `parse` and `load` report every problem in the file at
/// once. Flags may override fields afterwards (`--listen`); `validate()` then re-checks the
/// rules that span fields, above all: without any token the collector listens on loopback only.
public struct CollectorConfig: Equatable, Sendable {
    /// The `[self_monitor]` section: sampling the collector's own host in-process.
    public struct SelfMonitor: Equatable, Sendable {
        public var enabled = true
        public var interval: Duration = .seconds(10)
        /// The `host` label; empty means the system host name.
        public var host = ""
        public var procfs = "/proc"
        public var sysfs = "/sys"
        public var rootfs = "/"

        public init() {}
    }

    /// The `[storage]` section.
    public struct Storage: Equatable, Sendable {
        /// Number of shards; 0 means one per CPU core.
        public var shards = 0
        /// A WAL segment is closed and a new one started past this size.
        public var walSegmentSize = 128 << 20
        /// Whether a batch is acknowledged only after fsync of the WAL.
        public var fsync = true
        /// Limit on distinct series; 0 means unlimited.
        public var maxSeries = 0
        /// Time range of one block cut from the head.
        public var blockRange: Duration = .seconds(7_200)
        /// Blocks older than this are deleted; nil keeps them forever ("0s" in the file).
        public var retention: Duration? = .seconds(15 * 86_400)
        /// Oldest blocks are deleted while all blocks together exceed this; 0 means no size limit.
        public var retentionSize = 0

        public init() {}
    }

    /// The `[ingest]` section: limits on one batch.
    public struct Ingest: Equatable, Sendable {
        /// Limit on the compressed request body.
        public var maxBodySize = 8 << 20
        /// Limit on the body once inflated; at least `maxBodySize`.
        public var maxInflatedSize = 64 << 20
        public var maxSeriesPerBatch = 200_000
        public var maxSamplesPerBatch = 2_000_000
        /// Memory for remembering each agent's last label tables and where their series sit
        /// (SeriesPlacementCache); 0 turns the cache off.
        public var seriesCacheSize = 256 << 20

        public init() {}
    }

    /// The `[hosts]` section: the host registry.
    public struct Hosts: Equatable, Sendable {
        /// A host that sent nothing for this long is stale; nil (`"0s"` in the file) leaves it to
        /// the registry: three times the interval the agent reports, and at least 30 seconds.
        public var staleAfter: Duration?

        public init() {}
    }

    /// The `[tls]` section: HTTPS on the listener. Paths are resolved from the config file's
    /// directory; all empty (the default) serves plain HTTP.
    public struct TLS: Equatable, Sendable {
        /// PEM file of the server certificate, then any intermediates.
        public var certFile = ""
        /// PEM file of the certificate's private key, unencrypted.
        public var keyFile = ""
        /// PEM file of the CAs that sign client certificates; when set, every client must
        /// present a certificate signed by one of them (mutual TLS).
        public var clientCAFile = ""

        public init() {}

        /// Whether the listener speaks HTTPS.
        public var isEnabled: Bool { !certFile.isEmpty }
        /// Whether clients must present certificates.
        public var requiresClientCertificates: Bool { !clientCAFile.isEmpty }
    }

    /// The `[log]` section.
    public struct Log: Equatable, Sendable {
        public var level: Logger.Level = .info

        public init() {}
    }

    /// A `listen` value taken apart: `127.0.0.1:9470`, `[::1]:9470`, `localhost:9470`, `0.0.0.0:0`.
    public struct ListenAddress: Equatable, Sendable {
        /// Host name or address, without the brackets of an IPv6 address.
        public var host: String
        /// 0 to 65535; 0 asks the system for a free port.
        public var port: Int

        /// Parses `host:port`, IPv6 addresses in brackets; nil when the text is not of that form,
        /// the host is empty or the port is not a number from 0 to 65535.
        public init?(_ text: String) {
            let hostPart: Substring
            let portPart: Substring
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]"), text[close...].dropFirst().first == ":" else { return nil }
                hostPart = text[text.index(after: text.startIndex)..<close]
                portPart = text[text.index(close, offsetBy: 2)...]
                guard ListenAddress.ipv6Bytes(String(hostPart)) != nil else { return nil }
            } else {
                guard let colon = text.lastIndex(of: ":") else { return nil }
                hostPart = text[..<colon]
                portPart = text[text.index(after: colon)...]
                guard !hostPart.contains(":") else { return nil }
            }
            guard !hostPart.isEmpty, !portPart.isEmpty, portPart.utf8.count <= 5,
                portPart.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let port = Int(portPart), port <= 65_535
            else { return nil }
            self.host = String(hostPart)
            self.port = port
        }

        /// True for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped 127.0.0.0/8. Other names are
        /// not resolved and count as not loopback.
        public var isLoopback: Bool {
            if host.lowercased() == "localhost" { return true }
            if let ipv4 = ListenAddress.ipv4Bytes(host) { return ipv4[0] == 127 }
            guard let ipv6 = ListenAddress.ipv6Bytes(host) else { return false }
            let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            return ipv6 == loopback || (ipv6.starts(with: mappedPrefix) && ipv6[12] == 127)
        }

        private static func ipv4Bytes(_ text: String) -> [UInt8]? {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: address) { Array($0) }
        }

        private static func ipv6Bytes(_ text: String) -> [UInt8]? {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: address) { Array($0) }
        }
    }

    /// Address and port of the HTTP server.
    public var listen = "127.0.0.1:9470"
    /// Directory for the WAL and blocks.
    public var dataDir = "./vigil-data"
    public var auth = Auth()
    public var selfMonitor = SelfMonitor()
    public var storage = Storage()
    public var ingest = Ingest()
    public var hosts = Hosts()
    public var tls = TLS()
    public var log = Log()

    public init() {}

    /// `listen` taken apart, or nil when it is not valid (`validate()` says why).
    public var listenAddress: ListenAddress? { ListenAddress(listen) }

    /// Binds `text`, the contents of the file named `file` (used in messages and to resolve
    /// relative paths). Reads the token files; when `[tls]` is complete, also checks its
    /// certificate, key and CA files as `ListenerTLS.problems` does (readable, matching, valid
    /// at `now`, Unix seconds). Environment variables named by `*_token_envs` and `token_env`
    /// are looked up in `environment`.
    /// - Throws: `ConfigErrors` with every syntax error, or else every binding problem.
    public static func parse(
        _ text: String, file: String, environment: ConfigEnvironment = .process,
        now: Int64 = UnixTime.nowMilliseconds() / 1000
    ) throws(ConfigErrors) -> CollectorConfig {
        let reader = ConfigReader(try ConfigDocument.parse(text, file: file), environment: environment)
        let config = CollectorConfig(reading: reader.root)
        let problems = config.problems()
        for problem in problems { reader.report(problem) }
        if !problems.contains(where: { $0.keyPath.first == "tls" }) {
            for problem in ListenerTLS.problems(config.tls, now: now) { reader.report(problem) }
        }
        try reader.finish()
        return config
    }

    /// Reads the file at `path` and binds it as `parse` does.
    /// - Throws: `ConfigErrors`, with one `.unreadable` error when the file cannot be read.
    public static func load(path: String, environment: ConfigEnvironment = .process) throws(ConfigErrors) -> CollectorConfig {
        try parse(try ConfigFile.text(path: path), file: path, environment: environment)
    }

    /// Re-checks, after flags changed fields (`--listen`), the rules that span fields or parse
    /// strings: `listen` is a host:port, a listener off loopback needs a token, the inflated-size
    /// limit covers the body limit, paths are not empty. Ranges of single values are checked
    /// while binding the file, not here.
    /// - Throws: `ConfigErrors` without file positions.
    public func validate() throws(ConfigErrors) {
        let problems = problems()
        if !problems.isEmpty { throw ConfigErrors(problems: problems) }
    }

    private init(reading root: ConfigSection) {
        listen = root.string("listen", default: listen)
        dataDir = root.string("data_dir", default: dataDir)

        auth = Auth(reading: root.section("auth"))

        let monitor = root.section("self_monitor")
        selfMonitor.enabled = monitor.bool("enabled", default: selfMonitor.enabled)
        selfMonitor.interval = monitor.duration(
            "interval", default: selfMonitor.interval, min: .seconds(1), max: .seconds(3_600))
        selfMonitor.host = monitor.string("host", default: selfMonitor.host)
        selfMonitor.procfs = monitor.string("procfs", default: selfMonitor.procfs)
        selfMonitor.sysfs = monitor.string("sysfs", default: selfMonitor.sysfs)
        selfMonitor.rootfs = monitor.string("rootfs", default: selfMonitor.rootfs)

        let storageSection = root.section("storage")
        storage.shards = storageSection.int("shards", default: storage.shards, min: 0, max: 1_024)
        storage.walSegmentSize = storageSection.bytes(
            "wal_segment_size", default: storage.walSegmentSize, min: 1 << 20, max: 1 << 30)
        storage.fsync = storageSection.bool("fsync", default: storage.fsync)
        storage.maxSeries = storageSection.int("max_series", default: storage.maxSeries, min: 0)
        storage.blockRange = storageSection.duration(
            "block_range", default: storage.blockRange, min: .seconds(60), max: .seconds(7 * 86_400))
        let retention = storageSection.duration(
            "retention", default: storage.retention ?? .zero, min: .zero, max: .seconds(100 * 365 * 86_400))
        storage.retention = retention == .zero ? nil : retention
        storage.retentionSize = storageSection.bytes("retention_size", default: storage.retentionSize, min: 0)

        let ingestSection = root.section("ingest")
        ingest.maxBodySize = ingestSection.bytes(
            "max_body_size", default: ingest.maxBodySize, min: 1 << 10, max: 1 << 30)
        ingest.maxInflatedSize = ingestSection.bytes(
            "max_inflated_size", default: ingest.maxInflatedSize, min: 1 << 10, max: 4 << 30)
        ingest.maxSeriesPerBatch = ingestSection.int(
            "max_series_per_batch", default: ingest.maxSeriesPerBatch, min: 1, max: 10_000_000)
        ingest.maxSamplesPerBatch = ingestSection.int(
            "max_samples_per_batch", default: ingest.maxSamplesPerBatch, min: 1, max: 100_000_000)
        ingest.seriesCacheSize = ingestSection.bytes(
            "series_cache_size", default: ingest.seriesCacheSize, min: 0, max: 64 << 30)

        let staleAfter = root.section("hosts").duration(
            "stale_after", default: .zero, min: .zero, max: .seconds(30 * 86_400))
        hosts.staleAfter = staleAfter == .zero ? nil : staleAfter

        let tlsSection = root.section("tls")
        tls.certFile = tlsSection.filePath("cert_file")
        tls.keyFile = tlsSection.filePath("key_file")
        tls.clientCAFile = tlsSection.filePath("client_ca_file")

        log.level = root.section("log").oneOf("level", default: log.level)
    }

    private func problems() -> [ConfigProblem] {
        var problems = auth.problems()
        if let address = listenAddress {
            if !address.isLoopback, !auth.hasAnyToken {
                problems.append(ConfigProblem(
                    ["listen"], "refusing to listen on \(listen) without tokens",
                    hint: "set [auth] ingest_tokens and read_tokens, or listen on 127.0.0.1"))
            }
        } else {
            problems.append(ConfigProblem(
                ["listen"], "listen is not a host:port address: \"\(listen)\"",
                hint: "write 127.0.0.1:9470, 0.0.0.0:9470 or [::1]:9470 (IPv6 in brackets, port 0 to 65535)"))
        }
        if ingest.maxInflatedSize < ingest.maxBodySize {
            problems.append(ConfigProblem(
                ["ingest", "max_inflated_size"], "ingest.max_inflated_size is smaller than ingest.max_body_size",
                hint: "an inflated body is never smaller than the compressed one; raise max_inflated_size"))
        }
        let paths = [
            (["data_dir"], dataDir), (["self_monitor", "procfs"], selfMonitor.procfs),
            (["self_monitor", "sysfs"], selfMonitor.sysfs), (["self_monitor", "rootfs"], selfMonitor.rootfs),
        ]
        for (keyPath, path) in paths where path.isEmpty {
            problems.append(ConfigProblem(
                keyPath, "\(keyPath.joined(separator: ".")) is empty",
                hint: "write a directory path or remove the key"))
        }
        if tls.certFile.isEmpty != tls.keyFile.isEmpty {
            let (given, missing) = tls.certFile.isEmpty ? ("key_file", "cert_file") : ("cert_file", "key_file")
            problems.append(ConfigProblem(
                ["tls", given], "tls.\(given) is set without tls.\(missing)",
                hint: "HTTPS needs both the certificate (cert_file) and its private key (key_file)"))
        } else if !tls.clientCAFile.isEmpty && tls.certFile.isEmpty {
            problems.append(ConfigProblem(
                ["tls", "client_ca_file"], "tls.client_ca_file is set without tls.cert_file and tls.key_file",
                hint: "client certificates need HTTPS: set cert_file and key_file too"))
        }
        return problems
    }
}
