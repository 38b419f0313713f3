/// The heap part of an open chunk (`ChunkAppender`): both columns in one allocation, the
/// timestamp column's region first and the value column's from `valuesStart`, and the encoder
/// state that only appends need.
///
/// One allocation rather than an array per column saves, per series, an array header, an
/// allocation's overhead and one column's growth slack; regions are sized from the rates of
/// the samples so far, or of the series' previous chunk (`ChunkAppender.restart`).
///
/// Written only while uniquely referenced: `ChunkAppender` checks with
/// `isKnownUniquelyReferenced` and copies a shared buffer first (which is what makes
/// `ChunkAppender` Sendable; `ManagedBuffer` itself cannot be).
final class OpenChunkBuffer: ManagedBuffer<OpenChunkBuffer.Header, UInt8> {
    struct Header {
        var lastDelta: Int64 = 0
        var lastValueBits: UInt64 = 0
        var timestampBits: UInt32 = 0
        var valueBits: UInt32 = 0
        /// Bytes of the timestamp column's region; the value column's region starts here.
        var valuesStart: UInt32
        /// Bytes of both regions: what the allocation holds after this object's header.
        var capacity: UInt32
        /// Leading and trailing zero bits of the current XOR window; `leading == 0xff` means none yet.
        var leading: UInt8 = 0xff
        var trailing: UInt8 = 0
    }

    enum Column {
        case timestamps, values
    }

    /// Heap bytes of a buffer beyond its regions: the object header (isa, reference count),
    /// `Header`, and malloc's 8-byte chunk header.
    static let overheadBytes = 16 + MemoryLayout<Header>.size + 8

    /// An empty buffer whose regions hold at least these many bytes; what malloc rounds the
    /// allocation up by goes to the value region.
    static func make(timestampBytes: Int, valueBytes: Int) -> OpenChunkBuffer {
        let buffer = create(minimumCapacity: timestampBytes + valueBytes) { buffer in
            Header(valuesStart: UInt32(timestampBytes), capacity: UInt32(buffer.capacity))
        }
        return unsafeDowncast(buffer, to: OpenChunkBuffer.self)
    }

    /// The first sample's timestamp, read from the start of the timestamp column (a zigzag
    /// varint: storing it again would cost every series 8 bytes); the column must hold a sample.
    var firstTimestamp: Int64 {
        withUnsafeMutablePointerToElements { bytes in
            var value: UInt64 = 0
            var index = 0
            while bytes[index] >= 0x80 {
                value |= UInt64(bytes[index] & 0x7f) << UInt64(7 * index)
                index += 1
            }
            return ChunkFormat.unzigzag(value | UInt64(bytes[index]) << UInt64(7 * index))
        }
    }

    /// The header, read without the dynamic exclusivity check that every access to the
    /// inherited `header` property makes (about 4% of the collector's CPU on live ingest).
    @inline(__always)
    var state: Header { withUnsafeMutablePointerToHeader { $0.pointee } }

    /// Runs `body` with the header to change, without the exclusivity check (see `state`).
    /// The buffer must not be shared.
    @inline(__always)
    func withState<R>(_ body: (inout Header) -> R) -> R {
        withUnsafeMutablePointerToHeader { body(&$0.pointee) }
    }

    var timestampBytes: Int { (Int(state.timestampBits) + 7) >> 3 }
    var valueBytes: Int { (Int(state.valueBits) + 7) >> 3 }

    /// Bytes of the region of `column`.
    func regionBytes(_ column: Column) -> Int {
        switch column {
        case .timestamps: Int(state.valuesStart)
        case .values: Int(state.capacity) - Int(state.valuesStart)
        }
    }

    /// Bits written to `column`.
    @inline(__always)
    func bits(_ column: Column) -> Int {
        switch column {
        case .timestamps: Int(state.timestampBits)
        case .values: Int(state.valueBits)
        }
    }

    /// Whether `count` more bits fit in the region of `column`.
    @inline(__always)
    func hasRoom(forBits count: Int, in column: Column) -> Bool {
        (bits(column) + count + 7) >> 3 <= regionBytes(column)
    }

    /// Appends the low `count` bits of `value` (1...64) to `column`, which has room for them.
    /// The buffer must not be shared.
    @inline(__always)
    func write(_ value: UInt64, count: Int, to column: Column) {
        withUnsafeMutablePointers { header, elements in
            switch column {
            case .timestamps:
                BitWriter.write(value, count: count, to: elements, at: Int(header.pointee.timestampBits))
                header.pointee.timestampBits += UInt32(count)
            case .values:
                BitWriter.write(value, count: count, to: elements + Int(header.pointee.valuesStart),
                                at: Int(header.pointee.valueBits))
                header.pointee.valueBits += UInt32(count)
            }
        }
    }

    /// Appends one bit to `column`, which has room for it. The buffer must not be shared.
    @inline(__always)
    func write(bit: Bool, to column: Column) {
        withUnsafeMutablePointers { header, elements in
            switch column {
            case .timestamps:
                BitWriter.write(bit: bit, to: elements, at: Int(header.pointee.timestampBits))
                header.pointee.timestampBits += 1
            case .values:
                BitWriter.write(bit: bit, to: elements + Int(header.pointee.valuesStart), at: Int(header.pointee.valueBits))
                header.pointee.valueBits += 1
            }
        }
    }

    /// Appends an unsigned LEB128 varint to the byte-aligned timestamp column, which has room
    /// for `BitWriter.uvarintBits(value)` more bits. The buffer must not be shared.
    func writeTimestampUVarint(_ value: UInt64) {
        withUnsafeMutablePointers { header, elements in
            BitWriter.writeUVarint(value, to: elements, at: Int(header.pointee.timestampBits))
            header.pointee.timestampBits += UInt32(BitWriter.uvarintBits(value))
        }
    }

    /// A new buffer with regions of at least these sizes (no smaller than what is written)
    /// holding the same columns and encoder state.
    func copy(timestampBytes: Int, valueBytes: Int) -> OpenChunkBuffer {
        precondition(timestampBytes >= self.timestampBytes && valueBytes >= self.valueBytes,
                     "bug: an open chunk buffer copied into regions smaller than its columns")
        let copy = Self.make(timestampBytes: timestampBytes, valueBytes: valueBytes)
        let sourceValuesStart = Int(state.valuesStart)
        var copied = state
        copied.valuesStart = copy.state.valuesStart
        copied.capacity = copy.state.capacity
        copy.withState { $0 = copied }
        withUnsafeMutablePointerToElements { source in
            copy.withUnsafeMutablePointerToElements { target in
                target.update(from: source, count: self.timestampBytes)
                (target + Int(copied.valuesStart)).update(from: source + sourceValuesStart, count: self.valueBytes)
            }
        }
        return copy
    }

    /// Whether the buffer, emptied, suits columns of these sizes: they fit, and leave no more
    /// than a sixteenth (plus malloc's rounding) unused.
    func suits(timestampBytes: Int, valueBytes: Int) -> Bool {
        let wanted = timestampBytes + valueBytes
        let capacity = Int(state.capacity)
        return capacity >= wanted && capacity <= wanted + wanted / 16 + 16
    }

    /// Empties both columns for the next chunk, the timestamp region taking `timestampBytes`
    /// and the value region the rest. The buffer must not be shared. Old bytes stay: writes
    /// never rely on zeroed memory (`BitWriter`).
    func reset(timestampBytes: Int) {
        withState { $0 = Header(valuesStart: UInt32(timestampBytes), capacity: $0.capacity) }
    }

    /// Runs `body` with the bytes written to each column.
    func withColumns<R>(_ body: (_ timestamps: UnsafeRawBufferPointer, _ values: UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeMutablePointers { header, elements in
            let state = header.pointee
            return body(UnsafeRawBufferPointer(start: elements, count: (Int(state.timestampBits) + 7) >> 3),
                        UnsafeRawBufferPointer(start: elements + Int(state.valuesStart), count: (Int(state.valueBits) + 7) >> 3))
        }
    }

    /// Heap bytes of the allocation, malloc's chunk header included.
    var heapBytes: Int { Self.overheadBytes + Int(state.capacity) }
}
