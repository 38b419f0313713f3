import VigilConfig

extension AgentConfig {
    /// The `[metrics]` section: the agent's own `/metrics` listener, off by default.
    public struct Metrics: Equatable, Sendable {
        /// `HOST:PORT` to serve `GET /metrics` on, such as `127.0.0.1:9471`; empty serves nothing.
        /// It answers without a token, so keep it on loopback unless a scraper elsewhere needs it.
        public var listen = ""

        public init() {}

        init(reading section: ConfigSection) {
            listen = section.string("listen", default: listen)
        }

        /// The problem with `listen`, if any.
        func problems() -> [ConfigProblem] {
            guard !listen.isEmpty, MetricsListener.split(listen) == nil else { return [] }
            return [ConfigProblem(
                ["metrics", "listen"], "metrics.listen is not a HOST:PORT address: \"\(listen)\"",
                hint: "write 127.0.0.1:9471, [::1]:9471, or \"\" to serve no metrics")]
        }
    }
}
