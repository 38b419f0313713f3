import VigilModel
import XCTest

@testable import VigilStorage

/// Heap bytes per head series beyond its samples, for node_exporter-shaped series, by the
/// shard's `heapBytes` accounting: the series table, and the label structures (label ids,
/// hash table, postings with the symbol table). Prints the breakdown.
///
/// Measured 2026-11-22 (x86-64, debug build; layouts do not depend on optimisation):
/// 186 bytes per series (series table 126, label ids 25, hash table 10, postings 23, symbols 1);
/// before the symbol table 413 (series table 149, `[Label]` arrays 208, hash map 25,
/// postings 30). glibc's count of bytes in use (`mallinfo2`) around the same loop: 171, before 403.
final class ShardStateMemoryTests: XCTestCase {
    /// 1,000 hosts × 10 CPUs × 10 modes: `node_cpu_seconds_total{instance="host-NNN:9100",
    /// job="node", cpu="N", mode="M"}`, one sample each, spread over 2 shards as a 2-core
    /// collector does.
    func testPerSeriesBytesOfNodeShapedSeries() {
        let modes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user", "guest", "guest_nice"]
        let shardCount = 2
        var shards = (0..<shardCount).map { _ in ShardState(chunkFiles: heapChunks) }
        var ref: UInt64 = 1
        for host in 0..<1000 {
            for cpu in 0..<10 {
                for mode in modes {
                    let labels = Labels(name: "node_cpu_seconds_total", [
                        ("instance", "host-\(host):9100"), ("job", "node"), ("cpu", "\(cpu)"), ("mode", mode),
                    ])
                    let hash = labels.stableHash
                    let shard = Int(hash % UInt64(shardCount))
                    XCTAssertNil(shards[shard].find(labels, hash: hash))
                    let index = shards[shard].create(labels, hash: hash, ref: ref)
                    ref += 1
                    _ = shards[shard].append(timestamp: 1_000, value: 1, to: index)
                }
            }
        }
        let count = shards.reduce(0) { $0 + $1.series.count }
        XCTAssertEqual(count, 100_000)
        func perSeries(_ part: (ShardState) -> Int) -> Int { shards.reduce(0) { $0 + part($1) } / count }
        let table = perSeries { HeapSize.of($0.series) }
        let ids = perSeries { $0.labelIDs.heapBytes }
        let hash = perSeries { $0.byHash.heapBytes }
        let postings = perSeries { $0.postings.heapBytes - $0.postings.symbols.heapBytes }
        let symbols = perSeries { $0.postings.symbols.heapBytes }
        let chunks = perSeries { $0.series.reduce(0) { $0 + $1.chunkHeapBytes } }
        let total = perSeries(\.heapBytes) - chunks
        print("bytes per series beyond chunks: \(total) (series table \(table) with MemSeries of "
            + "\(MemoryLayout<MemSeries>.stride), label ids \(ids), hash table \(hash), postings \(postings), symbols \(symbols))")
        XCTAssertLessThanOrEqual(ids + hash + postings + symbols, 80, "label structures")
        XCTAssertLessThanOrEqual(table, MemoryLayout<MemSeries>.stride * 5 / 4 + 1, "series table slack at most a quarter")
    }
}
