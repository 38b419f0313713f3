#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// The collector's time-series store: a sharded in-memory head of compressed chunks, made
/// durable by one write-ahead log with group commit, cut into immutable blocks on disk.
///
/// Layout of `directory`: `LOCK` (held while open), `wal/` with numbered segments and at most
/// one checkpoint (docs/formats/wal.md), `blocks/` with one directory per block
/// (docs/formats/block.md, index.md), and `chunks_head/` with the head's cut chunks, mapped
/// and rebuilt from the WAL at every open (docs/formats/head-chunks.md). Appends are
/// serialized in one short critical section, so the WAL holds records in exactly the order
/// the head applied them and replay rebuilds the same head; reads lock one shard at a time
/// and run alongside appends, merging the head with the blocks. The fsync runs on the WAL
/// writer's thread; block cuts, checkpoints, compaction and retention run on the maintenance
/// thread. Neither blocks appends or reads for longer than a shard lock.
public final class Storage: Sendable {
    let options: StorageOptions
    let shards: [Shard]
    let headChunks: HeadChunkFiles
    let wal: WALWriter
    let appendState: SleepingMutex<AppendState>
    let blocks: BlockSet
    let blocksDirectory: String
    let maintenance: MaintenanceWorker
    let maintenanceState: Mutex<MaintenanceState>
    /// An append whose newest sample reaches this asks the maintenance thread for a pass.
    let nextCutAt: Atomic<Int64>
    public let replayReport: ReplayReport
    /// Unique per instance in this process; placements carry it.
    let instanceID: UInt64

    /// State only appenders touch, under `appendState`'s lock.
    struct AppendState {
        var closed = false
        var nextRef: UInt64
        var seriesCount: Int
        var idempotency: IdempotencyWindows
        /// The newest timestamp appended to the head.
        var maxTimestamp: Int64
        /// Changes whenever shards are renumbered (series removed), which makes every
        /// `SeriesPlacement` made before stale.
        var headGeneration: UInt64 = 0
        let lockFile: POSIXFile
        /// Scratch buffers for the records of one append, reused to avoid allocation.
        var seriesRecord: [UInt8] = []
        var samplesRecord: [UInt8] = []
        var accepted: [Sample] = []
    }

    /// State of the maintenance thread (only it changes it; others read it).
    struct MaintenanceState {
        var nextBlockID: UInt64
        /// Samples before this were cut into blocks by the last cut: block ranges ending at or
        /// before it are complete, and compaction may merge them.
        var cutBoundary: Int64
        /// The last automatic maintenance failure, cleared by the next success.
        var lastError: StorageError?
    }

    private init(options: StorageOptions, directory: String, shards: [Shard], headChunks: HeadChunkFiles, wal: WALWriter,
                 appendState: AppendState, blocks: BlockSet, maintenanceState: MaintenanceState,
                 replayReport: ReplayReport) {
        self.options = options
        self.shards = shards
        self.headChunks = headChunks
        self.wal = wal
        self.appendState = SleepingMutex(appendState)
        self.blocks = blocks
        self.blocksDirectory = directory + "/blocks"
        self.maintenance = MaintenanceWorker()
        self.maintenanceState = Mutex(maintenanceState)
        self.nextCutAt = Atomic(Int64.min)
        self.replayReport = replayReport
        self.instanceID = storageInstances.add(1, ordering: .relaxed).newValue
    }

    deinit {
        close()
    }

    /// Opens or creates the store in `directory` (creates it): opens the blocks, clears the
    /// head chunk files, replays the WAL's checkpoint and segments into the head (writing its
    /// full chunks to new head chunk files), starts the WAL writer and maintenance.
    ///
    /// Throws `.locked` when the store is open elsewhere, `.corruptWAL` when the WAL is damaged
    /// anywhere but in the tail of its last segment (a damaged tail is cut and reported in
    /// `replayReport.tornTail`), `.corruptBlock` when a block fails its checks, `.io` when a
    /// file system call fails. Leftovers of interrupted block writes, compactions and
    /// deletions are removed (listed in `replayReport.removedLeftovers`).
    public static func open(directory: String, options: StorageOptions = .init()) throws(StorageError) -> Storage {
        try open(directory: directory, options: options, headChunkIO: POSIXHeadChunkIO())
    }

    /// `open`, with the call that writes head chunks given (tests make it fail).
    static func open(directory: String, options: StorageOptions, headChunkIO: any HeadChunkIO) throws(StorageError) -> Storage {
        let walDirectory = directory + "/wal"
        try Directory.create(walDirectory)
        let lockFile = try Directory.lock(directory + "/LOCK")
        do throws(StorageError) {
            let started = monotonicSeconds()
            let opened = try BlockDirectory.open(directory + "/blocks")
            let headChunks = try HeadChunkFiles(directory: directory + "/" + HeadChunkFormat.directoryName,
                                                segmentBytes: options.headChunkSegmentBytes, io: headChunkIO)
            let shards = (0..<options.shards).map { _ in Shard(chunkFiles: headChunks) }
            var replay = HeadReplay(shards: shards)
            let outcome = try WALReader.read(directory: walDirectory) { type, payload, path, offset throws(StorageError) in
                try replay.apply(type, payload, path: path, offset: offset)
            }
            let wal = try WALWriter(directory: walDirectory, last: outcome.last, firstIndex: outcome.firstIndex,
                                    existingBytes: outcome.bytes, segmentBytes: options.walSegmentBytes, fsync: options.fsync)
            let report = ReplayReport(records: replay.records, series: replay.seriesCount, samples: replay.samples,
                                      tornTail: outcome.tornTail, seconds: monotonicSeconds() - started,
                                      blocks: opened.blocks.count, removedLeftovers: opened.removed)
            let state = AppendState(nextRef: replay.nextRef, seriesCount: replay.seriesCount,
                                    idempotency: replay.idempotency, maxTimestamp: replay.maxTimestamp, lockFile: lockFile)
            let cutBoundary = opened.blocks.map(\.meta.rangeEnd).max() ?? Int64.min
            let storage = Storage(options: options, directory: directory, shards: shards, headChunks: headChunks,
                                  wal: wal, appendState: state,
                                  blocks: BlockSet(opened.blocks),
                                  maintenanceState: MaintenanceState(nextBlockID: opened.nextID, cutBoundary: cutBoundary),
                                  replayReport: report)
            wal.start()
            storage.startMaintenance()
            return storage
        } catch {
            lockFile.close()
            throw error
        }
    }

    /// Stops maintenance (a running cut or compaction finishes first; queued `flush` and
    /// `compact` calls throw `.closed`), then the WAL writer after flushing; further appends
    /// throw `.closed`. Reads keep working on the head and blocks; the head chunk files stay
    /// until the next open clears them. Calling it again does nothing.
    public func close() {
        let lockFile: POSIXFile? = appendState.withLock { state in
            guard !state.closed else { return nil }
            state.closed = true
            return state.lockFile
        }
        guard let lockFile else { return }
        maintenance.close()
        wal.close()
        headChunks.close()
        lockFile.close()
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
