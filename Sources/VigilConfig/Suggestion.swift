/// "Did you mean" for unknown keys and names, by edit distance.
enum Suggestion {
    /// The candidate closest to `word` when it is close enough to be a typo of it: at most one
    /// edit for words up to 3 characters, two up to 7, three beyond; or a candidate that `word`
    /// abbreviates (3 characters or more, as "warn" for "warning"). Case and the difference
    /// between `-` and `_` are ignored. Ties go to the earlier candidate.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let target = normalized(word)
        let limit = target.count <= 3 ? 1 : target.count <= 7 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let other = normalized(candidate)
            let distance = editDistance(target, other)
            let abbreviates = target.count >= 3 && other.starts(with: target)
            if distance <= limit || abbreviates, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each cost one. Quadratic in the lengths; keys are short.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    private static func normalized(_ word: String) -> [UInt8] {
        word.utf8.map { byte in
            if byte == UInt8(ascii: "-") { return UInt8(ascii: "_") }
            return byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
        }
    }
}
