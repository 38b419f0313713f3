/// How `ShardState.removeEmptySeries` renumbers a shard: the series kept, in their old order,
/// take the indexes 0, 1, 2, ...; the others are gone.
struct SeriesRenumbering {
    /// Old indexes of the kept series, ascending; position = new index.
    let kept: [UInt32]
    /// Old index → new index, or `Self.gone`.
    private let newIndexes: [UInt32]
    private static let gone = UInt32.max

    /// Keeps the series for which `keep(oldIndex)` is true, out of `count`.
    init(count: Int, keep: (UInt32) -> Bool) {
        var kept: [UInt32] = []
        var newIndexes = [UInt32](repeating: Self.gone, count: count)
        for old in 0..<UInt32(count) where keep(old) {
            newIndexes[Int(old)] = UInt32(kept.count)
            kept.append(old)
        }
        self.kept = kept
        self.newIndexes = newIndexes
    }

    /// The new index of the series that had `old`, or nil when it was removed.
    @inline(__always)
    subscript(old: UInt32) -> UInt32? {
        let new = newIndexes[Int(old)]
        return new == Self.gone ? nil : new
    }
}
