/// The labels of a shard's series as pair ids (`Postings`), by local series index: every
/// series' ids in one array, in label order, and where each series' ids end.
///
/// Two allocations for the whole shard instead of one `[Label]` per series: a series with
/// five labels costs 24 bytes (five ids and its end) where the pairs took 160 and the array
/// header and malloc about 48 more.
struct SeriesLabelIDs {
    private var ids: ContiguousArray<UInt32> = []
    /// Series index → the position in `ids` after its last id.
    private var ends: ContiguousArray<UInt32> = []

    /// How many series.
    var count: Int { ends.count }

    /// The positions in `ids` of series `index`'s pair ids; `index` must be below `count`.
    @inline(__always)
    func positions(of index: UInt32) -> Range<Int> {
        let series = Int(index)
        return (series == 0 ? 0 : Int(ends[series - 1]))..<Int(ends[series])
    }

    /// The pair id at `position` (from `positions(of:)`).
    @inline(__always)
    subscript(position: Int) -> UInt32 { ids[position] }

    /// Adds the next series, with these pair ids in label order.
    mutating func append(_ pairIDs: [UInt32]) {
        precondition(ids.count + pairIDs.count < UInt32.max, "bug: shard label id array overflow")
        ids.reserveQuarterGrowth(for: pairIDs.count)
        ids.append(contentsOf: pairIDs)
        ends.reserveQuarterGrowth()
        ends.append(UInt32(ids.count))
    }

    /// The series `renumbering` keeps, in their new order, with their pair ids mapped through
    /// `newPairIDs` (which must map every pair a kept series uses); sized exactly.
    func renumbered(_ renumbering: SeriesRenumbering, newPairIDs: (UInt32) -> UInt32) -> SeriesLabelIDs {
        var result = SeriesLabelIDs()
        result.ends.reserveCapacity(renumbering.kept.count)
        var total = 0
        for old in renumbering.kept { total += positions(of: old).count }
        result.ids.reserveCapacity(total)
        for old in renumbering.kept {
            for position in positions(of: old) { result.ids.append(newPairIDs(ids[position])) }
            result.ends.append(UInt32(result.ids.count))
        }
        return result
    }

    /// Heap bytes of both arrays.
    var heapBytes: Int { HeapSize.of(ids) + HeapSize.of(ends) }
}
