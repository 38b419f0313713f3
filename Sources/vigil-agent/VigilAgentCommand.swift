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
        Example: vigil-agent --config /etc/vigil/agent.conf
        """,
        version: VigilBuild.version
    )

    @Option(help: "Path of an agent.conf (TOML); see agent.conf.example.")
    var config: String?

    @Option(help: "Collector base URL, e.g. http://collector:9470 (overrides [collector] url).")
    var collector: String?

    @Option(help: "Sampling interval, 1s to 1h, e.g. 10s (overrides `interval`).")
    var interval: String?

    @Option(help: "Host name to report (overrides `host`; default: the system host name).")
    var host: String?

    @Option(help: "Bearer token for the collector (overrides [collector] token; default: $VIGIL_TOKEN).")
    var token: String?

    @Flag(help: "Validate the configuration and exit without starting.")
    var checkConfig = false

    mutating func run() throws {
        let settings = try loadSettings()
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
        let code = try AgentRuntime(config: settings, logger: Logger(label: "vigil-agent")).run()
        throw ExitCode(code)
    }

    private func loadSettings() throws -> AgentConfig {
        do {
            var settings = try config.map { try AgentConfig.load(path: $0) } ?? AgentConfig()
            if let collector { settings.collector.url = collector }
            if let host { settings.host = host }
            if let token { settings.collector.token = token }
            else if settings.collector.token.isEmpty, let fromEnvironment = getenv("VIGIL_TOKEN") {
                settings.collector.token = String(cString: fromEnvironment)
            }
            if let interval { settings.interval = try AgentConfig.parseInterval(interval) }
            try settings.validate()
            return settings
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
