#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// An immutable block directory opened for reading: its meta, its mapped index and chunks.
///
/// Blocks are shared by queries, compaction and retention; a block removed from the store's
/// list stays readable by whoever still holds it (the mappings outlive the files).
final class Block: Sendable {
    let meta: BlockMeta
    let path: String
    let index: BlockIndex
    let chunks: MappedFile
    /// meta + index + chunks.
    let bytesOnDisk: Int
    /// Per label name and value: the series' hashes and newest timestamp, built on first use.
    private let groupCache = Mutex<[String: [String: BlockGroup]]>([:])

    /// Opens and verifies the block directory at `path` (meta, chunks header, whole index).
    init(path: String) throws(StorageError) {
        let metaPath = path + "/" + BlockFormat.metaFile
        let metaFile = try POSIXFile(path: metaPath, flags: O_RDONLY)
        let metaBytes: [UInt8]
        do throws(StorageError) {
            metaBytes = try metaFile.readAll()
        } catch {
            metaFile.close()
            throw error
        }
        metaFile.close()
        meta = try BlockMeta.decode(metaBytes, path: metaPath)
        self.path = path
        chunks = try MappedFile(path: path + "/" + BlockFormat.chunksFile)
        guard chunks.bytes.starts(with: BlockFormat.chunksHeader) else {
            throw StorageError(.corruptBlock, "block chunks file \(chunks.path) does not start with the header "
                + "\"VCNK\" version 1; move the block directory out of the blocks directory to open the store without it")
        }
        index = try BlockIndex(path: path + "/" + BlockFormat.indexFile, chunksSize: chunks.count)
        bytesOnDisk = metaBytes.count + index.file.count + chunks.count
    }

    /// Whether the block may hold samples in `[from, through]`.
    func overlaps(from: Int64, through: Int64) -> Bool {
        meta.minTime <= through && meta.maxTime >= from
    }

    /// Appends series `id`'s samples in `[from, through]` to `out`, oldest first. Throws
    /// `.corruptBlock` when a chunk's CRC or encoding is damaged.
    func samples(_ id: UInt32, from: Int64, through: Int64, into out: inout [Sample]) throws(StorageError) {
        for chunk in index.chunks(of: id) where chunk.maxTime >= from && chunk.minTime <= through {
            try decode(chunk, from: from, through: through, into: &out)
        }
    }

    /// Series `id`'s newest sample at or before `at` and not before `notBefore`.
    func latest(_ id: UInt32, at: Int64, notBefore: Int64) throws(StorageError) -> Sample? {
        guard let chunk = index.chunks(of: id).last(where: { $0.minTime <= at }), chunk.maxTime >= notBefore else {
            return nil
        }
        var samples: [Sample] = []
        try decode(chunk, from: notBefore, through: at, into: &samples)
        return samples.last
    }

    /// Appends the chunk's samples in `[from, through]` to `out`. The value column is decoded
    /// only up to the last sample in range: a read of the chunk's start stops early.
    private func decode(_ chunk: IndexFormat.ChunkRef, from: Int64, through: Int64, into out: inout [Sample]) throws(StorageError) {
        guard let timestamps = BlockColumns.decodeTimestamps(try column(chunk.timestamps)), timestamps.count == chunk.count else {
            throw damaged("the timestamp column does not decode to \(chunk.count) samples", at: chunk.timestamps.lowerBound)
        }
        let wanted = timestamps.positions(from: from, through: through)
        guard !wanted.isEmpty else { return }
        let values = try column(chunk.values)
        let start = out.count
        // Reads append several chunks to one array: grow geometrically, never to the exact size.
        if out.capacity < start + wanted.count { out.reserveCapacity(Swift.max(start + wanted.count, 2 * out.capacity)) }
        var position = 0
        let decoded = BlockColumns.decodeValues(values, limit: wanted.upperBound) { value in
            if position >= wanted.lowerBound { out.append(Sample(timestamp: timestamps[position], value: value)) }
            position += 1
        }
        guard decoded == wanted.upperBound else {
            out.removeSubrange(start...)
            throw damaged("the value column does not decode to \(chunk.count) samples", at: chunk.values.lowerBound)
        }
    }

    /// A column's bytes after checking the CRC stored behind them.
    private func column(_ range: Range<Int>) throws(StorageError) -> UnsafeRawBufferPointer {
        let raw = UnsafeRawBufferPointer(rebasing: chunks.bytes[range])
        let stored = chunks.bytes.uint32LE(at: range.upperBound)
        let actual = WALFormat.crc32(raw)
        guard stored == actual else {
            throw damaged("CRC mismatch (stored \(stored), computed \(actual)) in the column", at: range.lowerBound)
        }
        return raw
    }

    private func damaged(_ problem: String, at offset: Int) -> StorageError {
        StorageError(.corruptBlock, "block chunks file \(chunks.path): \(problem) at byte offset \(offset); "
            + "move the block directory out of the blocks directory and reopen the store to query without it")
    }

    func labels(of id: UInt32) -> Labels { index.labels(of: id) }

    var labelNames: [String] { index.names.map(\.name) }

    func labelValues(_ name: String) -> [String] {
        guard let nameIndex = index.nameIndex(name) else { return [] }
        return index.values(ofName: nameIndex).map { index.symbol($0.value) }
    }

    /// Per value of label `name`: the hashes of the series carrying it and their newest timestamp.
    func groups(by name: String) -> [String: BlockGroup] {
        if let cached = groupCache.withLock({ $0[name] }) { return cached }
        var groups: [String: BlockGroup] = [:]
        if let nameIndex = index.nameIndex(name) {
            for (value, offset) in index.values(ofName: nameIndex) {
                var group = BlockGroup(hashes: [], lastTimestamp: Int64.min)
                for id in index.postings(at: offset) {
                    group.hashes.append(index.seriesHash(id))
                    if let last = index.chunks(of: id).last { group.lastTimestamp = max(group.lastTimestamp, last.maxTime) }
                }
                groups[index.symbol(value)] = group
            }
        }
        groupCache.withLock { $0[name] = groups }
        return groups
    }
}

/// The series of one label value in one block, for `Storage.summarize`.
struct BlockGroup: Sendable {
    var hashes: [UInt64]
    var lastTimestamp: Int64
}

extension Block: PostingsSource {
    func postingsList(_ name: String, include: (String) -> Bool) -> [UInt32] {
        guard let nameIndex = index.nameIndex(name) else { return [] }
        var lists: [[UInt32]] = []
        for (value, offset) in index.values(ofName: nameIndex) where include(index.symbol(value)) {
            lists.append(index.postings(at: offset))
        }
        return PostingsLists.union(lists)
    }

    func postingsList(_ name: String, equalTo value: String) -> [UInt32] {
        guard let nameIndex = index.nameIndex(name), let ref = index.symbolRef(value),
              let offset = index.postingsOffset(ofName: nameIndex, value: ref) else { return [] }
        return index.postings(at: offset)
    }
}
