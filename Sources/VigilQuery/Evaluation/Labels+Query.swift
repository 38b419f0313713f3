import VigilModel

extension Labels {
    /// The labels without `__name__`.
    var droppingMetricName: Labels {
        guard contains(where: { $0.name == Label.metricName }) else { return self }
        return Labels(presorted: pairs.filter { $0.name != Label.metricName })
    }

    /// Only the labels named in `names`, which must be sorted and unique (`LabelNames`).
    func keeping(_ names: LabelNames) -> Labels {
        selecting(names, keep: true)
    }

    /// The labels not named in `names`, which must be sorted and unique (`LabelNames`).
    func removing(_ names: LabelNames) -> Labels {
        selecting(names, keep: false)
    }

    /// Feeds `keeping(names)` (or `removing(names)` when `keep` is false) to `hasher` without
    /// building it, for grouping that builds a group's labels only once per group.
    func hashSelection(_ names: LabelNames, keep: Bool, into hasher: inout Hasher) {
        forEachSelected(names, keep: keep) { hasher.combine($0) }
    }

    /// Whether `keeping(names)` (or `removing(names)` when `keep` is false) equals `other`,
    /// compared without building it.
    func selectionEquals(_ other: Labels, _ names: LabelNames, keep: Bool) -> Bool {
        var position = 0
        var equal = true
        forEachSelected(names, keep: keep) { pair in
            equal = equal && position < other.count && other[position] == pair
            position += 1
        }
        return equal && position == other.count
    }

    private func selecting(_ names: LabelNames, keep: Bool) -> Labels {
        var result: [Label] = []
        result.reserveCapacity(keep ? Swift.min(count, names.sorted.count) : count)
        forEachSelected(names, keep: keep) { result.append($0) }
        return Labels(presorted: result)
    }

    /// Walks the sorted pairs and the sorted names together: no hashing per label.
    private func forEachSelected(_ names: LabelNames, keep: Bool, _ body: (Label) -> Void) {
        var next = 0
        for pair in pairs {
            while next < names.sorted.count && names.sorted[next] < pair.name { next += 1 }
            let named = next < names.sorted.count && names.sorted[next] == pair.name
            if named == keep { body(pair) }
        }
    }

    /// Prometheus' `labels.String()`: `{__name__="up", job="node"}`, used in error messages.
    var promString: String {
        "{" + pairs.map { "\($0.name)=\(GoQuote.quote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// Prometheus' series order: pair by pair (name, then value), a shorter prefix first.
    static func ordered(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs, rhs) where left != right {
            return left < right
        }
        return lhs.count < rhs.count
    }

    /// Whether `name` is a valid label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, Lexer.isAlpha(first) else { return false }
        return name.utf8.allSatisfy(Lexer.isAlphaNumeric)
    }
}

/// A sorted, duplicate-free list of label names, for `Labels.keeping` and `removing`.
struct LabelNames: Sendable {
    let sorted: [String]

    init<S: Sequence>(_ names: S) where S.Element == String {
        sorted = Set(names).sorted()
    }
}

extension Array where Element == VectorElement {
    /// Prometheus' check after every operation: two elements with one label set is an error.
    func checkUniqueLabels() throws(PromQLError) {
        guard count > 1 else { return }
        if count == 2 {
            if self[0].labels == self[1].labels { throw .duplicateLabelset }
            return
        }
        var seen = Set<LabelsKey>(minimumCapacity: count)
        for element in self where !seen.insert(LabelsKey(element.labels)).inserted {
            throw .duplicateLabelset
        }
    }
}

extension PromQLError {
    static let duplicateLabelset = PromQLError.execution("vector cannot contain metrics with the same labelset")
}
