import Foundation
import Glibc
import XCTest
import VigilModel
@testable import VigilHost

final class HostSamplerFailureTests: XCTestCase {
    func testMissingProcfsFailsEachReaderWithAnActionableMessage() throws {
        let missing = try Fixture.temporaryDirectory(for: self) + "/no-such-proc"
        let sampler = HostSampler(options: HostSamplerOptions(host: "h", procfs: missing, sysfs: missing))
        let series = sampler.sample(at: 7)
        let failed = sampler.lastFailures.map(\.collector)
        XCTAssertEqual(failed, [.cpu, .stat, .meminfo, .loadavg, .diskstats, .netdev, .vmstat, .filesystem])
        XCTAssertEqual(sampler.lastFailures[3].error, .openFailed(path: missing + "/loadavg", errno: ENOENT))
        XCTAssertEqual(sampler.lastFailures[3].message,
                       "collector loadavg: cannot open \(missing)/loadavg: No such file or directory (errno 2); check that the procfs/sysfs/rootfs options point at mounted proc and sys filesystems, or disable this collector")
        for collector in failed {
            XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": collector.rawValue]), 0)
        }
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "uname"]), 1)
        XCTAssertEqual(series.value("node_scrape_collector_success", ["collector": "time"]), 1, "no clock sources is not an error")
        XCTAssertFalse(series.metricNames.contains("node_load1"))
    }

    func testMalformedFileDropsThatReaderOnlyAndSaysWhere() throws {
        let proc = try Fixture.temporaryDirectory(for: self)
        try "0.10 0.20 x 1/2 3\n".write(toFile: proc + "/loadavg", atomically: true, encoding: .utf8)
        try "MemTotal: 100 kB\n".write(toFile: proc + "/meminfo", atomically: true, encoding: .utf8)
        let sampler = HostSampler(options: HostSamplerOptions(host: "h", procfs: proc, collectors: [.loadavg, .meminfo]))
        let series = sampler.sample(at: 7)
        XCTAssertEqual(sampler.lastFailures, [HostReaderFailure(
            collector: .loadavg,
            error: .malformed(path: proc + "/loadavg", HostParseError(line: 1, byteOffset: 10, field: "load15", reason: "\"x\" is not a number")))])
        XCTAssertTrue(sampler.lastFailures[0].message.contains("line 1, byte offset 10, field load15"))
        XCTAssertEqual(series.value("node_memory_MemTotal_bytes"), 102_400)
        XCTAssertNil(series.value("node_load1"), "series emitted before the failure are dropped")

        try "0.10 0.20 0.30 1/2 3\n".write(toFile: proc + "/loadavg", atomically: true, encoding: .utf8)
        XCTAssertEqual(sampler.sample(at: 8).value("node_load15"), 0.3)
        XCTAssertEqual(sampler.lastFailures, [], "failures are per call")
    }

    func testFallsBackToProcMountsAndNoticesMountChanges() throws {
        let proc = try Fixture.temporaryDirectory(for: self)
        let rootfs = try Fixture.temporaryDirectory(for: self)
        try "/dev/a / ext4 rw 0 0\n".write(toFile: proc + "/mounts", atomically: true, encoding: .utf8)
        let sampler = HostSampler(options: HostSamplerOptions(host: "h", procfs: proc, rootfs: rootfs, collectors: [.filesystem]))
        XCTAssertEqual(sampler.sample(at: 1).value("node_filesystem_device_error", ["device": "/dev/a"]), 0)
        try "/dev/b / ext4 ro 0 0\n".write(toFile: proc + "/mounts", atomically: true, encoding: .utf8)
        let after = sampler.sample(at: 2)
        XCTAssertNil(after.value("node_filesystem_device_error", ["device": "/dev/a"]))
        XCTAssertEqual(after.value("node_filesystem_readonly", ["device": "/dev/b"]), 1)
    }

    func testRootfsPrefixIsStrippedFromMountPoints() {
        XCTAssertEqual(FilesystemReader.stripRootfs("/", from: "/data"), "/data")
        XCTAssertEqual(FilesystemReader.stripRootfs("/host", from: "/host"), "/")
        XCTAssertEqual(FilesystemReader.stripRootfs("/host/", from: "/host/data"), "/data")
        XCTAssertEqual(FilesystemReader.stripRootfs("/host", from: "/hostile"), "/hostile")
        XCTAssertEqual(FilesystemReader.statfsPath(rootfs: "/host", mountPoint: "/"), "/host")
        XCTAssertEqual(FilesystemReader.statfsPath(rootfs: "/host", mountPoint: "/data"), "/host/data")
        XCTAssertEqual(FilesystemReader.statfsPath(rootfs: "/", mountPoint: "/data"), "/data")
    }

    func testHostNameIsTheKernelsHostName() {
        var buffer = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(gethostname(&buffer, 255), 0)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        XCTAssertEqual(HostName.current(), name)
        XCTAssertFalse(HostName.current().isEmpty)
    }

    func testInvalidFilterPatternIsRejected() {
        XCTAssertThrowsError(try HostFilterPattern("(unclosed")) { error in
            XCTAssertTrue("\(error)".hasPrefix("invalid regular expression \"(unclosed\""))
        }
        XCTAssertTrue(HostFilterPattern.diskstatsDeviceExcludeDefault.matches("nvme0n1p2"))
        XCTAssertFalse(HostFilterPattern.diskstatsDeviceExcludeDefault.matches("nvme0n1"))
        XCTAssertTrue(HostFilterPattern.vmstatFieldsDefault.matches("pgmajfault"))
        XCTAssertFalse(HostFilterPattern.vmstatFieldsDefault.matches("nr_pgfault"), "anchored at the start")
    }
}
