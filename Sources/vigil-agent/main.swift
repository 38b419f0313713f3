#if canImport(Glibc)
import Glibc
#endif
import Logging
import VigilAgent
import VigilModel

// Thin entry point: parse flags, load and validate the configuration, run the agent.
// Exit codes: 0 after a signal or a passing --check-config, 64 usage error,
// 78 configuration error, 1 runtime failure.

func fail(_ message: String, code: Int32) -> Never {
    let text = "Error: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(code)
}

let commandLine: AgentCommandLine
do {
    commandLine = try AgentCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error.message)\nSee 'vigil-agent --help'.", code: 64)
}
if commandLine.showHelp {
    print(AgentCommandLine.usage)
    exit(0)
}
if commandLine.showVersion {
    print(VigilBuild.version)
    exit(0)
}

/// The config file (or the defaults) with the flags applied and validated; run again on SIGHUP.
@Sendable func loadSettings() throws -> AgentConfig {
    var settings = try commandLine.config.map { try AgentConfig.load(path: $0) } ?? AgentConfig()
    if !commandLine.collectors.isEmpty { settings.collector.urls = commandLine.collectors }
    if let host = commandLine.host { settings.host = host }
    if let token = commandLine.token {
        settings.collector.token = token
    } else if settings.collector.token.isEmpty, let fromEnvironment = getenv("VIGIL_TOKEN") {
        settings.collector.token = String(cString: fromEnvironment)
    }
    if let interval = commandLine.interval { settings.interval = try AgentConfig.parseInterval(interval) }
    if let spool = commandLine.spool { settings.spool.dir = spool }
    if let listen = commandLine.metricsListen { settings.metrics.listen = listen }
    try settings.validate()
    return settings
}

let settings: AgentConfig
do {
    settings = try loadSettings()
} catch {
    fail("\(error)", code: 78)
}
if commandLine.checkConfig {
    print("\(commandLine.config ?? "embedded defaults"): configuration is valid")
    exit(0)
}

let level = settings.log.level
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}
do {
    exit(try AgentRuntime(config: settings, logger: Logger(label: "vigil-agent"), reload: loadSettings).run())
} catch {
    fail("\(error)", code: 1)
}
