import Foundation
import VigilModel
import XCTest

/// `[cgroup]` include/exclude from agent.conf reach the sampler: a real agent samples the
/// cgroup v2 fixture tree and ships to a real collector.
final class AgentCgroupConfigTests: XCTestCase {
    func testIncludeAndExcludeFromTheConfigChooseTheGroupsShipped() throws {
        let collector = try CollectorProcess(config: "[self_monitor]\nenabled = false\n")
        defer { collector.stop() }
        let sysfs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("VigilHostTests/Fixtures/cgroup-v2/sys").path
        let state = TestPaths.temporaryDirectory("cgroup-agent")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try """
            state_dir = "\(state)"
            sysfs = "\(sysfs)"
            collectors = ["cgroup"]
            [cgroup]
            include = '^/system\\.slice/'
            exclude = 'cron'
            max_depth = 2
            """.write(toFile: state + "/agent.conf", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: [
            "--config", state + "/agent.conf", "--collector", collector.url, "--interval", "1s", "--host", "cg", "--token", "",
        ])
        defer { _ = agent.stop() }
        let client = try IngestClient(url: collector.url)
        var groups: Set<String> = []
        for _ in 0..<100 where groups.isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            let result = try client.query("vigil_cgroup_cpu_usage_seconds_total{host=\"cg\"}", time: UnixTime.nowMilliseconds())
            groups = Set(result.compactMap { ($0["metric"] as? [String: String])?["cgroup"] })
        }
        // cron.service is excluded; nginx.service/worker lies below max_depth.
        XCTAssertEqual(groups, [
            "/system.slice/docker-4f1c2e.scope", "/system.slice/nginx.service", "/system.slice/sshd.socket",
        ], agent.logText)
    }
}
