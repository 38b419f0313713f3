import XCTest
import VigilModel
@testable import VigilHost

/// Samples the /proc and /sys captured from a Debian 12 VM and checks exact values.
final class HostSamplerFixtureTests: XCTestCase {
    private var series: [SeriesSamples] = []
    private var sampler: HostSampler!

    override func setUpWithError() throws {
        let root = Fixture.root("debian12-vm")
        sampler = HostSampler(options: HostSamplerOptions(
            host: "vm-1", procfs: root + "/proc", sysfs: root + "/sys",
            rootfs: try Fixture.temporaryDirectory(for: self)))
        series = sampler.sample(at: 1_700_000_000_123)
    }

    func testEverySeriesHasTheHostLabelAndTheTimestamp() {
        XCTAssertFalse(series.isEmpty)
        for entry in series {
            XCTAssertEqual(entry.labels["host"], "vm-1", "\(entry.labels)")
            XCTAssertEqual(entry.samples, [Sample(timestamp: 1_700_000_000_123, value: entry.samples[0].value)])
        }
        XCTAssertEqual(Set(series.map(\.labels)).count, series.count, "series are unique")
    }

    func testAllCollectorsSucceed() {
        XCTAssertEqual(sampler.lastFailures, [])
        for collector in HostCollector.allCases {
            XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": collector.rawValue]), 1, collector.rawValue)
        }
    }

    func testCPUAndStat() {
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]), 98.48)
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "0", "mode": "idle"]), 222.18)
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "1", "mode": "system"]), 11.07)
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "1", "mode": "steal"]), 0.07)
        XCTAssertEqual(series.value("node_cpu_guest_seconds_total", ["cpu": "1", "mode": "nice"]), 0)
        XCTAssertEqual(series.filter { $0.labels.metricName == "node_cpu_seconds_total" }.count, 16)
        XCTAssertEqual(series.value("node_boot_time_seconds"), 1_795_291_443)
        XCTAssertEqual(series.value("node_context_switches_total"), 378_275)
        XCTAssertEqual(series.value("node_forks_total"), 11_390)
        XCTAssertEqual(series.value("node_intr_total"), 255_231)
        XCTAssertEqual(series.value("node_procs_running"), 1)
        XCTAssertEqual(series.value("node_procs_blocked"), 0)
    }

    func testMeminfoAndLoad() {
        XCTAssertEqual(series.value("node_memory_MemTotal_bytes"), 25_276_502_016)
        XCTAssertEqual(series.value("node_memory_MemAvailable_bytes"), 24_290_584 * 1024)
        XCTAssertEqual(series.value("node_memory_Active_anon_bytes"), 1544 * 1024)
        XCTAssertEqual(series.value("node_memory_Inactive_file_bytes"), 1_316_528 * 1024)
        XCTAssertEqual(series.value("node_memory_HugePages_Total"), 0)
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasPrefix("node_memory_") == true }.count, 54)
        XCTAssertEqual(series.value("node_load1"), 0.45)
        XCTAssertEqual(series.value("node_load5"), 0.74)
        XCTAssertEqual(series.value("node_load15"), 0.35)
    }

    func testDiskstatsKeepsWholeDisksInNodeExporterUnits() {
        XCTAssertEqual(series.value("node_disk_read_bytes_total", ["device": "vda"]), 2_307_698 * 512)
        XCTAssertEqual(series.value("node_disk_written_bytes_total", ["device": "vda"]), 2_249_856 * 512)
        XCTAssertEqual(series.value("node_disk_read_time_seconds_total", ["device": "vda"]), 5.071)
        XCTAssertEqual(series.value("node_disk_io_time_weighted_seconds_total", ["device": "vda"]), 20366 * 0.001)
        XCTAssertEqual(series.value("node_disk_discarded_sectors_total", ["device": "vda"]), 228_440)
        XCTAssertEqual(series.value("node_disk_flush_requests_total", ["device": "vda"]), 2174)
        XCTAssertEqual(series.value("node_disk_info", ["device": "vda", "major": "254", "minor": "0"]), 1)
        XCTAssertNotNil(series.value("node_disk_reads_completed_total", ["device": "zram0"]))
        XCTAssertNil(series.value("node_disk_reads_completed_total", ["device": "loop0"]), "loop devices are excluded")
    }

    func testNetdevIncludesEveryDevice() {
        XCTAssertEqual(series.value("node_network_receive_bytes_total", ["device": "lo"]), 37554)
        XCTAssertEqual(series.value("node_network_transmit_packets_total", ["device": "eth0"]), 759)
        XCTAssertEqual(series.value("node_network_receive_nohandler_total", ["device": "eth0"]), 0)
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasPrefix("node_network_") == true }.count, 4 * 17)
    }

    func testVmstatPressureTimeAndUname() {
        XCTAssertEqual(series.value("node_vmstat_pgfault"), 6_471_974)
        XCTAssertEqual(series.value("node_vmstat_pgpgin"), 1_153_849)
        XCTAssertEqual(series.value("node_vmstat_oom_kill"), 0)
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasPrefix("node_vmstat_") == true }.count, 7)
        XCTAssertEqual(series.value("node_pressure_cpu_waiting_seconds_total"), 45_096_660 / 1000.0 / 1000.0)
        // Divided by 1000 twice, as node_exporter does: 1.6603240000000001, not 1.660324.
        XCTAssertEqual(series.value("node_pressure_io_stalled_seconds_total"), 1_660_324 / 1000.0 / 1000.0)
        XCTAssertNotEqual(series.value("node_pressure_io_stalled_seconds_total"), 1.660324)
        XCTAssertEqual(series.value("node_pressure_memory_waiting_seconds_total"), 0)
        XCTAssertEqual(series.value("node_time_clocksource_available_info", ["device": "0", "clocksource": "kvm-clock"]), 1)
        XCTAssertEqual(series.value("node_time_clocksource_current_info", ["device": "0", "clocksource": "tsc"]), 1)
        let now = Date().timeIntervalSince1970
        XCTAssertEqual(try XCTUnwrap(series.value("node_time_seconds")), now, accuracy: 60)
        XCTAssertEqual(series.value("node_uname_info", ["sysname": "Linux"]), 1)
    }

    func testFilesystemStatsMountPointsUnderRootfs() {
        // rootfs is an empty temporary directory: "/" is that directory, the tmpfs under /mnt is missing.
        let root = ["device": "/dev/vda", "fstype": "ext4", "mountpoint": "/"]
        XCTAssertEqual(series.value("node_filesystem_device_error", root), 0)
        XCTAssertEqual(series.value("node_filesystem_readonly", root), 0)
        XCTAssertGreaterThan(series.value("node_filesystem_size_bytes", root) ?? 0, 0)
        XCTAssertGreaterThan(series.value("node_filesystem_files", root) ?? 0, 0)
        let missing = ["mountpoint": "/mnt/scratch"]
        XCTAssertEqual(series.value("node_filesystem_device_error", missing), 1)
        XCTAssertNil(series.value("node_filesystem_size_bytes", missing))
        XCTAssertEqual(series.filter { $0.labels.metricName == "node_filesystem_device_error" }.count, 2, "pseudo file systems are excluded")
    }

    func testSecondSampleReusesSeriesAndReportsNewTimestamp() {
        let again = sampler.sample(at: 1_700_000_015_123)
        XCTAssertEqual(again.map(\.labels).filter { $0.metricName != "node_time_seconds" }.count, series.count - 1)
        XCTAssertEqual(Set(again.map(\.labels)), Set(series.map(\.labels)))
        XCTAssertTrue(again.allSatisfy { $0.samples[0].timestamp == 1_700_000_015_123 })
        XCTAssertEqual(series[0].samples[0].timestamp, 1_700_000_000_123, "the first result is not changed by the second call")
    }

    func testCollectorSubset() throws {
        let root = Fixture.root("debian12-vm")
        let only = HostSampler(options: HostSamplerOptions(host: "vm-1", procfs: root + "/proc", sysfs: root + "/sys", collectors: [.loadavg, .stat]))
        let sampled = only.sample(at: 0)
        XCTAssertEqual(sampled.metricNames, [
            "node_load1", "node_load5", "node_load15", "node_scrape_collector_success",
            "node_boot_time_seconds", "node_context_switches_total", "node_forks_total",
            "node_intr_total", "node_procs_running", "node_procs_blocked",
        ])
        XCTAssertEqual(sampled.filter { $0.labels.metricName == "node_scrape_collector_success" }.count, 2)
    }
}
