import VigilModel

/// A shard's inverted index: label name → label value → local series indexes, ascending.
///
/// Indexes are appended in creation order, so every list stays sorted without sorting.
/// Adding a series also interns its label strings: the returned labels share the index's
/// string storage, so a long host name is stored once per shard, not once per series.
struct Postings {
    private(set) var byName: [String: [String: [UInt32]]] = [:]

    /// Records `index` under each label and returns the labels with interned strings.
    mutating func add(_ labels: Labels, index: UInt32) -> Labels {
        var interned: [Label] = []
        interned.reserveCapacity(labels.count)
        for label in labels {
            let name: String
            let value: String
            if let nameIndex = byName.index(forKey: label.name) {
                name = byName.keys[nameIndex]
                if let valueIndex = byName.values[nameIndex].index(forKey: label.value) {
                    value = byName.values[nameIndex].keys[valueIndex]
                    byName.values[nameIndex].values[valueIndex].append(index)
                } else {
                    value = label.value
                    byName.values[nameIndex][value] = [index]
                }
            } else {
                name = label.name
                value = label.value
                byName[name] = [value: [index]]
            }
            interned.append(Label(name, value))
        }
        return Labels(presorted: interned)
    }

    func values(of name: String) -> [String: [UInt32]]? {
        byName[name]
    }

    /// Approximate heap bytes of the index.
    var heapBytes: Int {
        var bytes = byName.capacity * 48
        for values in byName.values {
            bytes += values.capacity * 40
            for list in values.values { bytes += list.capacity * 4 + ChunkFormat.arrayOverhead }
        }
        return bytes
    }
}
