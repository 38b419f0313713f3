import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import VigilAgent
import VigilModel

@main
struct VigilAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-agent",
        abstract: "Sample this host's /proc and /sys and ship the samples to a Vigil collector.",
        discussion: """
        Metrics carry node_exporter's names plus a `host` label. Flags override the config file. \
        Every batch passes through a disk spool, so collector outages and restarts lose nothing. \
        SIGHUP reloads the config file; SIGTERM syncs the spool and stops within a second. \
        Example: vigil-agent --config /etc/vigil/agent.conf
        """,
        version: VigilBuild.version
    )

    @Option(help: "Path of an agent.conf (TOML); see agent.conf.example.")
    var config: String?

    @Option(help: "Collector base URL, e.g. http://collector:9470; repeat for fail-over (overrides [collector] url/urls).")
    var collector: [String] = []

    @Option(help: "Sampling interval, 1s to 1h, e.g. 10s (overrides `interval`).")
    var interval: String?

    @Option(help: "Host name to report (overrides `host`; default: the system host name).")
    var host: String?

    @Option(help: "Bearer token for the collector (overrides [collector] token; default: $VIGIL_TOKEN).")
    var token: String?

    @Option(help: "Spool directory (overrides [spool] dir; default: <state_dir>/spool).")
    var spool: String?

    @Flag(help: "Validate the configuration and exit without starting.")
    var checkConfig = false

    mutating func run() throws {
        let overrides = Overrides(
            config: config, collectors: collector, interval: interval, host: host, token: token, spool: spool)
        let settings = try Self.settings(overrides)
        if checkConfig {
            print("\(config ?? "embedded defaults"): configuration is valid")
            return
        }
        let level = settings.log.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let runtime = AgentRuntime(config: settings, logger: Logger(label: "vigil-agent")) {
            try Self.settings(overrides)
        }
        let code = try runtime.run()
        throw ExitCode(code)
    }

    /// The flags that override the file, kept to apply again on reload.
    struct Overrides: Sendable {
        var config: String?
        var collectors: [String]
        var interval: String?
        var host: String?
        var token: String?
        var spool: String?
    }

    /// The config file (or the defaults) with `overrides` applied and validated.
    static func settings(_ overrides: Overrides) throws -> AgentConfig {
        do {
            var settings = try overrides.config.map { try AgentConfig.load(path: $0) } ?? AgentConfig()
            if !overrides.collectors.isEmpty { settings.collector.urls = overrides.collectors }
            if let host = overrides.host { settings.host = host }
            if let token = overrides.token { settings.collector.token = token }
            else if settings.collector.token.isEmpty, let fromEnvironment = getenv("VIGIL_TOKEN") {
                settings.collector.token = String(cString: fromEnvironment)
            }
            if let interval = overrides.interval { settings.interval = try AgentConfig.parseInterval(interval) }
            if let spool = overrides.spool { settings.spool.dir = spool }
            try settings.validate()
            return settings
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
