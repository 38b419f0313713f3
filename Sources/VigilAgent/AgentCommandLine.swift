/// The agent's command line, parsed without swift-argument-parser.
///
/// Measured: swift-argument-parser links FoundationEssentials and the regex runtime into a
/// static binary (7.0 → 14.8 MB, 2.3 → 6.3 MiB RSS for a minimal /proc reader), which the
/// agent's 8 MiB RSS budget cannot carry for a handful of flags. The collector keeps it.
/// Accepts `--flag value` and `--flag=value`; `--collector` may repeat.
public struct AgentCommandLine: Equatable, Sendable {
    public var config: String?
    public var collectors: [String] = []
    public var interval: String?
    public var host: String?
    public var token: String?
    public var spool: String?
    public var metricsListen: String?
    public var checkConfig = false
    public var showHelp = false
    public var showVersion = false

    public init() {}

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(AgentCommandLineError) -> AgentCommandLine {
        var line = AgentCommandLine()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(AgentCommandLineError) -> String {
                if let inlineValue { return inlineValue }
                guard index < arguments.count else { throw AgentCommandLineError("\(name) needs a value") }
                index += 1
                return arguments[index - 1]
            }
            switch name {
            case "--config": line.config = try value()
            case "--collector": line.collectors.append(try value())
            case "--interval": line.interval = try value()
            case "--host": line.host = try value()
            case "--token": line.token = try value()
            case "--spool": line.spool = try value()
            case "--metrics-listen": line.metricsListen = try value()
            case "--check-config": line.checkConfig = true
            case "-h", "--help": line.showHelp = true
            case "--version": line.showVersion = true
            default:
                throw AgentCommandLineError("unknown argument \"\(argument)\"")
            }
            if inlineValue != nil, ["--check-config", "-h", "--help", "--version"].contains(name) {
                throw AgentCommandLineError("\(name) takes no value")
            }
        }
        return line
    }

    public static let usage = """
        OVERVIEW: Sample this host's /proc and /sys and ship the samples to a Vigil collector.

        Metrics carry node_exporter's names plus a `host` label. Flags override the config file.
        Every batch passes through a disk spool, so collector outages and restarts lose nothing.
        SIGHUP reloads the config file; SIGTERM syncs the spool and stops within a second.

        USAGE: vigil-agent [--config FILE] [options]

        OPTIONS:
          --config FILE         Path of an agent.conf (TOML); see agent.conf.example.
          --collector URL       Collector base URL, e.g. http://collector:9470 (or https://,
                                see [collector] ca_file); repeat for fail-over (overrides
                                [collector] url/urls).
          --interval DURATION   Sampling interval, 1s to 1h, e.g. 10s (overrides `interval`).
          --host NAME           Host name to report (overrides `host`; default: the system host name).
          --token TOKEN         Bearer token for the collector (overrides [collector] token;
                                default: $VIGIL_TOKEN).
          --spool DIR           Spool directory (overrides [spool] dir; default: <state_dir>/spool).
          --metrics-listen HOST:PORT
                                Serve the agent's own metrics on GET /metrics there, e.g.
                                127.0.0.1:9471 (overrides [metrics] listen; default: off).
          --check-config        Validate the configuration and exit without starting.
          --version             Print the version.
          -h, --help            Show this help.

        EXAMPLE: vigil-agent --config /etc/vigil/agent.conf
        """
}

/// A command-line mistake; the message names the argument.
public struct AgentCommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
