/// Decides which blocks to merge next; pure, so the policy is tested without files.
///
/// Overlapping blocks (late samples cut after their range's first block, flushes) are merged
/// first, into one block over the union of their ranges. Then, level by level, blocks that
/// lie inside one aligned window of the next compaction range are merged into a block for
/// that window, once the head has been cut past the window's end (no more in-order samples
/// will land there). Oldest first.
enum CompactionPlanner {
    struct Plan: Equatable {
        /// Ids of the blocks to merge.
        var parents: [UInt64]
        var rangeStart: Int64
        var rangeEnd: Int64
    }

    /// - Parameters:
    ///   - ranges: compaction ranges, ascending; the first is the block range.
    ///   - cutBoundary: every sample before it was cut into blocks at least once.
    static func next(_ metas: [BlockMeta], ranges: [Int64], cutBoundary: Int64) -> Plan? {
        let ordered = metas.sorted { ($0.rangeStart, $0.id) < ($1.rangeStart, $1.id) }
        if let overlap = firstOverlap(ordered) { return overlap }
        for width in ranges.dropFirst() {
            var windows: [Int64: [BlockMeta]] = [:]
            for meta in ordered where meta.rangeEnd &- meta.rangeStart < width {
                let window = BlockFormat.rangeStart(meta.rangeStart, width: width)
                guard meta.rangeEnd <= BlockFormat.rangeEnd(window, width: width) else { continue }
                windows[window, default: []].append(meta)
            }
            for window in windows.keys.sorted() {
                let end = BlockFormat.rangeEnd(window, width: width)
                guard let members = windows[window], members.count >= 2, end <= cutBoundary else { continue }
                return Plan(parents: members.map(\.id).sorted(), rangeStart: window, rangeEnd: end)
            }
        }
        return nil
    }

    /// The first run of blocks whose ranges overlap one another (transitively).
    private static func firstOverlap(_ ordered: [BlockMeta]) -> Plan? {
        var index = 0
        while index < ordered.count {
            var members = [ordered[index]]
            var end = ordered[index].rangeEnd
            var next = index + 1
            while next < ordered.count, ordered[next].rangeStart < end {
                members.append(ordered[next])
                end = max(end, ordered[next].rangeEnd)
                next += 1
            }
            if members.count >= 2 {
                return Plan(parents: members.map(\.id).sorted(), rangeStart: members[0].rangeStart, rangeEnd: end)
            }
            index = next
        }
        return nil
    }
}
