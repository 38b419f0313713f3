#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// The collector's time-series store: a sharded in-memory head of compressed chunks, made
/// durable by one write-ahead log with group commit.
///
/// Layout of `directory`: `LOCK` (held while open) and `wal/` with numbered segments
/// (docs/formats/wal.md). Appends are serialized in one short critical section, so the WAL
/// holds records in exactly the order the head applied them and replay rebuilds the same
/// head; reads lock one shard at a time and run alongside appends. The fsync itself runs on
/// the WAL writer's thread while appenders wait without blocking a thread.
public final class Storage: Sendable {
    let options: StorageOptions
    let shards: [Shard]
    let wal: WALWriter
    let appendState: Mutex<AppendState>
    public let replayReport: ReplayReport

    /// State only appenders touch, under `appendState`'s lock.
    struct AppendState {
        var closed = false
        var nextRef: UInt64
        var seriesCount: Int
        var idempotency: IdempotencyWindows
        let lockFile: POSIXFile
        /// Scratch buffers for the records of one append, reused to avoid allocation.
        var seriesRecord: [UInt8] = []
        var samplesRecord: [UInt8] = []
    }

    private init(options: StorageOptions, shards: [Shard], wal: WALWriter,
                 appendState: AppendState, replayReport: ReplayReport) {
        self.options = options
        self.shards = shards
        self.wal = wal
        self.appendState = Mutex(appendState)
        self.replayReport = replayReport
    }

    deinit {
        close()
    }

    /// Opens or creates the store in `directory` (creates it), replaying the WAL.
    ///
    /// Throws `.locked` when the store is open elsewhere, `.corruptWAL` when the WAL is damaged
    /// anywhere but in the tail of its last segment (a damaged tail is cut and reported in
    /// `replayReport.tornTail`), `.io` when a file system call fails.
    public static func open(directory: String, options: StorageOptions = .init()) throws(StorageError) -> Storage {
        let walDirectory = directory + "/wal"
        try Directory.create(walDirectory)
        let lockFile = try Directory.lock(directory + "/LOCK")
        do throws(StorageError) {
            let started = monotonicSeconds()
            let shards = (0..<options.shards).map { _ in Shard() }
            var replay = HeadReplay(shards: shards)
            let outcome = try WALReader.read(directory: walDirectory) { type, payload, path, offset throws(StorageError) in
                try replay.apply(type, payload, path: path, offset: offset)
            }
            let wal = try WALWriter(directory: walDirectory, last: outcome.last, existingBytes: outcome.bytes,
                                    segmentBytes: options.walSegmentBytes, fsync: options.fsync)
            let report = ReplayReport(records: replay.records, series: replay.seriesCount, samples: replay.samples,
                                      tornTail: outcome.tornTail, seconds: monotonicSeconds() - started)
            let state = AppendState(nextRef: replay.nextRef, seriesCount: replay.seriesCount,
                                    idempotency: replay.idempotency, lockFile: lockFile)
            let storage = Storage(options: options, shards: shards, wal: wal, appendState: state, replayReport: report)
            wal.start()
            return storage
        } catch {
            lockFile.close()
            throw error
        }
    }

    /// Stops the WAL writer after flushing; further appends throw `.closed`. Reads keep working
    /// on the in-memory head. Calling it again does nothing.
    public func close() {
        let lockFile: POSIXFile? = appendState.withLock { state in
            guard !state.closed else { return nil }
            state.closed = true
            return state.lockFile
        }
        guard let lockFile else { return }
        wal.close()
        lockFile.close()
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
