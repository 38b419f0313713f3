/// Numbers the distinct strings of a batch in order of first use and writes the string table's
/// entries (`uvarint` length, then the UTF-8 bytes) as it goes.
///
/// Why not `Dictionary<String, Int>`: interning is most of an encode, and with a dictionary
/// most of that was SipHash and probing. This table hashes the UTF-8 bytes eight at a time with
/// a multiply-xorshift mix and compares a candidate with the bytes already written, a word at a
/// time; an agent's batch encodes in a third of the instructions it took with the dictionary.
/// The mix is seeded once per process, so label values cannot be chosen to collide on purpose.
struct StringInterner {
    /// The entries so far, in index order, without the count that precedes them in a payload.
    private(set) var entries: ByteWriter
    /// Where each string's bytes start in `entries` and how many there are, by index.
    private var locations: [(offset: Int, length: Int)] = []
    /// Open addressing with linear probing; a power of two in size and at most half full.
    private var slots: [Slot]

    private struct Slot {
        var hash: UInt64
        /// -1 when the slot is empty.
        var index: Int
    }

    private static let empty = Slot(hash: 0, index: -1)
    private static let processSeed = UInt64.random(in: .min ... .max)
    /// `processSeed`, copied here so that hashing does not go through its lazy initializer.
    private let seed: UInt64

    /// `expectedStrings` sizes the table (it grows past that when needed); `expectedBytes`
    /// sizes the entries buffer.
    init(expectedStrings: Int, expectedBytes: Int) {
        seed = Self.processSeed
        var size = 16
        while size < expectedStrings * 2 { size <<= 1 }
        slots = Array(repeating: Self.empty, count: size)
        locations.reserveCapacity(expectedStrings)
        entries = ByteWriter(capacity: expectedBytes)
    }

    /// How many distinct strings have been interned.
    var count: Int { locations.count }

    /// The index of `string`, adding it to the table when it is new.
    @inline(__always)
    mutating func intern(_ string: String) -> Int {
        if let index = string.utf8.withContiguousStorageIfAvailable({ intern(UnsafeRawBufferPointer($0)) }) {
            return index
        }
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int {
        let hash = Self.hash(bytes, seed: seed)
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[position]
            if slot.index < 0 { break }
            if slot.hash == hash, equals(slot.index, bytes) { return slot.index }
            position = (position + 1) & mask
        }
        let index = locations.count
        entries.appendUVarint(bytes.count)
        locations.append((entries.count, bytes.count))
        entries.append(contentsOf: bytes)
        slots[position] = Slot(hash: hash, index: index)
        if locations.count * 2 > slots.count { grow() }
        return index
    }

    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let location = locations[index]
        guard location.length == bytes.count else { return false }
        guard location.length > 0 else { return true }
        return entries.bytes.withUnsafeBytes { stored in
            Self.equal(stored.baseAddress! + location.offset, bytes.baseAddress!, count: location.length)
        }
    }

    /// Compares eight bytes at a time: label strings are short, and calling `memcmp` for them
    /// cost more than the comparison.
    @inline(__always)
    private static func equal(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            guard lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else {
                return false
            }
            offset += 8
        }
        return offset == count || tail(lhs, count: count) == tail(rhs, count: count)
    }

    private mutating func grow() {
        var grown = Array(repeating: Self.empty, count: slots.count * 2)
        let mask = grown.count - 1
        for slot in slots where slot.index >= 0 {
            var position = Int(truncatingIfNeeded: slot.hash) & mask
            while grown[position].index >= 0 { position = (position + 1) & mask }
            grown[position] = slot
        }
        slots = grown
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let count = bytes.count
        var hash = seed ^ UInt64(count)
        var offset = 0
        while offset + 8 <= count {
            hash = mix(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < count { hash = mix(hash, tail(bytes.baseAddress!, count: count)) }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 32)
    }

    /// A word that holds every byte of the last `count % 8` (which must not be 0): the last
    /// eight bytes when there are that many, otherwise overlapping loads of the few there are.
    /// Two byte strings of equal length have equal tails exactly when those bytes are equal.
    @inline(__always)
    private static func tail(_ base: UnsafeRawPointer, count: Int) -> UInt64 {
        if count >= 8 { return base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) }
        if count >= 4 {
            let low = UInt64(base.loadUnaligned(as: UInt32.self))
            return low | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
        }
        let first = UInt64(base.load(as: UInt8.self))
        let middle = UInt64(base.load(fromByteOffset: count / 2, as: UInt8.self))
        return first | middle << 8 | UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self)) << 16
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }
}
