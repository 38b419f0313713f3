import VigilModel

/// The payload of a series record: entries of ref and labels until the payload ends.
enum WALSeriesRecord {
    static func appendEntry(ref: UInt64, labels: Labels, to buffer: inout [UInt8]) {
        buffer.appendUVarint(ref)
        buffer.appendUVarint(UInt64(labels.count))
        for label in labels {
            buffer.appendString(label.name)
            buffer.appendString(label.value)
        }
    }

    /// Calls `body` for each entry. Returns what is malformed (with the payload offset), or nil.
    static func decode(
        _ payload: UnsafeRawBufferPointer, _ body: (UInt64, Labels) throws(StorageError) -> Void
    ) throws(StorageError) -> String? {
        var reader = ByteReader(payload)
        while !reader.isAtEnd {
            let entryStart = reader.offset
            let ref = reader.readUVarint()
            let count = reader.readUVarint()
            guard !reader.failed, count > 0, count <= UInt64(payload.count) else {
                return "series entry at payload offset \(entryStart) has a bad ref or label count"
            }
            var pairs: [Label] = []
            pairs.reserveCapacity(Int(count))
            for _ in 0..<count {
                let name = reader.readString()
                let value = reader.readString()
                if let previous = pairs.last, !(previous.name < name) {
                    return "series entry at payload offset \(entryStart) has labels out of order"
                }
                if value.isEmpty {
                    return "series entry at payload offset \(entryStart) has an empty value for \(name)"
                }
                pairs.append(Label(name, value))
            }
            guard !reader.failed else {
                return "series entry at payload offset \(entryStart) runs past the payload"
            }
            try body(ref, Labels(presorted: pairs))
        }
        return nil
    }
}
