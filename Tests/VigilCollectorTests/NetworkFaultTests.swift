import Foundation
import VigilModel
import XCTest

/// Fault injection over a real network path (issue 5): the agent in one network namespace at
/// a 1 s interval, the collector in another. The link is cut for 60 s, during which the
/// collector is killed and restarted; then it loses 20 % of packets and delays each by
/// 200 ms ± 50 ms for 20 s; then it is clear. Afterwards the collector holds every tick of
/// the agent from its first to the drained present once: no gap, no duplicate.
///
/// Needs root for the namespaces; skipped otherwise, except when CI is set and we are root.
/// Takes about 95 s.
final class NetworkFaultTests: XCTestCase {
    private let host = "fault-host"
    private let ingestToken = "fault-ingest-token"
    private let readToken = "fault-read-token"

    func testEveryTickArrivesOnceThroughALinkCutACollectorRestartAndALossySlowLink() throws {
        let pair = try makeNamespacePair()
        defer { pair.remove() }
        let listen = "\(pair.farAddress):9470"
        let url = "http://\(listen)"
        // Tokens: a collector refuses to listen off loopback without them.
        let collectorConfig = """
            [auth]
            ingest_tokens = ["\(ingestToken)"]
            read_tokens = ["\(readToken)"]
            [self_monitor]
            enabled = false
            """
        let data = TestPaths.temporaryDirectory("fault")
        func startCollector() throws -> CollectorProcess {
            try CollectorProcess(dataDirectory: data, config: collectorConfig, listen: listen, namespace: pair.far)
        }
        var collector = try startCollector()
        var firstCollectorLog = ""
        defer { collector.stop() }

        let state = TestPaths.temporaryDirectory("fault-agent")
        // Short retries and timeout keep the test short; the spool, pacing and drain order
        // are the defaults.
        try """
            state_dir = "\(state)"
            host = "\(host)"
            interval = "1s"
            [collector]
            url = "\(url)"
            token = "\(ingestToken)"
            timeout = "5s"
            [shipping]
            retry_initial = "500ms"
            retry_max = "5s"
            """.write(toFile: state + "/agent.conf", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: ["--config", state + "/agent.conf"], namespace: pair.near)
        defer { if agent.process.isRunning { _ = agent.stop() } }
        let started = Date()
        func logs() -> String {
            "\nagent:\n\(agent.logText)\nfirst collector:\n\(firstCollectorLog)\ncollector:\n\(collector.logText)"
        }
        func samples(_ metric: String, window: String, at time: Int64 = UnixTime.nowMilliseconds()) throws -> [RawSample] {
            try rawSamples(metric, window: window, at: time, url: url, in: pair)
        }

        let delivering = waitUntil(seconds: 20) { try samples("vigil_agent_interval_seconds", window: "1m").count >= 3 }
        XCTAssertTrue(delivering, "the clear link carries batches before any fault" + logs())
        guard delivering else { return }
        sleep(until: started.addingTimeInterval(10))

        pair.link.set(.cut)
        let cut = Date()
        sleep(until: cut.addingTimeInterval(15))
        collector.kill()
        firstCollectorLog = collector.logText
        sleep(until: cut.addingTimeInterval(25))
        collector = try startCollector()
        sleep(until: cut.addingTimeInterval(60))

        pair.link.set(LinkConditions(lossPercent: 20, delay: .milliseconds(200), jitter: .milliseconds(50)))
        let beforeDegraded = pair.link.packets
        sleep(until: cut.addingTimeInterval(80))
        pair.link.set(.clear)
        let afterDegraded = pair.link.packets
        let cleared = UnixTime.nowMilliseconds()

        // A tick whose spool count is 0 was sampled when every earlier batch had been
        // acknowledged, i.e. stored and fsynced; its own batch is stored since we read it.
        var drainedAt: Int64?
        _ = waitUntil(seconds: 60) {
            let pending = try samples("vigil_agent_spool_pending_batches", window: "1m")
            drainedAt = pending.first { $0.timestamp >= cleared && $0.value == 0 }?.timestamp
            return drainedAt != nil
        }
        let (status, _) = agent.stop()
        XCTAssertEqual(status, 0, logs())
        guard let drainedAt else {
            return XCTFail("the agent's spool did not drain within 60 s of the link clearing" + logs())
        }

        let ticks = try samples("vigil_agent_interval_seconds", window: "5m", at: drainedAt).map(\.timestamp)
        let dropped = try samples("vigil_agent_spool_dropped_batches_total", window: "5m", at: drainedAt)
        let skipped = agent.logText.firstMatch(of: #/skipped_ticks=(\d+)/#).flatMap { Int($0.1) }
        XCTAssertNotNil(skipped, "the agent logs its skipped ticks when it stops" + logs())
        let steps = zip(ticks, ticks.dropFirst()).map { $1 - $0 }
        let first = ticks.first ?? 0
        let expected = Int((Double((ticks.last ?? 0) - first) / 1_000).rounded()) + 1
        let longSteps = steps.enumerated().filter { $0.element > 1_500 }.map { "\(ticks[$0.offset])+\($0.element)" }
        let summary = "\(ticks.count) ticks, \(expected) expected from \(first) to \(drainedAt); "
            + "steps over 1.5 s: \(longSteps); skipped by the agent: \(skipped ?? -1)"

        XCTAssertLessThan(first, Int64(started.timeIntervalSince1970 * 1_000) + 3_000, "the first ticks are there: " + summary)
        XCTAssertEqual(ticks.last, drainedAt, summary)
        XCTAssertTrue(steps.allSatisfy { $0 > 0 }, "in order, no duplicate: " + summary)
        // A tick the agent itself skipped (its sampling overran a whole interval on a loaded
        // machine) never existed; every other one must be there.
        XCTAssertLessThanOrEqual(expected - ticks.count, skipped ?? 0, "no gap: " + summary + logs())
        XCTAssertEqual(dropped.map(\.value).max(), 0, "the spool dropped nothing")
        XCTAssertTrue(agent.logText.contains("cannot ship to any collector; retrying"), "the cut was felt" + logs())
        XCTAssertTrue(agent.logText.contains("collector reachable again"), logs())
        let degraded = (
            forwarded: afterDegraded.forwarded - beforeDegraded.forwarded, dropped: afterDegraded.dropped - beforeDegraded.dropped
        )
        XCTAssertGreaterThan(degraded.forwarded, 0, "the degraded link carried traffic")
        XCTAssertGreaterThan(degraded.dropped, 0, "the degraded link lost packets")
        print("NetworkFaultTests: \(summary); degraded link: \(degraded.forwarded) packets forwarded, \(degraded.dropped) lost; "
            + "drained \(drainedAt - cleared) ms after the link cleared; took \(Int(-started.timeIntervalSinceNow)) s")
    }

    /// The pair, or a skip saying why none can be made here; a failure instead when CI is
    /// set and we are root, where the test must run.
    private func makeNamespacePair() throws -> NetworkNamespacePair {
        do {
            return try NetworkNamespacePair()
        } catch {
            if ProcessInfo.processInfo.environment["CI"] != nil && geteuid() == 0 {
                throw NetworkNamespacePair.Unavailable(reason: "CI runs this test as root, so it must not be skipped: \(error.reason)")
            }
            throw XCTSkip("fault injection needs network namespaces, which cannot be made here: \(error.reason)")
        }
    }

    private struct RawSample {
        let timestamp: Int64
        let value: Double
    }

    /// Raw samples of `metric{host}` over `window` up to `time` (ms), read with the CLI from
    /// inside the collector's namespace.
    private func rawSamples(
        _ metric: String, window: String, at time: Int64, url: String, in pair: NetworkNamespacePair
    ) throws -> [RawSample] {
        let expression = "\(metric){host=\"\(host)\"}[\(window)]"
        let (status, output) = try TestPaths.run("vigil-collector", [
            "query", expression, "--url", url, "--token", readToken, "--time", String(Double(time) / 1_000), "--json",
        ], namespace: pair.far)
        guard status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let data = object["data"] as? [String: Any],
              let result = data["result"] as? [[String: Any]] else {
            throw CollectorProcessError(message: "query \(expression) failed (\(status)): \(output)")
        }
        let values = (result.first?["values"] as? [[Any]]) ?? []
        return values.map {
            RawSample(timestamp: Int64((($0[0] as! Double) * 1_000).rounded()), value: Double($0[1] as! String) ?? .nan)
        }
    }

    /// Polls `condition` every 0.5 s until it holds or `seconds` pass; errors count as not yet.
    private func waitUntil(seconds: Double, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if (try? condition()) == true { return true }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        return false
    }

    private func sleep(until date: Date) {
        let wait = date.timeIntervalSinceNow
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}
