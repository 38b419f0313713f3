import VigilModel

/// Merges sample lists that are each sorted by time with unique timestamps (head parts,
/// blocks) into one such list.
enum SampleMerge {
    /// On equal timestamps the sample from the earlier list wins: callers pass lists in the
    /// order the store prefers them (blocks by id, then the head).
    static func merge(_ lists: [[Sample]]) -> [Sample] {
        var nonEmpty = lists.filter { !$0.isEmpty }
        if nonEmpty.count > 1, let joined = concatenated(nonEmpty) { return joined }
        guard var merged = nonEmpty.first else { return [] }
        nonEmpty.removeFirst()
        for list in nonEmpty { merged = merge(merged, list) }
        return merged
    }

    /// The lists joined in one copy when, ordered by their first timestamps, each ends before
    /// the next begins (the usual case: blocks and the head cover separate ranges); nil when
    /// any two overlap.
    private static func concatenated(_ lists: [[Sample]]) -> [Sample]? {
        let ordered = lists.sorted { $0[0].timestamp < $1[0].timestamp }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier[earlier.count - 1].timestamp >= later[0].timestamp {
            return nil
        }
        var joined: [Sample] = []
        joined.reserveCapacity(ordered.reduce(0) { $0 + $1.count })
        for list in ordered { joined.append(contentsOf: list) }
        return joined
    }

    /// Two lists; `first` wins ties.
    static func merge(_ first: [Sample], _ second: [Sample]) -> [Sample] {
        if second.isEmpty { return first }
        if first.isEmpty { return second }
        if first.last!.timestamp < second.first!.timestamp { return first + second }
        if second.last!.timestamp < first.first!.timestamp { return second + first }
        var out: [Sample] = []
        out.reserveCapacity(first.count + second.count)
        var i = 0
        var j = 0
        while i < first.count, j < second.count {
            let a = first[i].timestamp
            let b = second[j].timestamp
            if a < b {
                out.append(first[i])
                i += 1
            } else if b < a {
                out.append(second[j])
                j += 1
            } else {
                out.append(first[i])
                i += 1
                j += 1
            }
        }
        out.append(contentsOf: first[i...])
        out.append(contentsOf: second[j...])
        return out
    }
}
