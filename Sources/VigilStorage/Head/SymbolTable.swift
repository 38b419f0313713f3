/// A shard's label strings, each stored once and named by a dense `UInt32` id (0, 1, 2, ...
/// in order of first use), so a series refers to a long host name with four bytes.
///
/// Strings are never removed one by one: `removeEmptySeries` builds a new table holding
/// only the strings that kept series still use.
struct SymbolTable {
    private(set) var strings: ContiguousArray<String> = []
    private var ids: [String: UInt32] = [:]
    /// Heap bytes of the strings' own storage (long strings only; short ones are inline).
    private var stringBytes = 0

    var count: Int { strings.count }

    /// The string `id` names; `id` must come from this table.
    @inline(__always)
    subscript(id: UInt32) -> String { strings[Int(id)] }

    /// The id of `string`, or nil when the table does not hold it.
    func id(of string: String) -> UInt32? {
        ids[string]
    }

    /// The id of `string`, added to the table if it is new.
    mutating func intern(_ string: String) -> UInt32 {
        if let known = ids[string] { return known }
        precondition(strings.count < UInt32.max, "bug: symbol table id overflow")
        let id = UInt32(strings.count)
        strings.reserveQuarterGrowth()
        strings.append(string)
        ids[string] = id
        stringBytes += HeapSize.of(string)
        return id
    }

    /// Approximate heap bytes: the id-ordered array, the lookup dictionary (whose keys share
    /// the array's string storage) and the long strings' storage.
    var heapBytes: Int {
        HeapSize.of(strings) + HeapSize.of(ids) + stringBytes
    }
}
