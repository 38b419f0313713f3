// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil-agent", targets: ["vigil-agent"]),
        .executable(name: "vigil-collector", targets: ["vigil-collector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The system OpenSSL for the HTTP client's TLS; its static libraries keep the agent one file.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Plain values shared by every module: labels, samples, matchers. No I/O.
        .target(name: "VigilModel"),
        // The .conf reader (a TOML subset with source positions) and typed binding with errors.
        .target(name: "VigilConfig", dependencies: ["VigilModel"]),
        // Batch codec and zlib framing between agent and collector.
        .target(name: "VigilWire", dependencies: ["VigilModel", "CZlib"]),
        // /proc and /sys readers that produce node_exporter-named samples.
        .target(name: "VigilHost", dependencies: ["VigilModel"]),
        // A small blocking HTTP/1.1 client over POSIX sockets, TLS through OpenSSL (agent and fleet CLI; no Foundation).
        .target(name: "VigilHTTPClient", dependencies: ["COpenSSL"]),
        // Scheduler, batch building, shipper and agent configuration.
        .target(name: "VigilAgent", dependencies: [
            "VigilHost", "VigilWire", "VigilConfig", "VigilHTTPClient", "CZlib",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Sharded head of compressed chunks, WAL, selection by matchers.
        .target(name: "VigilStorage", dependencies: ["VigilModel", "CZlib"]),
        // PromQL: lexer, parser and evaluator over the store.
        .target(name: "VigilQuery", dependencies: ["VigilStorage", "VigilModel"]),
        // HTTP server, ingest, host registry, self-monitoring, collector configuration, fleet CLI client.
        .target(name: "VigilCollector", dependencies: [
            "VigilStorage", "VigilQuery", "VigilWire", "VigilHost", "VigilConfig", "VigilHTTPClient", "VigilAgent",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // No swift-argument-parser here: it links FoundationEssentials into the static agent
        // (+7.8 MB, +4 MiB RSS, measured); the agent parses its few flags itself.
        .executableTarget(name: "vigil-agent", dependencies: [
            "VigilAgent",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "vigil-collector", dependencies: [
            "VigilCollector", "VigilHTTPClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Release-build benchmarks: agent tick cost, spool throughput, ingest and query speed.
        .executableTarget(name: "vigil-bench", dependencies: [
            "VigilHost", "VigilWire", "VigilHTTPClient", "VigilModel", "VigilAgent",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "VigilModelTests", dependencies: ["VigilModel"]),
        .testTarget(name: "VigilConfigTests", dependencies: ["VigilConfig", "VigilModel"]),
        .testTarget(name: "VigilWireTests", dependencies: ["VigilWire"], resources: [.copy("Vectors")]),
        .testTarget(name: "VigilHostTests", dependencies: ["VigilHost", "VigilWire"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VigilHTTPClientTests", dependencies: ["VigilHTTPClient", "VigilTestSupport"]),
        .testTarget(name: "VigilStorageTests", dependencies: ["VigilStorage"]),
        // Real reference servers for tests (Prometheus on blocks built by promtool) and
        // certificates made by the openssl command for the TLS tests.
        .target(name: "VigilTestSupport", path: "Tests/VigilTestSupport"),
        .testTarget(name: "VigilQueryTests", dependencies: ["VigilQuery", "VigilStorage", "VigilModel", "VigilWire", "VigilTestSupport"]),
        .testTarget(name: "VigilAgentTests", dependencies: [
            "VigilAgent", "VigilConfig", "VigilWire", "VigilModel", "VigilHTTPClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "VigilCollectorTests", dependencies: ["VigilCollector", "VigilConfig", "VigilTestSupport", "VigilWire", "VigilHTTPClient", "VigilModel"]),
    ],
    swiftLanguageModes: [.v6]
)
