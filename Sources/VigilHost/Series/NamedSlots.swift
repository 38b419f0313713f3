import Glibc

/// Per-name state (devices, fields) for files that list named things, kept across reads.
///
/// /proc files list the same names in the same order from one read to the next, so a lookup
/// first compares the name with the entry after the previous hit and only hashes on a miss.
/// Between `beginPass()` and `endPass()` each name is found at most once; entries whose name
/// did not appear in the pass are dropped at `endPass()`, so departed devices do not pile up.
struct NamedSlots<Entry> {
    /// All names back to back; `nameRanges[i]` locates entry i's name. One flat buffer keeps
    /// the hot comparison free of reference counting.
    private var nameBytes: [UInt8] = []
    private var nameRanges: [Range<Int>] = []
    private var entries: [Entry] = []
    private var seen: [Bool] = []
    private var positions: [[UInt8]: Int] = [:]
    private var cursor = 0

    var count: Int { entries.count }

    mutating func beginPass() {
        cursor = 0
        for index in seen.indices { seen[index] = false }
    }

    /// The index of the entry for `name`, made by `make` (given the name as a String) on first
    /// sight; nil when `name` was already found in this pass (a duplicate line).
    mutating func find<E: Error>(
        _ name: UnsafeRawBufferPointer, make: (String) throws(E) -> Entry
    ) throws(E) -> Int? {
        let index: Int
        if cursor < nameRanges.count, nameMatches(cursor, name) {
            index = cursor
        } else if let known = positions[Array(name)] {
            index = known
        } else {
            let entry = try make(name.text)
            index = entries.count
            nameRanges.append(nameBytes.count..<(nameBytes.count + name.count))
            nameBytes.append(contentsOf: name)
            entries.append(entry)
            seen.append(false)
            positions[Array(name)] = index
        }
        if seen[index] { return nil }
        seen[index] = true
        cursor = index + 1
        return index
    }

    subscript(index: Int) -> Entry {
        get { entries[index] }
        _modify { yield &entries[index] }
    }

    /// Drops the entries not found since `beginPass()`.
    mutating func endPass() {
        guard seen.contains(false) else { return }
        var kept = NamedSlots()
        for index in entries.indices where seen[index] {
            let range = nameRanges[index]
            kept.nameRanges.append(kept.nameBytes.count..<(kept.nameBytes.count + range.count))
            kept.nameBytes.append(contentsOf: nameBytes[range])
            kept.positions[Array(nameBytes[range])] = kept.entries.count
            kept.entries.append(entries[index])
            kept.seen.append(true)
        }
        self = kept
    }

    private func nameMatches(_ index: Int, _ name: UnsafeRawBufferPointer) -> Bool {
        let range = nameRanges[index]
        guard range.count == name.count else { return false }
        guard !range.isEmpty, let base = name.baseAddress else { return true }
        return nameBytes.withUnsafeBytes { memcmp($0.baseAddress! + range.lowerBound, base, range.count) == 0 }
    }
}
