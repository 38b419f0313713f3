import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import VigilAgent
import VigilHTTPClient
import VigilHost
import VigilModel
import VigilStorage
import VigilWire

/// Starts a collector from a validated configuration: opens (and replays) the store,
/// serves HTTP, runs the self-monitor, and shuts down gracefully on SIGTERM/SIGINT,
/// closing the store last so every acknowledged batch is on disk.
public struct CollectorRuntime: Sendable {
    public let config: CollectorConfig
    /// The file `config` was read from; SIGHUP re-reads its `[auth]` section. Nil for embedded defaults.
    public let configPath: String?
    public let logger: Logger

    public init(config: CollectorConfig, configPath: String? = nil, logger: Logger) {
        self.config = config
        self.configPath = configPath
        self.logger = logger
    }

    /// Runs until a termination signal. `onListening` receives the bound address
    /// (useful with port 0) once the server accepts connections. With `[tls]` the listener
    /// serves HTTPS only; its files are checked before the store is opened.
    public func run(onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let server = try serverBuilder()
        let storage: Storage
        do {
            storage = try Storage.open(directory: config.dataDir + "/tsdb", options: storageOptions)
        } catch {
            throw CollectorStartError(message: "cannot open the store in \(config.dataDir)/tsdb: \(error)")
        }
        let report = storage.replayReport
        logger.info("store opened", metadata: [
            "records": "\(report.records)", "series": "\(report.series)", "samples": "\(report.samples)",
            "seconds": "\(report.seconds)",
        ])
        if let torn = report.tornTail {
            logger.warning("WAL tail was torn or corrupt and was cut; everything before it was recovered", metadata: ["detail": "\(torn)"])
        }

        let registry = MetricsBootstrap.registry()
        let metrics = CollectorMetrics()
        let access = AccessPolicy(auth: config.auth, logger: logger)
        let router = CollectorRouter(
            storage: storage, access: access, wireLimits: wireLimits, seriesCacheBytes: config.ingest.seriesCacheSize,
            staleAfter: config.hosts.staleAfter.map(DurationText.milliseconds(of:)), registry: registry,
            metrics: metrics, logger: logger
        ).build()
        guard let listen = config.listenAddress else {
            throw CollectorStartError(message: "invalid listen address \"\(config.listen)\": expected HOST:PORT, for example 127.0.0.1:9470")
        }
        let logger = self.logger
        let dataDir = config.dataDir
        let scheme = config.tls.isEnabled ? "https" : "http"
        let clientCertificates = config.tls.requiresClientCertificates ? ", client certificates required" : ""
        let application = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "vigil-collector"),
            onServerRunning: { channel in
                let address = channel.localAddress.map(Self.describe) ?? config.listen
                logger.info("vigil-collector \(VigilBuild.version) listening on \(scheme)://\(address) (data in \(dataDir)\(clientCertificates))")
                onListening(address)
            },
            logger: logger
        )
        var services: [any Service] = [application, AuthReloader(path: configPath, running: config, access: access, logger: logger)]
        if config.selfMonitor.enabled {
            let selfHost = config.selfMonitor.host.isEmpty ? HostName.current() : config.selfMonitor.host
            services.append(SelfMonitor(
                storage: storage,
                options: HostSamplerOptions(host: selfHost, procfs: config.selfMonitor.procfs, sysfs: config.selfMonitor.sysfs, rootfs: config.selfMonitor.rootfs),
                interval: config.selfMonitor.interval, version: VigilBuild.version, metrics: metrics, logger: logger
            ))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            storage.close()
            throw error
        }
        storage.close()
        logger.info("collector stopped; store closed")
    }

    /// Plain HTTP/1.1, or HTTP/1.1 over TLS with `[tls]`.
    private func serverBuilder() throws -> HTTPServerBuilder {
        guard config.tls.isEnabled else { return .http1() }
        let now = UnixTime.nowMilliseconds() / 1000
        let configuration = try ListenerTLS.configuration(config.tls, now: now)
        if let summary = try? CertificateFiles.checkPair(certFile: config.tls.certFile, keyFile: config.tls.keyFile, now: now) {
            logger.info("TLS certificate loaded", metadata: [
                "subject": "\(summary.subject)", "not_after": "\(summary.notAfterText)", "file": "\(config.tls.certFile)",
            ])
            if summary.notAfter - now < 14 * 86_400 {
                logger.warning("the TLS certificate expires within 14 days; renew it", metadata: [
                    "not_after": "\(summary.notAfterText)", "file": "\(config.tls.certFile)",
                ])
            }
        }
        return try .tls(.http1(), tlsConfiguration: configuration)
    }

    static func describe(_ address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "?"
        let port = address.port ?? 0
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    var storageOptions: StorageOptions {
        var options = StorageOptions()
        if config.storage.shards > 0 { options.shards = config.storage.shards }
        options.walSegmentBytes = config.storage.walSegmentSize
        options.fsync = config.storage.fsync
        options.maxSeries = config.storage.maxSeries > 0 ? config.storage.maxSeries : nil
        options.blockRange = DurationText.milliseconds(of: config.storage.blockRange)
        options.retention = config.storage.retention.map(DurationText.milliseconds(of:))
        options.retentionBytes = config.storage.retentionSize > 0 ? config.storage.retentionSize : nil
        return options
    }

    var wireLimits: WireLimits {
        var limits = WireLimits()
        limits.maxCompressedBytes = config.ingest.maxBodySize
        limits.maxInflatedBytes = config.ingest.maxInflatedSize
        limits.maxSeries = config.ingest.maxSeriesPerBatch
        limits.maxSamples = config.ingest.maxSamplesPerBatch
        return limits
    }
}

/// The collector could not start; the message says what to fix.
public struct CollectorStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
