import VigilConfig

extension CollectorConfig {
    /// The `[auth]` section: bearer tokens by scope, and one ingest token per agent.
    ///
    /// Each scope's list holds the tokens written inline, then those read from the matching
    /// `*_token_files` (one token per file, trimmed), then those read from the environment
    /// variables named by `*_token_envs`. `[[auth.agent]]` entries give an agent its own ingest
    /// token under a name; `revoked = true` refuses that token in every scope, even where it
    /// also appears in a list, until it is removed from the config.
    public struct Auth: Equatable, Sendable {
        /// One agent's own ingest token, `[[auth.agent]]`.
        public struct AgentToken: Equatable, Sendable {
            /// Shown in logs instead of the token; unique among agents.
            public var name: String
            public var token: String
            /// A revoked token is refused with 401 wherever it is presented.
            public var revoked: Bool

            public init(name: String, token: String, revoked: Bool = false) {
                self.name = name
                self.token = token
                self.revoked = revoked
            }
        }

        /// Tokens that may POST batches and imports (agents).
        public var ingestTokens: [String] = []
        /// Tokens that may query.
        public var readTokens: [String] = []
        /// Tokens that may change state (flush, silences, acknowledgements); they grant every scope.
        public var adminTokens: [String] = []
        /// The files the tokens above were read from, as resolved paths.
        public var ingestTokenFiles: [String] = []
        public var readTokenFiles: [String] = []
        public var adminTokenFiles: [String] = []
        /// The environment variables the tokens above were read from.
        public var ingestTokenVariables: [String] = []
        public var readTokenVariables: [String] = []
        public var adminTokenVariables: [String] = []
        /// Per-agent ingest tokens, in file order.
        public var agents: [AgentToken] = []

        public init() {}

        /// True when any scope has a token that is not revoked; without one, only a loopback
        /// listener is allowed.
        public var hasAnyToken: Bool {
            !ingestTokens.isEmpty || !readTokens.isEmpty || !adminTokens.isEmpty || agents.contains { !$0.revoked }
        }

        init(reading section: ConfigSection) {
            let ingestFiles = section.tokenFiles("ingest_token_files")
            let ingestVariables = section.tokenVariables("ingest_token_envs")
            ingestTokens = section.tokens("ingest_tokens") + ingestFiles.map(\.token) + ingestVariables.map(\.token)
            ingestTokenFiles = ingestFiles.map(\.path)
            ingestTokenVariables = ingestVariables.map(\.name)

            let readFiles = section.tokenFiles("read_token_files")
            let readVariables = section.tokenVariables("read_token_envs")
            readTokens = section.tokens("read_tokens") + readFiles.map(\.token) + readVariables.map(\.token)
            readTokenFiles = readFiles.map(\.path)
            readTokenVariables = readVariables.map(\.name)

            let adminFiles = section.tokenFiles("admin_token_files")
            let adminVariables = section.tokenVariables("admin_token_envs")
            adminTokens = section.tokens("admin_tokens") + adminFiles.map(\.token) + adminVariables.map(\.token)
            adminTokenFiles = adminFiles.map(\.path)
            adminTokenVariables = adminVariables.map(\.name)

            var names: Set<String> = []
            for entry in section.sections("agent") {
                if let agent = Self.agentToken(entry, seenNames: &names) { agents.append(agent) }
            }
        }

        /// Binds one `[[auth.agent]]` entry; nil (with the problem recorded) when it is unusable.
        private static func agentToken(_ entry: ConfigSection, seenNames: inout Set<String>) -> AgentToken? {
            let name = entry.string("name", default: "")
            let revoked = entry.bool("revoked", default: false)
            let inline = entry.token("token")
            let file = entry.tokenFile("token_file")
            let variable = entry.tokenVariable("token_env")
            var nameValid = true
            if name.isEmpty {
                entry.report("name", "[[auth.agent]] needs a name", hint: "write name = \"web-01\"; logs show it instead of the token")
                nameValid = false
            } else if !seenNames.insert(name).inserted {
                entry.report("name", "agent name \"\(name)\" is used by two [[auth.agent]] entries", hint: "give each agent its own name")
                nameValid = false
            }
            let sourceKeys = ["token", "token_file", "token_env"].filter { entry.position(of: $0) != nil }
            guard sourceKeys.count == 1 else {
                entry.report(
                    sourceKeys.first ?? "name",
                    sourceKeys.isEmpty
                        ? "[[auth.agent]] \"\(name)\" has no token"
                        : "[[auth.agent]] \"\(name)\" sets \(sourceKeys.joined(separator: " and ")); one is allowed",
                    hint: "set exactly one of token, token_file or token_env")
                return nil
            }
            let token = [inline] + [file?.token, variable?.token].compactMap { $0 }
            guard nameValid, let value = token.first(where: { !$0.isEmpty }) else { return nil }
            return AgentToken(name: name, token: value, revoked: revoked)
        }

        /// Problems across entries: the same token given to two agents cannot tell them apart.
        func problems() -> [ConfigProblem] {
            var owners: [String: String] = [:]
            var problems: [ConfigProblem] = []
            for agent in agents {
                if let other = owners[agent.token] {
                    problems.append(ConfigProblem(
                        ["auth", "agent"], "agents \"\(other)\" and \"\(agent.name)\" have the same token",
                        hint: "give every agent its own token, so one can be revoked alone"))
                } else {
                    owners[agent.token] = agent.name
                }
            }
            return problems
        }
    }
}
