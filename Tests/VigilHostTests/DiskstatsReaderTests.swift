import Foundation
import XCTest
import VigilModel
@testable import VigilHost

final class DiskstatsReaderTests: XCTestCase {
    /// node_exporter reads udev properties on every scrape; HostSampler re-reads them when the
    /// udev file appears or changes, and when a disk's device numbers change.
    func testUdevPropertiesFollowTheUdevFile() throws {
        let root = try Fixture.temporaryDirectory(for: self)
        try FileManager.default.createDirectory(atPath: root + "/udev", withIntermediateDirectories: true)
        try "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n".write(toFile: root + "/diskstats", atomically: true, encoding: .utf8)
        var options = HostSamplerOptions(host: "h", procfs: root, collectors: [.diskstats])
        options.udevData = root + "/udev"
        let sampler = HostSampler(options: options)
        let info = { (series: [SeriesSamples]) in series.first { $0.labels.metricName == "node_disk_info" }?.labels }

        XCTAssertNil(info(sampler.sample(at: 1))?["model"], "no udev file yet")
        try "E:ID_MODEL=FIRST\n".write(toFile: root + "/udev/b8:0", atomically: true, encoding: .utf8)
        XCTAssertEqual(info(sampler.sample(at: 2))?["model"], "FIRST")
        try "E:ID_MODEL=SECOND_MODEL\n".write(toFile: root + "/udev/b8:0", atomically: true, encoding: .utf8)
        XCTAssertEqual(info(sampler.sample(at: 3))?["model"], "SECOND_MODEL")

        try "   8 16 sda 1 2 3 4 5 6 7 8 9 10 11\n".write(toFile: root + "/diskstats", atomically: true, encoding: .utf8)
        let renumbered = info(sampler.sample(at: 4))
        XCTAssertEqual(renumbered?["minor"], "16")
        XCTAssertNil(renumbered?["model"], "b8:16 has no udev file")
    }

    func testDisksThatDisappearStopBeingReported() throws {
        let root = try Fixture.temporaryDirectory(for: self)
        try "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n   8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n".write(toFile: root + "/diskstats", atomically: true, encoding: .utf8)
        let sampler = HostSampler(options: HostSamplerOptions(host: "h", procfs: root, collectors: [.diskstats]))
        XCTAssertEqual(Set(sampler.sample(at: 1).compactMap { $0.labels["device"] }), ["sda", "sdb"])
        try "   8 16 sdb 1 2 3 4 5 6 7 8 9 10 12\n".write(toFile: root + "/diskstats", atomically: true, encoding: .utf8)
        let after = sampler.sample(at: 2)
        XCTAssertEqual(Set(after.compactMap { $0.labels["device"] }), ["sdb"])
        XCTAssertEqual(after.value("node_disk_io_time_weighted_seconds_total", ["device": "sdb"]), 12 * 0.001)
    }
}
