import Synchronization
import VigilStorage
import VigilWire

/// Per agent, the label tables of its last stored batch and where those series sit in the
/// store, so the next batch with byte-identical tables (an agent sends the same series in the
/// same order every tick) is appended without decoding, hashing or looking up its labels.
///
/// Correctness does not depend on who claims an agent id: an entry is used only when the new
/// batch's tables equal the entry's bytes, and equal bytes mean the same series. The cache
/// holds at most `capacityBytes` (tables plus placement arrays); a new entry that does not
/// fit evicts others, and one larger than the whole capacity is not kept.
final class SeriesPlacementCache: Sendable {
    struct Entry: Sendable {
        let tables: BatchLabelTables
        let placement: SeriesPlacement

        /// Approximate heap bytes the entry holds.
        var bytes: Int { tables.bytes.count + placement.seriesCount * 12 + 256 }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    let capacityBytes: Int
    private let state = Mutex(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func entry(for agent: String) -> Entry? {
        guard capacityBytes > 0 else { return nil }
        return state.withLock { $0.entries[agent] }
    }

    func store(_ entry: Entry, for agent: String) {
        let size = entry.bytes + agent.utf8.count
        guard size <= capacityBytes else {
            forget(agent)
            return
        }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: agent) { state.bytes -= old.bytes + agent.utf8.count }
            while state.bytes + size > capacityBytes, let (victim, old) = state.entries.first {
                state.entries.removeValue(forKey: victim)
                state.bytes -= old.bytes + victim.utf8.count
            }
            state.entries[agent] = entry
            state.bytes += size
        }
    }

    func forget(_ agent: String) {
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: agent) { state.bytes -= old.bytes + agent.utf8.count }
        }
    }
}
