/// A shard's series indexes by the `stableHash` of their labels, for `ShardState.find`.
///
/// Open addressing with linear probing over one array of 8-byte slots, at most 4/5 full
/// (Swift's `[UInt64: UInt32]` takes 12 bytes a bucket at most 3/4 full). A slot holds the
/// hash's high 32 bits, its tag, which also picks the first slot to probe, and the index plus
/// one; zero marks an empty slot. Label sets whose hashes (or just tags) collide take further
/// slots, so they need no side table: the caller's `isMatch` compares labels. Entries are
/// never removed one by one; `renumbered(_:)` builds a new table.
struct SeriesHashTable {
    private var slots: ContiguousArray<UInt64> = []
    private(set) var count = 0

    /// The first index stored under `hash`'s tag that `isMatch` accepts, or nil.
    /// Costs one probe per slot up to the next empty one; no allocation.
    @inline(__always)
    func first(hash: UInt64, where isMatch: (UInt32) -> Bool) -> UInt32? {
        guard !slots.isEmpty else { return nil }
        let tag = hash >> 32
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: tag) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let index = UInt32(truncatingIfNeeded: slot) &- 1
                if isMatch(index) { return index }
            }
            position = (position + 1) & mask
        }
    }

    /// Stores `index` under `hash`; `index` must be below `UInt32.max`.
    mutating func insert(hash: UInt64, index: UInt32) {
        precondition(index < UInt32.max, "bug: series index \(index) does not fit a hash table slot")
        if (count + 1) * 5 > slots.count * 4 {
            var grown = SeriesHashTable(slotCount: Swift.max(16, slots.count * 2))
            for slot in slots where slot != 0 { grown.place(slot) }
            slots = grown.slots
        }
        place(hash & 0xffff_ffff_0000_0000 | (UInt64(index) + 1))
        count += 1
    }

    /// The entries of the series `renumbering` keeps, under their new indexes, in a table
    /// sized for them.
    func renumbered(_ renumbering: SeriesRenumbering) -> SeriesHashTable {
        var table = SeriesHashTable(slotCount: Self.slotCount(for: renumbering.kept.count))
        for slot in slots where slot != 0 {
            guard let new = renumbering[UInt32(truncatingIfNeeded: slot) &- 1] else { continue }
            table.place(slot & 0xffff_ffff_0000_0000 | (UInt64(new) + 1))
            table.count += 1
        }
        return table
    }

    /// Heap bytes of the slots.
    var heapBytes: Int { HeapSize.of(slots) }

    private init(slotCount: Int) {
        slots = ContiguousArray(repeating: 0, count: slotCount)
    }

    init() {}

    private static func slotCount(for count: Int) -> Int {
        var slots = 16
        while count * 5 > slots * 4 { slots <<= 1 }
        return slots
    }

    /// Puts an entry in the first empty slot from its tag's position on; the table has one.
    private mutating func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: entry >> 32) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = entry
    }
}
