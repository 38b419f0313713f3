import VigilModel

/// Labels as a hash key, hashed once with `Labels.stableHash`: several times cheaper than
/// the standard library hashing every name and value, which dominated per-step grouping.
struct LabelsKey: Hashable {
    let labels: Labels
    private let hash: UInt64

    init(_ labels: Labels) {
        self.labels = labels
        hash = labels.stableHash
    }

    static func == (lhs: LabelsKey, rhs: LabelsKey) -> Bool {
        lhs.hash == rhs.hash && lhs.labels == rhs.labels
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}
