/// The payload of an idempotency record (checkpoints only): entries until the payload ends,
/// each a producer, its highest sequence and the window's 64 words of bits.
enum WALIdempotencyRecord {
    static func appendEntry(producer: String, window: IdempotencyWindow, to buffer: inout [UInt8]) {
        buffer.appendString(producer)
        buffer.appendUVarint(window.highest)
        for word in window.words { buffer.appendUInt64LE(word) }
    }

    /// Calls `body` for each entry. Returns what is malformed (with the payload offset), or nil.
    static func decode(_ payload: UnsafeRawBufferPointer, _ body: (String, IdempotencyWindow) -> Void) -> String? {
        var reader = ByteReader(payload)
        while !reader.isAtEnd {
            let start = reader.offset
            let producer = reader.readString()
            let highest = reader.readUVarint()
            var words: [UInt64] = []
            words.reserveCapacity(IdempotencyWindow.words)
            for _ in 0..<IdempotencyWindow.words { words.append(reader.readUInt64LE()) }
            guard !reader.failed else { return "idempotency entry at payload offset \(start) runs past the payload" }
            body(producer, IdempotencyWindow(highest: highest, words: words))
        }
        return nil
    }
}
