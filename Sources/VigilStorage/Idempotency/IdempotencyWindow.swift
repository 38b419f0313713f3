/// The recent batch sequences of one producer: the highest seen and which of the
/// `size` sequences at or below it were seen, as a ring of bits (512 bytes a producer).
///
/// A sequence more than `size` below the highest is outside the window: it is neither
/// reported as seen nor remembered, so a batch that old is stored again if re-sent.
struct IdempotencyWindow {
    static let size: UInt64 = 4096

    private(set) var highest: UInt64
    private var bits: [UInt64]

    init(first sequence: UInt64) {
        highest = sequence
        bits = Array(repeating: 0, count: Self.words)
        set(sequence)
    }

    /// Restores a window saved with `highest` and `words` (a WAL checkpoint).
    init(highest: UInt64, words: [UInt64]) {
        precondition(words.count == Self.words, "bug: an idempotency window has \(Self.words) words")
        self.highest = highest
        bits = words
    }

    static let words = Int(size / 64)

    /// The ring of bits, slot `s` in bit `s % 64` of word `s / 64`.
    var words: [UInt64] { bits }

    func contains(_ sequence: UInt64) -> Bool {
        guard sequence <= highest, highest - sequence < Self.size else { return false }
        let slot = sequence % Self.size
        return bits[Int(slot / 64)] & (1 << (slot % 64)) != 0
    }

    mutating func insert(_ sequence: UInt64) {
        if sequence > highest {
            if sequence - highest >= Self.size {
                for word in bits.indices { bits[word] = 0 }
            } else {
                var gap = highest &+ 1
                while gap < sequence {
                    clear(gap)
                    gap += 1
                }
            }
            highest = sequence
        } else if highest - sequence >= Self.size {
            return
        }
        set(sequence)
    }

    private mutating func set(_ sequence: UInt64) {
        let slot = sequence % Self.size
        bits[Int(slot / 64)] |= 1 << (slot % 64)
    }

    private mutating func clear(_ sequence: UInt64) {
        let slot = sequence % Self.size
        bits[Int(slot / 64)] &= ~(1 << (slot % 64))
    }
}

/// Idempotency windows of every producer seen, rebuilt from the WAL on open.
struct IdempotencyWindows {
    private var producers: [String: IdempotencyWindow] = [:]

    func contains(_ key: IdempotencyKey) -> Bool {
        producers[key.producer]?.contains(key.sequence) ?? false
    }

    /// Every producer's window, for a checkpoint.
    var all: [(producer: String, window: IdempotencyWindow)] {
        producers.map { ($0.key, $0.value) }
    }

    /// Puts back a saved window (replacing any window of that producer).
    mutating func restore(_ producer: String, _ window: IdempotencyWindow) {
        producers[producer] = window
    }

    mutating func insert(_ key: IdempotencyKey) {
        if producers[key.producer] == nil {
            producers[key.producer] = IdempotencyWindow(first: key.sequence)
        } else {
            producers[key.producer]!.insert(key.sequence)
        }
    }
}
