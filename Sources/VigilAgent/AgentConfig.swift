import VigilModel
import Logging
import VigilConfig
import VigilHost

/// The agent's settings, read from agent.conf; agent.conf.example lists every key.
///
/// Every field has a default, so `AgentConfig()` samples this host and ships to a collector on
/// 127.0.0.1. `parse` and `load` report every problem in the file at once, each with file, line,
/// column and a hint. Command-line flags may override fields afterwards; `validate()` then
/// re-checks the rules that span fields or parse strings.
public struct AgentConfig: Equatable, Sendable {
    /// Accepted `interval`, in the file and on the command line.
    public static let intervalRange = Duration.seconds(1)...Duration.seconds(3_600)

    /// The `[collector]` section: where batches are sent and how.
    public struct Connection: Equatable, Sendable {
        /// Base URL of `vigil-collector serve`; plain HTTP only.
        public var url = "http://127.0.0.1:9470"
        /// The bearer token sent with each batch: `token` from the file, or the contents of
        /// `token_file`; empty sends no Authorization header.
        public var token = ""
        /// The file the token was read from, empty when none.
        public var tokenFile = ""
        /// Limit on one POST, from connecting to the reply.
        public var timeout: Duration = .seconds(10)

        public init() {}
    }

    /// The `[shipping]` section: batching and retries.
    public struct Shipping: Equatable, Sendable {
        /// A batch is cut when it holds this many samples (or at each tick, whichever is first).
        public var maxBatchSamples = 20_000
        /// Batches kept while the collector is unreachable; the oldest is dropped beyond this.
        public var queueMaxBatches = 360
        /// Wait before the first retry; doubled (with jitter) up to `retryMax`.
        public var retryInitial: Duration = .seconds(1)
        public var retryMax: Duration = .seconds(60)

        public init() {}
    }

    /// The `[log]` section.
    public struct Log: Equatable, Sendable {
        public var level: Logger.Level = .info

        public init() {}
    }

    /// The `host` label on every sample; empty means the system host name.
    public var host = ""
    /// Time between two samplings of every collector.
    public var interval: Duration = .seconds(10)
    public var procfs = "/proc"
    public var sysfs = "/sys"
    /// Where the host's root file system is mounted (differs when the agent runs in a container).
    public var rootfs = "/"
    /// Directory for the agent's own state (agent id, spool).
    public var stateDir = "/var/lib/vigil-agent"
    /// Names of the `HostCollector`s to run, in the file's order; all by default. Binding and
    /// `validate()` reject names that are not `HostCollector` raw values.
    public var collectors = HostCollector.allCases.map(\.rawValue)
    public var collector = Connection()
    public var shipping = Shipping()
    public var log = Log()

    public init() {}

    /// Binds `text`, the contents of the file named `file` (used in messages and to resolve a
    /// relative `token_file`). Reads the token file, if any.
    /// - Throws: `ConfigErrors` with every syntax error, or else every binding problem.
    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> AgentConfig {
        let reader = ConfigReader(try ConfigDocument.parse(text, file: file))
        let config = AgentConfig(reading: reader.root)
        for problem in config.problems() { reader.report(problem) }
        try reader.finish()
        return config
    }

    /// Reads the file at `path` and binds it as `parse` does.
    /// - Throws: `ConfigErrors`, with one `.unreadable` error when the file cannot be read.
    public static func load(path: String) throws(ConfigErrors) -> AgentConfig {
        try parse(try ConfigFile.text(path: path), file: path)
    }

    /// Re-checks, after flags changed fields, the rules that span fields or parse strings:
    /// the collector URL, collector names, the retry delays and non-empty paths. Ranges of
    /// single values are checked while binding the file (and by `parseInterval`), not here.
    /// - Throws: `ConfigErrors` without file positions.
    public func validate() throws(ConfigErrors) {
        let problems = problems()
        if !problems.isEmpty { throw ConfigErrors(problems: problems) }
    }

    /// Parses an interval given outside the file (`--interval 15s`) with the file's rules:
    /// a duration string within `intervalRange`.
    /// - Throws: `ConfigErrors` with one error saying what is accepted.
    public static func parseInterval(_ text: String) throws(ConfigErrors) -> Duration {
        guard let interval = DurationText.duration(text) else {
            throw ConfigErrors(problems: [
                ConfigProblem(
                    ["interval"], "interval is not a duration: \"\(text)\"", hint: "write " + DurationText.grammar),
            ])
        }
        guard intervalRange.contains(interval) else {
            let lower = DurationText.format(intervalRange.lowerBound)
            let range = "\(lower) to \(DurationText.format(intervalRange.upperBound))"
            throw ConfigErrors(problems: [
                ConfigProblem(["interval"], "interval is \(text), outside \(range)", hint: "use a value from \(range)"),
            ])
        }
        return interval
    }

    private init(reading root: ConfigSection) {
        host = root.string("host", default: host)
        interval = root.duration(
            "interval", default: interval, min: AgentConfig.intervalRange.lowerBound,
            max: AgentConfig.intervalRange.upperBound)
        procfs = root.string("procfs", default: procfs)
        sysfs = root.string("sysfs", default: sysfs)
        rootfs = root.string("rootfs", default: rootfs)
        stateDir = root.string("state_dir", default: stateDir)
        collectors = root.listOf("collectors", default: HostCollector.allCases).map(\.rawValue)

        let connection = root.section("collector")
        collector.url = connection.string("url", default: collector.url)
        collector.token = connection.token("token")
        if let file = connection.tokenFile("token_file") {
            if collector.token.isEmpty {
                collector.token = file.token
                collector.tokenFile = file.path
            } else {
                connection.report(
                    "token_file", "collector.token and collector.token_file are both set",
                    hint: "keep one of them")
            }
        }
        collector.timeout = connection.duration(
            "timeout", default: collector.timeout, min: .milliseconds(100), max: .seconds(300))

        let shippingSection = root.section("shipping")
        shipping.maxBatchSamples = shippingSection.int(
            "max_batch_samples", default: shipping.maxBatchSamples, min: 1, max: 2_000_000)
        shipping.queueMaxBatches = shippingSection.int(
            "queue_max_batches", default: shipping.queueMaxBatches, min: 1, max: 100_000)
        shipping.retryInitial = shippingSection.duration(
            "retry_initial", default: shipping.retryInitial, min: .milliseconds(100), max: .seconds(3_600))
        shipping.retryMax = shippingSection.duration(
            "retry_max", default: shipping.retryMax, min: .seconds(1), max: .seconds(3_600))

        log.level = root.section("log").oneOf("level", default: log.level)
    }

    private func problems() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        let url = collector.url
        if !url.hasPrefix("http://") {
            problems.append(ConfigProblem(
                ["collector", "url"], "collector.url must start with http://, found \"\(url)\"",
                hint: "the agent sends plain HTTP: write http://HOST:PORT"))
        } else if url.dropFirst("http://".count).first.map({ $0 == "/" || $0 == ":" }) ?? true {
            problems.append(ConfigProblem(
                ["collector", "url"], "collector.url has no host: \"\(url)\"", hint: "write http://HOST:PORT"))
        }
        if shipping.retryMax < shipping.retryInitial {
            problems.append(ConfigProblem(
                ["shipping", "retry_max"], "shipping.retry_max is shorter than shipping.retry_initial",
                hint: "make retry_max at least as long as retry_initial"))
        }
        for name in collectors where HostCollector(rawValue: name) == nil {
            let known = HostCollector.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(ConfigProblem(
                ["collectors"], "collectors has unknown name \"\(name)\"", hint: "use one of \(known)"))
        }
        let paths = [("procfs", procfs), ("sysfs", sysfs), ("rootfs", rootfs), ("state_dir", stateDir)]
        for (key, path) in paths where path.isEmpty {
            problems.append(ConfigProblem([key], "\(key) is empty", hint: "write a directory path or remove the key"))
        }
        return problems
    }
}
