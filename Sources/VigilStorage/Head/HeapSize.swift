/// Estimates of the heap bytes Swift's collections hold, for `heapBytes` accounting.
///
/// They model the standard library's layouts (one allocation per non-empty array or
/// dictionary, a 32-byte object header, malloc's own 16), not measure them: close enough
/// to say where memory goes, not exact to the byte.
enum HeapSize {
    /// An array's storage: its capacity, not its count, since the slack is resident too.
    static func of<Element>(_ array: ContiguousArray<Element>) -> Int {
        array.capacity == 0 ? 0 : array.capacity * MemoryLayout<Element>.stride + ChunkFormat.arrayOverhead
    }

    static func of<Element>(_ array: [Element]) -> Int {
        array.capacity == 0 ? 0 : array.capacity * MemoryLayout<Element>.stride + ChunkFormat.arrayOverhead
    }

    /// A dictionary's storage: a power-of-two bucket count at most 3/4 full, each bucket a key,
    /// a value and an occupancy bit.
    static func of<Key, Value>(_ dictionary: [Key: Value]) -> Int {
        guard dictionary.capacity > 0 else { return 0 }
        var buckets = 1
        while buckets * 3 / 4 < dictionary.capacity { buckets <<= 1 }
        return buckets * (MemoryLayout<Key>.stride + MemoryLayout<Value>.stride) + buckets / 8 + 64
    }

    /// A native string's own storage: none up to 15 UTF-8 bytes (kept inline), else the bytes,
    /// a terminating zero and the object's header.
    static func of(_ string: String) -> Int {
        let count = string.utf8.count
        return count <= 15 ? 0 : (count + 1 + 32 + 8 + 15) & ~15
    }
}
