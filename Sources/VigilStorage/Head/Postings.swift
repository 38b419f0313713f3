import VigilModel

/// A shard's inverted index over interned label pairs: each distinct pair of its series has a
/// dense pair id and the list of the series carrying it (local indexes, ascending).
///
/// Strings are stored once, in `symbols`; a pair is two symbol ids. Series keep their labels
/// as pair ids (`SeriesLabelIDs`), so a long host name costs four bytes per series. Indexes
/// are appended in creation order, so every list stays sorted without sorting.
struct Postings {
    private(set) var symbols = SymbolTable()
    /// Pair id → its name and value symbols.
    private var pairs: ContiguousArray<LabelPair> = []
    /// Pair id → the series carrying the pair, ascending.
    private var lists: ContiguousArray<[UInt32]> = []
    /// Name symbol → value symbol → pair id.
    private var byName: [UInt32: [UInt32: UInt32]] = [:]

    /// How many distinct pairs.
    var pairCount: Int { pairs.count }

    /// Records series `index` under `label` and returns the label's pair id. `index` must be
    /// greater than every index already recorded (a newly created series).
    mutating func add(_ label: Label, series index: UInt32) -> UInt32 {
        let name = symbols.intern(label.name)
        let value = symbols.intern(label.value)
        if let pair = byName[name]?[value] {
            lists[Int(pair)].reserveQuarterGrowth()
            lists[Int(pair)].append(index)
            return pair
        }
        precondition(pairs.count < UInt32.max, "bug: shard label pair id overflow")
        let pair = UInt32(pairs.count)
        pairs.reserveQuarterGrowth()
        pairs.append(LabelPair(name: name, value: value))
        lists.reserveQuarterGrowth()
        lists.append([index])
        byName[name, default: [:]][value] = pair
        return pair
    }

    /// Whether pair `id` is `label`: compares the stored strings with the label's (equal
    /// storage or bytes), no allocation.
    @inline(__always)
    func pair(_ id: UInt32, is label: Label) -> Bool {
        let pair = pairs[Int(id)]
        return symbols[pair.name] == label.name && symbols[pair.value] == label.value
    }

    /// The label pair `id` stands for; its strings share the table's storage.
    func label(ofPair id: UInt32) -> Label {
        let pair = pairs[Int(id)]
        return Label(symbols[pair.name], symbols[pair.value])
    }

    /// Every label name that some series carries, unordered.
    var labelNames: [String] {
        byName.keys.map { symbols[$0] }
    }

    /// Every value of the label `name` that some series carries, unordered.
    func values(of name: String) -> [String] {
        guard let nameID = symbols.id(of: name), let values = byName[nameID] else { return [] }
        return values.keys.map { symbols[$0] }
    }

    /// Calls `body` with each value of the label `name` and the series carrying it, in no
    /// particular order.
    func forEachValue(of name: String, _ body: (_ value: String, _ series: [UInt32]) -> Void) {
        guard let nameID = symbols.id(of: name), let values = byName[nameID] else { return }
        for (value, pair) in values { body(symbols[value], lists[Int(pair)]) }
    }

    /// The series carrying `name`=`value`, ascending; empty when none does.
    func list(_ name: String, equalTo value: String) -> [UInt32] {
        guard let nameID = symbols.id(of: name), let valueID = symbols.id(of: value),
              let pair = byName[nameID]?[valueID] else { return [] }
        return lists[Int(pair)]
    }

    /// The index after a renumbering: lists hold the kept series' new indexes (sized exactly),
    /// and pairs and strings that only removed series used are gone. Also returns each old
    /// pair id's new one; a removed pair maps to `UInt32.max`.
    func renumbered(_ renumbering: SeriesRenumbering) -> (postings: Postings, newPairIDs: [UInt32]) {
        var keptLists: [(old: Int, list: [UInt32])] = []
        for (old, list) in lists.enumerated() {
            var keptCount = 0
            for index in list where renumbering[index] != nil { keptCount += 1 }
            guard keptCount > 0 else { continue }
            var kept: [UInt32] = []
            kept.reserveCapacity(keptCount)
            for index in list {
                if let new = renumbering[index] { kept.append(new) }
            }
            keptLists.append((old, kept))
        }
        var result = Postings()
        result.pairs.reserveCapacity(keptLists.count)
        result.lists.reserveCapacity(keptLists.count)
        var newPairIDs = [UInt32](repeating: UInt32.max, count: pairs.count)
        for (old, list) in keptLists {
            let name = result.symbols.intern(symbols[pairs[old].name])
            let value = result.symbols.intern(symbols[pairs[old].value])
            let pair = UInt32(result.pairs.count)
            newPairIDs[old] = pair
            result.pairs.append(LabelPair(name: name, value: value))
            result.lists.append(list)
            result.byName[name, default: [:]][value] = pair
        }
        return (result, newPairIDs)
    }

    /// Approximate heap bytes: strings, pair table, lists and the lookup dictionaries.
    var heapBytes: Int {
        var bytes = symbols.heapBytes + HeapSize.of(pairs) + HeapSize.of(lists) + HeapSize.of(byName)
        for list in lists { bytes += HeapSize.of(list) }
        for values in byName.values { bytes += HeapSize.of(values) }
        return bytes
    }
}

/// A label pair as symbol ids.
struct LabelPair {
    let name: UInt32
    let value: UInt32
}
