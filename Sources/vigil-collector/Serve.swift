import ArgumentParser
import Logging
import VigilCollector
import VigilConfig

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the collector: ingest, store, serve the API.",
        discussion: """
        With no config file the collector uses its embedded defaults: it listens on \
        127.0.0.1:9470, keeps data in ./vigil-data and samples its own host. \
        Flags override the file. Without tokens it refuses non-loopback addresses.
        """
    )

    @Option(help: "Path of a collector.conf (TOML); see collector.conf.example.")
    var config: String?

    @Option(help: "Listen address HOST:PORT (overrides `listen`).")
    var listen: String?

    @Option(help: "Data directory (overrides `data_dir`).")
    var data: String?

    @Flag(help: "Validate the configuration and exit without starting.")
    var checkConfig = false

    func run() async throws {
        var settings = try CollectorConfigLoading.load(path: config)
        if let listen { settings.listen = listen }
        if let data { settings.dataDir = data }
        do {
            try settings.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        if checkConfig {
            print("\(config ?? "embedded defaults"): configuration is valid")
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.log.level
            return handler
        }
        let logger = Logger(label: "vigil-collector")
        try await CollectorRuntime(config: settings, configPath: config, logger: logger).run()
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a collector.conf and exit: prints every problem with file, line and a hint."
    )

    @Argument(help: "Path of the collector.conf to check.")
    var path: String

    func run() throws {
        let settings = try CollectorConfigLoading.load(path: path)
        do {
            try settings.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        print("\(path): configuration is valid")
    }
}

enum CollectorConfigLoading {
    static func load(path: String?) throws -> CollectorConfig {
        guard let path else { return CollectorConfig() }
        do {
            return try CollectorConfig.load(path: path)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
