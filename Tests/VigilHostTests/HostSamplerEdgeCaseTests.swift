import XCTest
import VigilModel
@testable import VigilHost

/// Samples the hand-made edge-case tree: old and new diskstats layouts, long interface names,
/// offline CPUs, a partial meminfo, no pressure files, mounts only in /proc/mounts.
final class HostSamplerEdgeCaseTests: XCTestCase {
    private var series: [SeriesSamples] = []
    private var sampler: HostSampler!

    override func setUp() {
        let root = Fixture.root("edge-cases")
        var options = HostSamplerOptions(host: "edge", procfs: root + "/proc", sysfs: root + "/sys", rootfs: root + "/rootfs")
        options.udevData = root + "/udev"
        sampler = HostSampler(options: options)
        series = sampler.sample(at: 42)
    }

    func testThermalThrottlesAndIsolatedCPUsFromSysfs() {
        XCTAssertEqual(series.value("node_cpu_package_throttles_total", ["package": "0"]), 11)
        XCTAssertEqual(series.value("node_cpu_core_throttles_total", ["package": "0", "core": "0"]), 5)
        XCTAssertEqual(series.value("node_cpu_core_throttles_total", ["package": "0", "core": "1"]), 7)
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasSuffix("_throttles_total") == true }.count, 3)
        XCTAssertEqual(Set(series.filter { $0.labels.metricName == "node_cpu_isolated" }.compactMap { $0.labels["cpu"] }), ["2", "4", "5"])
    }

    func testUdevPropertiesBecomeInfoSeries() {
        XCTAssertEqual(series.value("node_disk_info", [
            "device": "sda", "major": "8", "minor": "0", "model": "EXAMPLE_SSD", "serial": "S123",
            "revision": "1.0A", "path": "pci-0000:00:1f.2-ata-1", "wwn": "0x5000000000000001",
        ]), 1)
        XCTAssertEqual(series.value("node_disk_ata_rotation_rate_rpm", ["device": "sda"]), 0)
        XCTAssertEqual(series.value("node_disk_ata_write_cache_enabled", ["device": "sda"]), 1)
        XCTAssertEqual(series.value("node_disk_device_mapper_info", [
            "device": "dm-0", "name": "vg0-root", "uuid": "LVM-abc", "vg_name": "vg0", "lv_name": "root",
        ]), 1)
        XCTAssertEqual(series.value("node_disk_filesystem_info", [
            "device": "dm-0", "type": "ext4", "usage": "filesystem", "uuid": "1111-2222", "version": "1.0",
        ]), 1)
        let sdbInfo = series.filter { $0.labels.metricName == "node_disk_info" && $0.labels["device"] == "sdb" }
        XCTAssertEqual(sdbInfo.map { $0.labels.map(\.name) }, [["__name__", "device", "host", "major", "minor"]],
                       "without a udev file the empty labels are absent")
    }

    func testMissingPressureIsQuietlyUnsuccessful() {
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "pressure"]), 0)
        XCTAssertFalse(series.metricNames.contains { $0.hasPrefix("node_pressure_") })
        XCTAssertEqual(sampler.lastFailures, [], "no pressure data is not a failure")
    }

    func testOfflineCPUIsExportedAsZerosLikeNodeExporter() {
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]), 0)
        XCTAssertEqual(series.value("node_cpu_seconds_total", ["cpu": "2", "mode": "idle"]), 450)
        XCTAssertEqual(series.value("node_cpu_guest_seconds_total", ["cpu": "2", "mode": "user"]), 0)
        XCTAssertEqual(series.value("node_context_switches_total"), 987_654_321)
    }

    func testPartialMeminfo() {
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasPrefix("node_memory_") == true }.count, 7)
        XCTAssertNil(series.value("node_memory_MemAvailable_bytes"))
        XCTAssertEqual(series.value("node_memory_Active_anon_bytes"), 100_000 * 1024)
        XCTAssertEqual(series.value("node_memory_HugePages_Free"), 8)
        XCTAssertEqual(series.value("node_memory_Hugepagesize_bytes"), 2048 * 1024)
    }

    func testDiskstatsLayoutsAndExcludes() {
        let columns = Set(DiskstatsReader.columns.map(\.name))
        let names = { (device: String) in
            Set(self.series.filter { $0.labels["device"] == device }.compactMap(\.labels.metricName)).intersection(columns)
        }
        XCTAssertEqual(names("sda").count, 11)
        XCTAssertFalse(names("sda").contains("node_disk_discards_completed_total"))
        XCTAssertEqual(names("sdb").count, 15)
        XCTAssertTrue(names("sdb").contains("node_disk_discard_time_seconds_total"))
        XCTAssertFalse(names("sdb").contains("node_disk_flush_requests_total"))
        XCTAssertEqual(names("nvme0n1").count, 17)
        XCTAssertEqual(names("dm-0").count, 17)
        XCTAssertEqual(names("sda1"), [])
        XCTAssertEqual(names("nvme0n1p1"), [])
        XCTAssertEqual(names("loop0"), [])
        // Milliseconds are multiplied by 0.001 as node_exporter does, so 13 ms is 0.013000000000000001.
        XCTAssertEqual(series.value("node_disk_flush_requests_time_seconds_total", ["device": "nvme0n1"]), 13 * 0.001)
        XCTAssertEqual(series.value("node_disk_discard_time_seconds_total", ["device": "sdb"]), 25 * 0.001)
        XCTAssertEqual(series.value("node_disk_io_now", ["device": "dm-0"]), 0)
        XCTAssertEqual(series.value("node_disk_info", ["device": "nvme0n1", "major": "259", "minor": "0"]), 1)
    }

    func testNetdevLongNamesAndNoHandler() {
        XCTAssertEqual(series.value("node_network_receive_bytes_total", ["device": "enp0s31f6"]), 98_765_432_101_234)
        XCTAssertEqual(series.value("node_network_transmit_compressed_total", ["device": "enp0s31f6"]), 12)
        XCTAssertEqual(series.value("node_network_receive_bytes_total", ["device": "veth1234567890a"]), 0)
        XCTAssertEqual(series.value("node_network_receive_bytes_total", ["device": "eth0"]), Double(UInt64.max))
        XCTAssertEqual(series.value("node_network_receive_nohandler_total", ["device": "eth0"]), 17)
        XCTAssertNil(series.value("node_network_receive_nohandler_total", ["device": "lo"]), "no sysfs file, no series")
    }

    func testVmstatDefaultPattern() {
        XCTAssertEqual(series.filter { $0.labels.metricName?.hasPrefix("node_vmstat_") == true }.metricNames, [
            "node_vmstat_pgpgin", "node_vmstat_pgpgout", "node_vmstat_pswpin", "node_vmstat_pswpout",
            "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_pgfault_extra_counter", "node_vmstat_oom_kill",
        ])
    }

    func testFilesystemsFromProcMountsWithEscapesDuplicatesAndErrors() {
        let data = ["device": "/dev/sdb1", "mountpoint": "/srv/my data", "fstype": "xfs"]
        XCTAssertEqual(series.value("node_filesystem_device_error", data), 0)
        XCTAssertEqual(series.value("node_filesystem_readonly", data), 1, "the first of duplicate mounts wins")
        XCTAssertEqual(series.value("node_filesystem_device_error", ["mountpoint": "/"]), 0)
        XCTAssertEqual(series.value("node_filesystem_device_error", ["mountpoint": "/mnt/missing"]), 1)
        XCTAssertNil(series.value("node_filesystem_avail_bytes", ["mountpoint": "/mnt/missing"]))
        let mountPoints = Set(series.filter { $0.labels.metricName == "node_filesystem_device_error" }.compactMap { $0.labels["mountpoint"] })
        XCTAssertEqual(mountPoints, ["/", "/srv/my data", "/mnt/missing"])
    }

    func testOptionsChangeFilters() throws {
        let root = Fixture.root("edge-cases")
        var options = HostSamplerOptions(host: "edge", procfs: root + "/proc", sysfs: root + "/sys", rootfs: root + "/rootfs",
                                         collectors: [.diskstats, .netdev, .vmstat, .filesystem])
        options.diskstatsDeviceExclude = nil
        options.netdevDeviceExclude = try HostFilterPattern("^(lo|veth.*)$")
        options.vmstatFields = try HostFilterPattern("^nr_")
        options.mountPointsExclude = .mountPointsExcludeDebian
        let sampled = HostSampler(options: options).sample(at: 0)
        XCTAssertNotNil(sampled.value("node_disk_reads_completed_total", ["device": "loop0"]))
        XCTAssertNil(sampled.value("node_network_receive_bytes_total", ["device": "lo"]))
        XCTAssertNil(sampled.value("node_network_receive_bytes_total", ["device": "veth1234567890a"]))
        XCTAssertNotNil(sampled.value("node_network_receive_bytes_total", ["device": "eth0"]))
        XCTAssertEqual(sampled.filter { $0.labels.metricName?.hasPrefix("node_vmstat_") == true }.metricNames, ["node_vmstat_nr_free_pages"])
        XCTAssertNil(sampled.value("node_filesystem_device_error", ["mountpoint": "/mnt/missing"]))
    }
}
