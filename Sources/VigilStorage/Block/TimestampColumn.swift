/// A decoded timestamp column of a block chunk (docs/formats/chunk.md, "Block columns"),
/// ascending. A regular column stays first + position × delta, so reading a few samples of a
/// long chunk builds no array of its timestamps.
struct TimestampColumn: RandomAccessCollection, Sendable {
    private enum Layout: Sendable {
        case regular(first: Int64, delta: Int64, count: Int)
        case listed([Int64])
    }

    private let layout: Layout

    static func regular(first: Int64, delta: Int64, count: Int) -> TimestampColumn {
        TimestampColumn(layout: .regular(first: first, delta: delta, count: count))
    }

    static func listed(_ timestamps: [Int64]) -> TimestampColumn {
        TimestampColumn(layout: .listed(timestamps))
    }

    var startIndex: Int { 0 }

    var endIndex: Int {
        switch layout {
        case .regular(_, _, let count): return count
        case .listed(let timestamps): return timestamps.count
        }
    }

    subscript(position: Int) -> Int64 {
        switch layout {
        case .regular(let first, let delta, _): return first &+ Int64(position) &* delta
        case .listed(let timestamps): return timestamps[position]
        }
    }

    /// The positions whose timestamps lie in [from, through], found by binary search.
    func positions(from: Int64, through: Int64) -> Range<Int> {
        let lower = firstPosition { $0 >= from }
        let upper = firstPosition { $0 > through }
        return lower..<Swift.max(lower, upper)
    }

    /// The first position whose timestamp satisfies `isAtOrAfter`, which holds from some
    /// position to the end; `count` when none does.
    private func firstPosition(_ isAtOrAfter: (Int64) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if isAtOrAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
