import VigilModel

/// Writes one block directory: chunks as series are added, then the index and the meta,
/// each fsynced, under `<id>.tmp`; `finish` renames it to `<id>` and fsyncs the parent, so a
/// crash at any point leaves either no block or a complete one (docs/formats/block.md).
struct BlockWriter {
    let blocksDirectory: String
    private(set) var meta: BlockMeta
    private let temporaryPath: String
    private let sync: Bool
    private var chunks: BufferedFileWriter
    private var index = IndexWriter()
    /// Timestamp columns written so far, to share identical ones.
    private var timestampColumns: [[UInt8]: Range<Int>] = [:]

    /// Starts block `id` for the range `[rangeStart, rangeEnd)`.
    init(blocksDirectory: String, id: UInt64, rangeStart: Int64, rangeEnd: Int64,
         level: Int, parents: [UInt64], sync: Bool) throws(StorageError) {
        self.blocksDirectory = blocksDirectory
        self.sync = sync
        meta = BlockMeta(id: id, rangeStart: rangeStart, rangeEnd: rangeEnd, minTime: Int64.max, maxTime: Int64.min,
                         series: 0, samples: 0, chunks: 0, level: level, parents: parents)
        temporaryPath = blocksDirectory + "/" + BlockFormat.directoryName(id) + BlockFormat.temporarySuffix
        try Directory.removeTree(temporaryPath)
        try Directory.create(temporaryPath)
        chunks = try BufferedFileWriter(path: temporaryPath + "/" + BlockFormat.chunksFile)
        try chunks.write(BlockFormat.chunksHeader)
    }

    var isEmpty: Bool { meta.series == 0 }

    /// Adds one series. Series come in `Labels.precedes` order; samples are non-empty, in
    /// strictly increasing time order and inside the block's range.
    mutating func add(_ labels: Labels, samples: ArraySlice<Sample>) throws(StorageError) {
        precondition(!samples.isEmpty, "bug: a block series needs samples")
        precondition(samples.first!.timestamp >= meta.rangeStart && samples.last!.timestamp < meta.rangeEnd,
                     "bug: samples outside the block's range")
        var refs: [IndexFormat.ChunkRef] = []
        var start = samples.startIndex
        while start < samples.endIndex {
            let window = BlockFormat.rangeStart(samples[start].timestamp, width: BlockFormat.chunkWindow)
            var end = start + 1
            while end < samples.endIndex, end - start < BlockFormat.samplesPerChunk,
                  BlockFormat.rangeStart(samples[end].timestamp, width: BlockFormat.chunkWindow) == window {
                end += 1
            }
            let part = samples[start..<end]
            let timestampColumn = BlockColumns.encodeTimestamps(part)
            let timestamps: Range<Int>
            if let shared = timestampColumns[timestampColumn] {
                timestamps = shared
            } else {
                timestamps = try writeColumn(timestampColumn)
                timestampColumns[timestampColumn] = timestamps
            }
            let values = try writeColumn(BlockColumns.encodeValues(part))
            refs.append(IndexFormat.ChunkRef(minTime: part.first!.timestamp, maxTime: part.last!.timestamp,
                                             count: part.count, timestamps: timestamps, values: values))
            start = end
        }
        index.add(labels, chunks: refs)
        meta.series += 1
        meta.samples += samples.count
        meta.chunks += refs.count
        meta.minTime = min(meta.minTime, samples.first!.timestamp)
        meta.maxTime = max(meta.maxTime, samples.last!.timestamp)
    }

    /// Appends a column and its CRC to the chunks file; returns where the column lies.
    private mutating func writeColumn(_ bytes: [UInt8]) throws(StorageError) -> Range<Int> {
        let start = chunks.offset
        try chunks.write(bytes)
        var crc: [UInt8] = []
        crc.appendUInt32LE(bytes.withUnsafeBytes { WALFormat.crc32($0) })
        try chunks.write(crc)
        return start..<(start + bytes.count)
    }

    /// Writes index and meta, renames the directory into place and opens the block.
    /// The writer must hold at least one series.
    mutating func finish() throws(StorageError) -> Block {
        precondition(!isEmpty, "bug: finishing an empty block")
        try chunks.finish(sync: sync)
        try write(try index.encoded(path: temporaryPath + "/" + BlockFormat.indexFile), to: BlockFormat.indexFile)
        try write(meta.encoded(), to: BlockFormat.metaFile)
        if sync { try Directory.sync(temporaryPath) }
        let finalPath = blocksDirectory + "/" + BlockFormat.directoryName(meta.id)
        try Directory.rename(temporaryPath, to: finalPath)
        if sync { try Directory.sync(blocksDirectory) }
        return try Block(path: finalPath)
    }

    /// Drops the unfinished block's files.
    mutating func abandon() {
        chunks.abandon()
        try? Directory.removeTree(temporaryPath)
    }

    private func write(_ bytes: [UInt8], to name: String) throws(StorageError) {
        var file = try BufferedFileWriter(path: temporaryPath + "/" + name)
        try file.write(bytes)
        try file.finish(sync: sync)
    }
}
