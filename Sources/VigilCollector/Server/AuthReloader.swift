import Logging
import ServiceLifecycle
import UnixSignals
import VigilConfig

/// Applies the `[auth]` section of the config file again on SIGHUP, so a token can be added or
/// an agent's token revoked without a restart.
///
/// Contract: the whole file is read and validated as at start (with the running listen address
/// and data directory, which flags may have set); on any problem the running tokens stay and
/// every problem is logged. Changes outside `[auth]` are reported as needing a restart and are
/// not applied. Tokens are never logged.
struct AuthReloader: Service {
    /// The config file; nil when the collector runs on embedded defaults (SIGHUP is then
    /// logged and ignored rather than ending the process, its default action).
    let path: String?
    let running: CollectorConfig
    let access: AccessPolicy
    let logger: Logger

    func run() async throws {
        var current = running
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            current = reload(over: current)
        }
    }

    /// Reads the file once and applies its tokens; returns the configuration now in force.
    func reload(over current: CollectorConfig) -> CollectorConfig {
        guard let path else {
            logger.notice("SIGHUP: running on embedded defaults, no config file to reload")
            return current
        }
        var next: CollectorConfig
        do {
            next = try CollectorConfig.load(path: path)
            next.listen = current.listen
            next.dataDir = current.dataDir
            try next.validate()
        } catch {
            logger.error("SIGHUP: \(path) has problems; keeping the running tokens\n\(error)")
            return current
        }
        access.replace(with: next.auth)
        let auth = next.auth
        logger.info("SIGHUP: reloaded [auth] from \(path)", metadata: [
            "ingest_tokens": "\(auth.ingestTokens.count)", "read_tokens": "\(auth.readTokens.count)",
            "admin_tokens": "\(auth.adminTokens.count)", "agents": "\(auth.agents.count)",
            "revoked_agents": "\(auth.agents.filter(\.revoked).map(\.name))",
        ])
        var applied = current
        applied.auth = next.auth
        if applied != next {
            logger.notice("SIGHUP: changes outside [auth] in \(path) take effect after a restart")
        }
        return applied
    }
}
