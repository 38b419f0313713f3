import VigilModel

/// An inverted index (a head shard, a block) that resolves label matchers to series ids.
protocol PostingsSource {
    /// The sorted union of the postings of `name`'s values that pass `include`.
    func postingsList(_ name: String, include: (String) -> Bool) -> [UInt32]
    /// The postings of the pair `name`=`value`.
    func postingsList(_ name: String, equalTo value: String) -> [UInt32]
}

extension PostingsSource {
    /// Ids of the series matching every matcher, ascending.
    ///
    /// Matchers that do not match the empty string are resolved through postings and
    /// intersected; matchers that do are applied by removing the postings of the values
    /// they reject (a series without the label passes them). At least one matcher must not
    /// match the empty string; `Storage` checks that before calling.
    func matching(_ matchers: [LabelMatcher]) -> [UInt32] {
        var result: [UInt32]?
        for matcher in matchers where !matcher.matchesEmpty {
            let list = matcher.kind == .equal
                ? postingsList(matcher.name, equalTo: matcher.value)
                : postingsList(matcher.name) { matcher.matches($0) }
            result = result.map { PostingsLists.intersect($0, list) } ?? list
            if result!.isEmpty { return [] }
        }
        guard var selected = result else { return [] }
        for matcher in matchers where matcher.matchesEmpty {
            let rejected = postingsList(matcher.name) { !matcher.matches($0) }
            if !rejected.isEmpty { selected = PostingsLists.subtract(selected, rejected) }
        }
        return selected
    }
}

/// Set operations on ascending id lists.
enum PostingsLists {
    /// The union of lists of one label name: values of one name never share a series, so no
    /// de-duplication is needed.
    static func union(_ lists: [[UInt32]]) -> [UInt32] {
        switch lists.count {
        case 0: return []
        case 1: return lists[0]
        default:
            var union = lists.flatMap { $0 }
            union.sort()
            return union
        }
    }

    static func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] {
                i += 1
            } else if a[i] > b[j] {
                j += 1
            } else {
                out.append(a[i])
                i += 1
                j += 1
            }
        }
        return out
    }

    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        var j = 0
        for value in a {
            while j < b.count, b[j] < value { j += 1 }
            if j < b.count, b[j] == value { continue }
            out.append(value)
        }
        return out
    }
}

extension ShardState: PostingsSource {
    func postingsList(_ name: String, include: (String) -> Bool) -> [UInt32] {
        var lists: [[UInt32]] = []
        postings.forEachValue(of: name) { value, list in
            if include(value) { lists.append(list) }
        }
        return PostingsLists.union(lists)
    }

    func postingsList(_ name: String, equalTo value: String) -> [UInt32] {
        postings.list(name, equalTo: value)
    }
}
