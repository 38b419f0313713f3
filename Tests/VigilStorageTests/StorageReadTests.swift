import VigilModel
import XCTest

@testable import VigilStorage

final class StorageReadTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var storage: Storage!
    private var all: [SeriesSamples] = []

    override func setUp() async throws {
        directory = try TemporaryDirectory()
        storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 4, fsync: false))
        for host in ["a", "b", "c", "d"] {
            for metric in ["cpu", "mem", "disk"] {
                for mode in ["idle", "user"] where metric == "cpu" || mode == "idle" {
                    var labels = [("host", host)]
                    if metric == "cpu" { labels.append(("mode", mode)) }
                    if host != "d" { labels.append(("dc", host == "c" ? "us-1" : "eu-1")) }
                    all.append(series(metric, labels, [(1_000, 1), (2_000, 2), (3_000, host == "b" ? 9 : 3)]))
                }
            }
        }
        _ = try await storage.append(all)
        all.sort { Labels.precedes($0.labels, $1.labels) }
    }

    override func tearDown() {
        storage.close()
        directory.remove()
    }

    func testAllMatcherKindsAgreeWithBruteForce() throws {
        let cases: [[LabelMatcher]] = [
            [matcher("__name__", .equal, "cpu")],
            [matcher("__name__", .equal, "cpu"), matcher("host", .notEqual, "a")],
            [matcher("__name__", .regex, "cpu|mem"), matcher("host", .regex, "a|b")],
            [matcher("__name__", .regex, "c.*"), matcher("host", .notRegex, "a|b")],
            [matcher("__name__", .notEqual, ""), matcher("dc", .equal, "")],
            [matcher("__name__", .equal, "cpu"), matcher("dc", .notEqual, "")],
            [matcher("host", .regex, "b"), matcher("mode", .notRegex, "idle")],
            [matcher("host", .regex, "b"), matcher("mode", .notRegex, "idle|")],
            [matcher("dc", .regex, "eu.*"), matcher("__name__", .notEqual, "disk")],
            [matcher("__name__", .equal, "nothing")],
            [matcher("__name__", .equal, "cpu"), matcher("mode", .equal, "user"), matcher("host", .equal, "zzz")],
        ]
        for matchers in cases {
            let expected = all.filter { matchers.matches($0.labels) }
            XCTAssertEqual(try storage.select(matchers, from: .min, through: .max), expected, "\(matchers)")
            XCTAssertEqual(try storage.series(matchers), expected.map(\.labels), "\(matchers)")
            let middle = expected.map { SeriesSamples(labels: $0.labels, samples: [$0.samples[1]]) }
            XCTAssertEqual(try storage.select(matchers, from: 1_500, through: 2_000), middle, "\(matchers)")
        }
        XCTAssertEqual(try storage.select([matcher("__name__", .equal, "cpu")], from: 3_001, through: 9_000), [])
    }

    func testIncludingReadsOnlyTheAcceptedSeries() async throws {
        let matchers = [matcher("__name__", .regex, "cpu|mem")]
        let expected = all.filter { matchers.matches($0.labels) && $0.labels["host"] != "b" }
        XCTAssertEqual(try storage.select(matchers, from: .min, through: .max, including: { $0["host"] != "b" }), expected)
        try await storage.flush()
        XCTAssertEqual(try storage.select(matchers, from: .min, through: .max, including: { $0["host"] != "b" }), expected, "from a block")
    }

    func testMatchersThatMatchEverythingAreRejected() async {
        for matchers in [[], [matcher("host", .notEqual, "a")], [matcher("dc", .equal, "")], [matcher("x", .regex, ".*")]] {
            let error = await expectStorageError(.invalidMatchers) { try storage.select(matchers, from: 0, through: 1) }
            XCTAssertTrue(error?.message.contains("does not match the empty string") ?? false)
            await expectStorageError(.invalidMatchers) { try storage.series(matchers) }
            await expectStorageError(.invalidMatchers) { try storage.latest(matchers, at: 0, lookback: 1) }
        }
    }

    func testLatestHonoursLookback() throws {
        let cpuOfB = [matcher("__name__", .equal, "cpu"), matcher("host", .equal, "b")]
        let latest = try storage.latest(cpuOfB, at: 2_500, lookback: 1_000)
        XCTAssertEqual(latest.map(\.labels), all.filter { cpuOfB.matches($0.labels) }.map(\.labels))
        XCTAssertEqual(latest.map(\.sample), [Sample(timestamp: 2_000, value: 2), Sample(timestamp: 2_000, value: 2)])
        XCTAssertEqual(try storage.latest(cpuOfB, at: 9_000, lookback: 10_000).map(\.sample.value), [9, 9])
        XCTAssertEqual(try storage.latest(cpuOfB, at: 2_500, lookback: 499).count, 0)
        XCTAssertEqual(try storage.latest(cpuOfB, at: 999, lookback: 10_000).count, 0)
    }

    func testLabelNamesValuesAndSummaries() async throws {
        XCTAssertEqual(storage.labelNames(), ["__name__", "dc", "host", "mode"])
        XCTAssertEqual(storage.labelValues("host"), ["a", "b", "c", "d"])
        XCTAssertEqual(storage.labelValues("dc"), ["eu-1", "us-1"])
        XCTAssertEqual(storage.labelValues("missing"), [])
        _ = try await storage.append([series("cpu", [("host", "a"), ("mode", "idle"), ("dc", "eu-1")], [(7_000, 1)])])
        let hosts = storage.summarize(by: "host")
        XCTAssertEqual(hosts["a"], GroupSummary(seriesCount: 4, lastTimestamp: 7_000))
        XCTAssertEqual(hosts["d"], GroupSummary(seriesCount: 4, lastTimestamp: 3_000))
        XCTAssertEqual(hosts.count, 4)
        XCTAssertEqual(storage.summarize(by: "dc")["us-1"], GroupSummary(seriesCount: 4, lastTimestamp: 3_000))
        let stats = storage.stats
        XCTAssertEqual(stats.series, 16)
        XCTAssertEqual(stats.samples, 16 * 3 + 1)
        XCTAssertEqual(stats.chunks, 16)
        XCTAssertGreaterThan(stats.headBytes, 0)
    }
}
