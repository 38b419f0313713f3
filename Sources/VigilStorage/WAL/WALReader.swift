#if canImport(Glibc)
import Glibc
#endif

/// Reads the WAL for replay: the newest checkpoint, then the segments after it, repairing a
/// torn or corrupt tail of the last segment.
///
/// Only the last segment may end badly (a crash mid-write): replay stops at the last good
/// record, the file is cut there and the cut is reported. Damage in an earlier segment or in
/// the checkpoint is not a crash artifact (each was fsynced before anything came after it),
/// so it throws. Leftovers of an interrupted checkpoint (a `.tmp` file, older checkpoints,
/// segments the checkpoint covers) are deleted.
enum WALReader {
    struct Outcome {
        /// The last segment and its valid size after any cut; nil when there are no segments.
        var last: (index: Int, size: Int)?
        /// The first segment index replay wanted: the checkpoint's index, or 1.
        var firstIndex = 1
        /// Bytes in the checkpoint and all segments after any cut.
        var bytes = 0
        var tornTail: String?
    }

    /// Calls `apply` with each intact record: its type, payload, file path and byte offset.
    static func read(
        directory: String,
        apply: (WALRecordType, UnsafeRawBufferPointer, String, Int) throws(StorageError) -> Void
    ) throws(StorageError) -> Outcome {
        let names = try Directory.list(directory)
        var outcome = Outcome()
        let checkpoints = names.compactMap(WALFormat.checkpointIndex).sorted()
        for name in names where name.hasPrefix(WALFormat.checkpointPrefix) && name.hasSuffix(WALFormat.temporarySuffix) {
            try Directory.removeFile(directory + "/" + name)
        }
        if let newest = checkpoints.last {
            for older in checkpoints.dropLast() {
                try Directory.removeFile(directory + "/" + WALFormat.checkpointName(older))
            }
            let path = directory + "/" + WALFormat.checkpointName(newest)
            let file = try POSIXFile(path: path, flags: O_RDONLY)
            defer { file.close() }
            let bytes = try file.readAll()
            if let damage = try scan(bytes, path: path, apply: apply) {
                throw StorageError(.corruptWAL, "WAL checkpoint \(path): \(damage.reason) at byte offset \(damage.offset); "
                    + "a checkpoint is complete and fsynced before it gets its name, so this is damage on disk: "
                    + "restore the file from a backup or move the WAL directory away to start without the head")
            }
            outcome.bytes += bytes.count
            outcome.firstIndex = newest
        }
        var indexes = names.compactMap(WALFormat.segmentIndex).sorted()
        for covered in indexes where covered < outcome.firstIndex {
            try Directory.removeFile(directory + "/" + WALFormat.segmentName(covered))
        }
        indexes.removeAll { $0 < outcome.firstIndex }
        if let first = indexes.first, !checkpoints.isEmpty, first != outcome.firstIndex {
            throw StorageError(.corruptWAL,
                "WAL in \(directory): the checkpoint covers segments before \(WALFormat.segmentName(outcome.firstIndex)) "
                + "but the next segment is \(WALFormat.segmentName(first)): a segment is missing; restore it or move the later ones away")
        }
        for (previous, next) in zip(indexes, indexes.dropFirst()) where next != previous + 1 {
            throw StorageError(.corruptWAL,
                "WAL segments in \(directory) skip from \(WALFormat.segmentName(previous)) to "
                + "\(WALFormat.segmentName(next)): a segment is missing; restore it or move the later ones away")
        }
        for (position, index) in indexes.enumerated() {
            let path = directory + "/" + WALFormat.segmentName(index)
            let isLast = position == indexes.count - 1
            let file = try POSIXFile(path: path, flags: isLast ? O_RDWR : O_RDONLY)
            defer { file.close() }
            let bytes = try file.readAll()
            var valid = bytes.count
            if let damage = try scan(bytes, path: path, apply: apply) {
                let message = "WAL segment \(path): \(damage.reason) at byte offset \(damage.offset)"
                guard isLast else {
                    throw StorageError(.corruptWAL, message + "; it is not the last segment, so this is not a torn "
                        + "write: move this segment and the ones after it out of \(directory) to start "
                        + "from the data before the damage")
                }
                try file.truncate(to: damage.offset)
                try file.syncData()
                valid = damage.offset
                outcome.tornTail = message + "; cut the segment to \(damage.offset) bytes, dropping "
                    + "\(bytes.count - damage.offset) bytes of unacknowledged writes"
            }
            outcome.bytes += valid
            outcome.last = (index, valid)
        }
        return outcome
    }

    /// Applies the intact records of one file; returns where and why the good prefix ends.
    private static func scan(
        _ bytes: [UInt8], path: String,
        apply: (WALRecordType, UnsafeRawBufferPointer, String, Int) throws(StorageError) -> Void
    ) throws(StorageError) -> (offset: Int, reason: String)? {
        let result: Result<(offset: Int, reason: String)?, StorageError> = bytes.withUnsafeBytes { raw in
            do throws(StorageError) {
                return .success(try scan(raw, path: path, apply: apply))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func scan(
        _ raw: UnsafeRawBufferPointer, path: String,
        apply: (WALRecordType, UnsafeRawBufferPointer, String, Int) throws(StorageError) -> Void
    ) throws(StorageError) -> (offset: Int, reason: String)? {
        let header = WALFormat.segmentHeaderBytes
        guard raw.count >= header else {
            return (0, "the segment header is torn (\(raw.count) of \(header) bytes)")
        }
        guard raw.prefix(4).elementsEqual(WALFormat.segmentMagic) else {
            throw StorageError(.corruptWAL, "\(path) is not a Vigil WAL segment (its first bytes are not \"VWAL\"); "
                + "move it out of the WAL directory")
        }
        guard raw[4] == WALFormat.version else {
            throw StorageError(.corruptWAL, "\(path) has WAL format version \(raw[4]); this build reads "
                + "version \(WALFormat.version): open the store with the Vigil that wrote it")
        }
        var offset = header
        while offset < raw.count {
            let remaining = raw.count - offset
            guard remaining >= WALFormat.frameHeaderBytes else {
                return (offset, "the record header is torn (\(remaining) of \(WALFormat.frameHeaderBytes) bytes)")
            }
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            let crc = reader.readUInt32LE()
            let length = Int(reader.readUInt32LE())
            let typeByte = reader.readByte()
            guard length <= remaining - WALFormat.frameHeaderBytes else {
                return (offset, "the record declares \(length) payload bytes but only "
                    + "\(remaining - WALFormat.frameHeaderBytes) follow (torn record)")
            }
            let end = offset + WALFormat.frameHeaderBytes + length
            let actual = WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[(offset + 4)..<end]))
            guard actual == crc else {
                return (offset, "CRC mismatch (stored \(crc), computed \(actual)) in a record of \(length) payload bytes")
            }
            guard let type = WALRecordType(rawValue: typeByte) else {
                throw StorageError(.corruptWAL, "WAL segment \(path): record at byte offset \(offset) has unknown "
                    + "type \(typeByte) with a valid CRC: written by a newer Vigil; open the store with that version")
            }
            let payload = UnsafeRawBufferPointer(rebasing: raw[(offset + WALFormat.frameHeaderBytes)..<end])
            try apply(type, payload, path, offset)
            offset = end
        }
        return nil
    }
}
