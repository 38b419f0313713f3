import Foundation
import XCTest
import VigilModel
import VigilWire
@testable import VigilHost

/// Runs Debian's node_exporter 1.5 beside HostSampler on this machine and compares every series
/// in scope: same names and labels (ignoring `host`), equal static values, counters and gauges
/// within what can change between the two reads.
final class NodeExporterComparisonTests: XCTestCase {
    /// Collectors enabled on both sides.
    private static let collectors: [HostCollector] = HostCollector.allCases

    /// node_exporter's own series, which HostSampler does not imitate.
    private static func isOutOfScope(_ name: String) -> Bool {
        name.hasPrefix("go_") || name.hasPrefix("process_") || name.hasPrefix("promhttp_")
            || name == "node_exporter_build_info" || name.hasPrefix("node_scrape_")
    }

    func testSeriesAndValuesAgreeWithNodeExporter() throws {
        let exporter = try NodeExporterProcess(arguments: ["--collector.disable-defaults"]
            + NodeExporterComparisonTests.collectors.map { "--collector.\($0.rawValue)" }
            + [
                // Debian's package leaves out lo by default; HostSampler keeps every device.
                "--collector.netdev.device-exclude=",
                // Debian's package also leaves out /run, /mnt and /media; HostSampler uses the upstream default.
                "--collector.filesystem.mount-points-exclude=\(HostFilterPattern.mountPointsExcludeDefault.source)",
            ])
        defer { exporter.stop() }

        let sampler = HostSampler(options: HostSamplerOptions(host: "comparison", collectors: Set(NodeExporterComparisonTests.collectors)))
        _ = sampler.sample(at: 0)
        let before = Dictionary(uniqueKeysWithValues: sampler.sample(at: 1).map { ($0.labels.setting("host", to: ""), $0.samples[0].value) })
        let text = try exporter.scrape()
        let after = Dictionary(uniqueKeysWithValues: sampler.sample(at: 2).map { ($0.labels.setting("host", to: ""), $0.samples[0].value) })
        XCTAssertEqual(sampler.lastFailures, [])

        let theirs = try PrometheusText.parse(text).filter { !NodeExporterComparisonTests.isOutOfScope($0.labels.metricName ?? "") }
        let ours = after.keys.filter { !NodeExporterComparisonTests.isOutOfScope($0.metricName ?? "") }
        XCTAssertGreaterThan(theirs.count, 100, "node_exporter answered with too few series:\n\(text.prefix(500))")

        let theirNames = Set(theirs.compactMap(\.labels.metricName))
        let ourNames = Set(ours.compactMap(\.metricName))
        XCTAssertEqual(theirNames.subtracting(ourNames).sorted(), [], "metric names node_exporter has and HostSampler lacks")
        XCTAssertEqual(ourNames.subtracting(theirNames).sorted(), [], "metric names HostSampler has and node_exporter lacks")
        let theirSeries = Set(theirs.map(\.labels))
        XCTAssertEqual(theirSeries.subtracting(ours).map(\.description).sorted(), [], "series node_exporter has and HostSampler lacks")
        XCTAssertEqual(Set(ours).subtracting(theirSeries).map(\.description).sorted(), [], "series HostSampler has and node_exporter lacks")

        var compared = 0
        for sample in theirs {
            guard let first = before[sample.labels], let last = after[sample.labels] else { continue }
            compared += 1
            if let problem = ValueAgreement.check(sample.labels, theirs: sample.value, ourBefore: first, ourAfter: last) {
                XCTFail(problem)
            }
        }
        XCTAssertEqual(compared, theirs.count)
    }
}

/// How closely a node_exporter value must match HostSampler's readings taken just before and
/// just after the scrape.
enum ValueAgreement {
    /// Values that do not change while a machine runs: exact equality.
    static let staticNames: Set<String> = [
        "node_boot_time_seconds", "node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes",
        "node_memory_VmallocTotal_bytes", "node_memory_Hugepagesize_bytes", "node_memory_HugePages_Total",
        "node_memory_CommitLimit_bytes", "node_filesystem_size_bytes", "node_filesystem_files",
        "node_filesystem_readonly", "node_filesystem_device_error", "node_time_zone_offset_seconds",
    ]

    /// nil when `theirs` agrees with our two readings, else a message.
    static func check(_ labels: Labels, theirs: Double, ourBefore: Double, ourAfter: Double) -> String? {
        let name = labels.metricName ?? ""
        let low = min(ourBefore, ourAfter)
        let high = max(ourBefore, ourAfter)
        let tolerance: Double
        if staticNames.contains(name) || name.hasSuffix("_info") {
            tolerance = 0
            if ourBefore != ourAfter { return "\(labels): our two readings differ (\(ourBefore), \(ourAfter)) for a static value" }
        } else if name == "node_time_seconds" {
            tolerance = 0.5
        } else if name.hasSuffix("_total") || name.hasPrefix("node_vmstat_") {
            // Counters: node_exporter read between our two readings. CPU times may dip by a tick.
            tolerance = name.hasPrefix("node_cpu_") ? 0.05 : 1e-9 * high
        } else if name.hasSuffix("_bytes") {
            tolerance = max(0.05 * high, 64 * 1024 * 1024)
        } else if name.hasPrefix("node_procs_") || name == "node_disk_io_now" {
            tolerance = 32
        } else if name.hasPrefix("node_load") {
            tolerance = 1
        } else {
            tolerance = max(0.05 * high, 64)
        }
        if theirs >= low - tolerance && theirs <= high + tolerance { return nil }
        return "\(labels): node_exporter \(theirs), HostSampler \(ourBefore) before and \(ourAfter) after (tolerance \(tolerance))"
    }
}
