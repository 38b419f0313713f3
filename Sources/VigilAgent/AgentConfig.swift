import VigilModel
import Logging
import VigilConfig
import VigilHost
import VigilHTTPClient

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
        /// Base URLs of `vigil-collector serve` instances, `http://` or `https://`: `url` (one)
        /// or `urls` (several) in the file. The shipper uses one at a time and fails over to the
        /// next when a send fails.
        public var urls = ["http://127.0.0.1:9470"]
        /// The first of `urls`; setting it replaces the list with that one URL.
        public var url: String {
            get { urls.first ?? "" }
            set { urls = [newValue] }
        }
        /// The bearer token sent with each batch: `token` from the file, the contents of
        /// `token_file`, or the value of the variable named by `token_env`; empty sends no
        /// Authorization header.
        public var token = ""
        /// The file the token was read from, empty when none.
        public var tokenFile = ""
        /// The environment variable the token was read from (`token_env`), empty when none.
        public var tokenVariable = ""
        /// Limit on one POST, from connecting to the reply.
        public var timeout: Duration = .seconds(10)
        /// For https URLs: PEM file of the CAs that sign the collectors' certificates; empty
        /// trusts the system store. Relative paths in the file are taken from its directory.
        public var caFile = ""
        /// For https URLs with mutual TLS: PEM files of this agent's client certificate and
        /// its key; both or neither.
        public var certFile = ""
        public var keyFile = ""

        public init() {}

        /// The TLS files as `HTTPClient` takes them.
        public var tls: TLSOptions {
            TLSOptions(
                caFile: caFile.isEmpty ? nil : caFile, certFile: certFile.isEmpty ? nil : certFile,
                keyFile: keyFile.isEmpty ? nil : keyFile)
        }
    }

    /// The `[shipping]` section: batching and retries.
    public struct Shipping: Equatable, Sendable {
        /// A batch is cut when it holds this many samples (or at each tick, whichever is first).
        public var maxBatchSamples = 20_000
        /// Pace of batches older than the newest tick (the backlog after an outage or restart).
        public var backlogBatchesPerSecond = 20
        /// Which waiting batch goes first; see `DrainOrder`. Fresh first by default: the
        /// collector stores out-of-order samples, and alerting should see the present at once.
        public var drainOrder = DrainOrder.freshFirst
        /// Wait before the first retry; doubled (with jitter) up to `retryMax`.
        public var retryInitial: Duration = .seconds(1)
        public var retryMax: Duration = .seconds(60)

        public init() {}
    }

    /// The `[spool]` section: the disk spool every batch passes through (docs/formats/spool.md).
    public struct Spooling: Equatable, Sendable {
        /// The spool directory; empty means `<state_dir>/spool`.
        public var dir = ""
        /// Cap on the spool's files; beyond it the oldest batches are dropped and counted.
        public var maxSize = 256 << 20
        public var fsync = FsyncMode.always
        /// With `fsync = "interval"`: the longest a written batch waits for its fdatasync.
        public var fsyncInterval: Duration = .seconds(1)

        public init() {}
    }

    /// Values of `[spool] fsync`; see `SpoolSyncPolicy`.
    public enum FsyncMode: String, CaseIterable, Equatable, Sendable {
        case always, interval, never
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
    public var spool = Spooling()
    public var log = Log()
    public var cgroups = Cgroups()
    public var metrics = Metrics()
    /// `[[log_counter]]` tables: counters from lines of tailed log files, in file order.
    public var logCounters: [LogCounterRule] = []

    public init() {}

    /// `spool.dir`, or `<state_dir>/spool` when that is empty.
    public var spoolDirectory: String { spool.dir.isEmpty ? stateDir + "/spool" : spool.dir }

    /// The spool's cap and sync policy as `Spool` takes them.
    public var spoolOptions: SpoolOptions {
        let sync: SpoolSyncPolicy = switch spool.fsync {
        case .always: .always
        case .interval: .interval(milliseconds: DurationText.milliseconds(of: spool.fsyncInterval))
        case .never: .never
        }
        return SpoolOptions(maxBytes: spool.maxSize, sync: sync)
    }

    /// Binds `text`, the contents of the file named `file` (used in messages and to resolve a
    /// relative `token_file`). Reads the token file, if any; `token_env` is looked up in `environment`.
    /// - Throws: `ConfigErrors` with every syntax error, or else every binding problem.
    public static func parse(
        _ text: String, file: String, environment: ConfigEnvironment = .process
    ) throws(ConfigErrors) -> AgentConfig {
        let reader = ConfigReader(try ConfigDocument.parse(text, file: file), environment: environment)
        let config = AgentConfig(reading: reader.root)
        let urlKey = reader.root.section("collector").position(of: "urls") == nil ? "url" : "urls"
        for problem in config.problems(urlKey: urlKey) { reader.report(problem) }
        try reader.finish()
        return config
    }

    /// Reads the file at `path` and binds it as `parse` does.
    /// - Throws: `ConfigErrors`, with one `.unreadable` error when the file cannot be read.
    public static func load(path: String) throws(ConfigErrors) -> AgentConfig {
        try parse(try ConfigFile.text(path: path), file: path)
    }

    /// Re-checks, after flags changed fields, the rules that span fields or parse strings:
    /// the collector URLs, collector names, the retry delays and non-empty paths. Ranges of
    /// single values are checked while binding the file (and by `parseInterval`), not here.
    /// - Throws: `ConfigErrors` without file positions.
    public func validate() throws(ConfigErrors) {
        let problems = problems(urlKey: collector.urls.count == 1 ? "url" : "urls")
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
        let url = connection.string("url", default: "")
        collector.urls = connection.stringArray("urls", default: collector.urls)
        if connection.position(of: "url") != nil {
            if connection.position(of: "urls") != nil {
                connection.report("urls", "collector.url and collector.urls are both set", hint: "list every collector in urls and remove url")
            }
            collector.urls = [url]
        }
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
        if let variable = connection.tokenVariable("token_env") {
            if collector.token.isEmpty {
                collector.token = variable.token
                collector.tokenVariable = variable.name
            } else {
                connection.report(
                    "token_env", "collector.token_env is set together with collector.token or collector.token_file",
                    hint: "keep one of them")
            }
        }
        collector.timeout = connection.duration(
            "timeout", default: collector.timeout, min: .milliseconds(100), max: .seconds(300))
        collector.caFile = connection.filePath("ca_file")
        collector.certFile = connection.filePath("cert_file")
        collector.keyFile = connection.filePath("key_file")

        let shippingSection = root.section("shipping")
        shipping.maxBatchSamples = shippingSection.int(
            "max_batch_samples", default: shipping.maxBatchSamples, min: 1, max: 2_000_000)
        shipping.backlogBatchesPerSecond = shippingSection.int(
            "backlog_batches_per_second", default: shipping.backlogBatchesPerSecond, min: 1, max: 100_000)
        shipping.drainOrder = shippingSection.oneOf("drain_order", default: shipping.drainOrder)
        shipping.retryInitial = shippingSection.duration(
            "retry_initial", default: shipping.retryInitial, min: .milliseconds(100), max: .seconds(3_600))
        shipping.retryMax = shippingSection.duration(
            "retry_max", default: shipping.retryMax, min: .seconds(1), max: .seconds(3_600))

        let spoolSection = root.section("spool")
        spool.dir = spoolSection.string("dir", default: spool.dir)
        spool.maxSize = spoolSection.bytes("max_size", default: spool.maxSize, min: 1 << 20, max: 1 << 40)
        spool.fsync = spoolSection.oneOf("fsync", default: spool.fsync)
        spool.fsyncInterval = spoolSection.duration(
            "fsync_interval", default: spool.fsyncInterval, min: .milliseconds(10), max: .seconds(3_600))

        log.level = root.section("log").oneOf("level", default: log.level)
        cgroups = Cgroups(reading: root.section("cgroup"))
        metrics = Metrics(reading: root.section("metrics"))
        logCounters = LogCounterRule.rules(in: root)
    }

    /// Problems spanning fields; URL problems name `collector.url` or `collector.urls[i]` after `urlKey`.
    private func problems(urlKey: String) -> [ConfigProblem] {
        var problems = metrics.problems()
        for (key, pattern) in [("include", cgroups.include), ("exclude", cgroups.exclude)] where !pattern.isEmpty {
            do {
                _ = try HostFilterPattern(pattern)
            } catch {
                problems.append(ConfigProblem(["cgroup", key], "cgroup.\(key) is not a valid regular expression: \(error.reason)", hint: nil))
            }
        }
        if collector.urls.isEmpty {
            problems.append(ConfigProblem(
                ["collector", "urls"], "collector.urls is empty", hint: "list at least one collector: urls = [\"http://HOST:PORT\"]"))
        }
        for (index, url) in collector.urls.enumerated() {
            let name = urlKey == "url" ? "collector.url" : "collector.urls[\(index)]"
            let scheme = url.hasPrefix("https://") ? "https://" : "http://"
            if !url.hasPrefix("http://") && !url.hasPrefix("https://") {
                problems.append(ConfigProblem(
                    ["collector", urlKey], "\(name) must start with http:// or https://, found \"\(url)\"",
                    hint: "write http://HOST:PORT, or https://HOST:PORT for a collector with [tls]"))
            } else if url.dropFirst(scheme.count).first.map({ $0 == "/" || $0 == ":" }) ?? true {
                problems.append(ConfigProblem(
                    ["collector", urlKey], "\(name) has no host: \"\(url)\"", hint: "write \(scheme)HOST:PORT"))
            } else if let error = Self.urlError(url) {
                problems.append(ConfigProblem(["collector", urlKey], "\(name) is not usable: \(error.message)", hint: "write \(scheme)HOST:PORT"))
            }
        }
        problems += tlsProblems()
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

    /// The TLS keys: the client certificate and key come together, are only set when some
    /// collector URL is https (they would be ignored otherwise), and their files are usable.
    private func tlsProblems() -> [ConfigProblem] {
        let tls = collector.tls
        if tls.certFile != nil, tls.keyFile == nil {
            return [ConfigProblem(["collector", "cert_file"], "collector.cert_file is set without collector.key_file",
                                  hint: "a client certificate needs its private key: set key_file too")]
        }
        if tls.keyFile != nil, tls.certFile == nil {
            return [ConfigProblem(["collector", "key_file"], "collector.key_file is set without collector.cert_file",
                                  hint: "set cert_file to the certificate of this key")]
        }
        guard collector.urls.contains(where: { $0.hasPrefix("https://") }) else {
            guard let key = tls.caFile != nil ? "ca_file" : (tls.certFile != nil ? "cert_file" : nil) else { return [] }
            return [ConfigProblem(["collector", key], "collector.\(key) is set, but no collector URL uses https://",
                                  hint: "write the collector URLs as https://HOST:PORT, or remove the TLS keys")]
        }
        do {
            try tls.check(now: UnixTime.nowMilliseconds() / 1000)
            return []
        } catch {
            let key = switch error.role {
            case .caFile: "ca_file"
            case .certFile: "cert_file"
            case .keyFile: "key_file"
            }
            return [ConfigProblem(["collector", key], error.message, hint: nil)]
        }
    }

    private static func urlError(_ url: String) -> HTTPClientError? {
        do {
            _ = try HTTPURL(parsing: url)
            return nil
        } catch {
            return error
        }
    }
}
