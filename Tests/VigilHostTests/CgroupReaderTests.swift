import Foundation
import XCTest
import VigilModel
@testable import VigilHost

/// Samples the hand-made cgroup v2 tree in Fixtures/cgroup-v2 (real interface file formats)
/// and trees built by the tests.
final class CgroupReaderTests: XCTestCase {
    private static let fixtureSysfs = Fixture.root("cgroup-v2") + "/sys"

    private func sample(
        sysfs: String = CgroupReaderTests.fixtureSysfs, configure: (inout HostSamplerOptions) -> Void = { _ in }
    ) -> (series: [SeriesSamples], sampler: HostSampler) {
        var options = HostSamplerOptions(host: "h1", sysfs: sysfs, collectors: [.cgroup])
        configure(&options)
        let sampler = HostSampler(options: options)
        return (sampler.sample(at: 1_000), sampler)
    }

    private func groups(_ series: [SeriesSamples]) -> Set<String> {
        Set(series.compactMap { $0.labels["cgroup"] })
    }

    func testDefaultFilterKeepsServicesContainersAndUserSlice() {
        let (series, sampler) = sample()
        XCTAssertEqual(sampler.lastFailures, [])
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "cgroup"]), 1)
        XCTAssertEqual(groups(series), [
            "/system.slice/nginx.service", "/system.slice/cron.service", "/system.slice/docker-4f1c2e.scope",
            "/docker/0123456789ab", "/user.slice",
            "/kubepods.slice", "/kubepods.slice/kubepods-burstable.slice",
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice",
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice/cri-containerd-77aa.scope",
        ])
        XCTAssertEqual(Set(series.map(\.labels)).count, series.count, "series are unique")
        for entry in series {
            XCTAssertEqual(entry.labels["host"], "h1")
            XCTAssertEqual(entry.samples, [Sample(timestamp: 1_000, value: entry.samples[0].value)])
        }
    }

    func testExactValuesOfAServiceWithEveryFile() {
        let (series, _) = sample()
        let nginx = ["cgroup": "/system.slice/nginx.service"]
        XCTAssertEqual(series.filter { $0.labels["cgroup"] == nginx["cgroup"] }.count, 13)
        XCTAssertEqual(series.value("vigil_cgroup_cpu_usage_seconds_total", nginx), 12.345678)
        XCTAssertEqual(series.value("vigil_cgroup_cpu_user_seconds_total", nginx), 10)
        XCTAssertEqual(series.value("vigil_cgroup_cpu_system_seconds_total", nginx), 2.345678)
        XCTAssertEqual(series.value("vigil_cgroup_memory_current_bytes", nginx), 52_428_800)
        XCTAssertEqual(series.value("vigil_cgroup_memory_max_bytes", nginx), 536_870_912)
        XCTAssertEqual(series.value("vigil_cgroup_io_read_bytes_total", nginx), 2_908_160)
        XCTAssertEqual(series.value("vigil_cgroup_io_written_bytes_total", nginx), 24_576)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_cpu_waiting_seconds_total", nginx), 1.5)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_cpu_stalled_seconds_total", nginx), 0.25)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_memory_waiting_seconds_total", nginx), 0.0003)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_memory_stalled_seconds_total", nginx), 0.0002)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_io_waiting_seconds_total", nginx), 4.5)
        XCTAssertEqual(series.value("vigil_cgroup_pressure_io_stalled_seconds_total", nginx), 4)
    }

    func testMissingFilesAreSkippedQuietly() {
        let (series, sampler) = sample()
        XCTAssertEqual(sampler.lastFailures, [])
        let cron = series.filter { $0.labels["cgroup"] == "/system.slice/cron.service" }
        XCTAssertEqual(Set(cron.compactMap(\.labels.metricName)), [
            "vigil_cgroup_cpu_usage_seconds_total", "vigil_cgroup_cpu_user_seconds_total", "vigil_cgroup_cpu_system_seconds_total",
            "vigil_cgroup_memory_current_bytes", "vigil_cgroup_memory_max_bytes",
        ])
        XCTAssertEqual(series.value("vigil_cgroup_memory_max_bytes", ["cgroup": "/system.slice/cron.service"]), .infinity)
        XCTAssertEqual(series.value("vigil_cgroup_cpu_usage_seconds_total", ["cgroup": "/system.slice/cron.service"]), 2)
    }

    func testNoIncludeFilterTakesEveryGroupWithinTheDepth() {
        let (series, _) = sample { $0.cgroupInclude = nil }
        XCTAssertEqual(groups(series).count, 15)
        XCTAssertTrue(groups(series).contains("/system.slice/nginx.service/worker"))
        XCTAssertFalse(groups(series).contains { $0.hasSuffix("/inner") }, "depth 5 is beyond the default depth of 4")
        XCTAssertEqual(series.filter { $0.labels["cgroup"] == "/system.slice/sshd.socket" }.count, 3)
    }

    func testDepthBoundsTheWalk() {
        let (series, _) = sample {
            $0.cgroupInclude = nil
            $0.cgroupMaxDepth = 1
        }
        XCTAssertEqual(groups(series), ["/docker", "/init.scope", "/kubepods.slice", "/system.slice", "/user.slice"])
    }

    func testExcludeFilterWinsOverInclude() throws {
        let exclude = try HostFilterPattern("^/kubepods|docker")
        let (series, _) = sample { $0.cgroupExclude = exclude }
        XCTAssertEqual(groups(series), ["/system.slice/nginx.service", "/system.slice/cron.service", "/user.slice"])
    }

    func testCapLimitsGroupsPerSampleAndPicksTheSameOnes() {
        var options = HostSamplerOptions(host: "h1", sysfs: CgroupReaderTests.fixtureSysfs, collectors: [.cgroup])
        options.cgroupInclude = nil
        options.cgroupMaxCount = 4
        let sampler = HostSampler(options: options)
        let first = groups(sampler.sample(at: 1))
        let second = groups(sampler.sample(at: 2))
        XCTAssertEqual(first.count, 4)
        XCTAssertEqual(first, second)
    }

    func testHostWithoutCgroupV2IsUnavailableWithoutFailure() {
        let (series, sampler) = sample(sysfs: Fixture.root("debian12-vm") + "/sys")
        XCTAssertEqual(sampler.lastFailures, [])
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "cgroup"]), 0)
        XCTAssertEqual(series.count, 1)
    }

    func testHybridLayoutUsesTheUnifiedMount() throws {
        let sysfs = try Fixture.temporaryDirectory(for: self)
        let unified = sysfs + "/fs/cgroup/unified"
        try write("", to: "\(sysfs)/fs/cgroup/cpu/tasks")
        try write("cpu io memory\n", to: "\(unified)/cgroup.controllers")
        try write("usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\n", to: "\(unified)/system.slice/a.service/cpu.stat")
        let (series, sampler) = sample(sysfs: sysfs)
        XCTAssertEqual(sampler.lastFailures, [])
        XCTAssertEqual(series.value("vigil_cgroup_cpu_usage_seconds_total", ["cgroup": "/system.slice/a.service"]), 3)
    }

    func testGroupsComeAndGoBetweenSamples() throws {
        let sysfs = try Fixture.temporaryDirectory(for: self)
        let root = sysfs + "/fs/cgroup"
        try write("cpu memory\n", to: "\(root)/cgroup.controllers")
        try write("1000\n", to: "\(root)/system.slice/a.service/memory.current")
        try write("2000\n", to: "\(root)/system.slice/b.service/memory.current")
        let sampler = HostSampler(options: HostSamplerOptions(host: "h1", sysfs: sysfs, collectors: [.cgroup]))
        XCTAssertEqual(groups(sampler.sample(at: 1)), ["/system.slice/a.service", "/system.slice/b.service"])
        try FileManager.default.removeItem(atPath: "\(root)/system.slice/a.service")
        try write("3000\n", to: "\(root)/system.slice/b.service/memory.current")
        let second = sampler.sample(at: 2)
        XCTAssertEqual(groups(second), ["/system.slice/b.service"])
        XCTAssertEqual(second.value("vigil_cgroup_memory_current_bytes", ["cgroup": "/system.slice/b.service"]), 3000)
        try write("4000\n", to: "\(root)/system.slice/a.service/memory.current")
        XCTAssertEqual(sampler.sample(at: 3).value("vigil_cgroup_memory_current_bytes", ["cgroup": "/system.slice/a.service"]), 4000)
    }

    func testMalformedFileFailsTheCollectorNamingTheFile() throws {
        let sysfs = try Fixture.temporaryDirectory(for: self)
        let root = sysfs + "/fs/cgroup"
        try write("memory\n", to: "\(root)/cgroup.controllers")
        try write("lots\n", to: "\(root)/system.slice/a.service/memory.max")
        let (series, sampler) = sample(sysfs: sysfs)
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "cgroup"]), 0)
        XCTAssertEqual(series.count, 1)
        guard case .malformed(let path, let parse)? = sampler.lastFailures.first?.error else {
            return XCTFail("expected a malformed-file failure, got \(sampler.lastFailures)")
        }
        XCTAssertEqual(path, "\(root)/system.slice/a.service/memory.max")
        XCTAssertEqual(parse.line, 1)
    }

    func testCgroupCollectorIsOptIn() {
        XCTAssertFalse(HostSamplerOptions(host: "h1").collectors.contains(.cgroup))
        XCTAssertEqual(HostCollector.everyCase, HostCollector.allCases + [.cgroup])
        XCTAssertEqual(HostCollector(rawValue: "cgroup"), .cgroup)
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
