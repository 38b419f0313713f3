import VigilModel

/// Rebuilds the head, the next series ref and the idempotency windows from WAL records:
/// a checkpoint's, then those of the segments after it.
///
/// A series enters the head with its first sample, so a series record whose samples were
/// cut off with a torn tail leaves nothing behind. A checkpoint may repeat series and samples
/// that the first segment after it also holds (it is written while appends continue): a ref
/// defined again with the same labels is accepted, and a repeated sample is a duplicate.
struct HeadReplay {
    /// A series ref's labels until its first sample places it; then where it is (the shard
    /// keeps the labels, so replay does not hold a second copy of every series' labels).
    private enum Known {
        case pending(Labels)
        case placed(shard: Int, index: UInt32)
    }

    private let shards: [Shard]
    private var refs: [UInt64: Known] = [:]
    private(set) var nextRef: UInt64 = 1
    private(set) var idempotency = IdempotencyWindows()
    private(set) var records = 0
    private(set) var samples = 0
    private(set) var seriesCount = 0
    /// The newest timestamp of any sample applied.
    private(set) var maxTimestamp = Int64.min

    init(shards: [Shard]) {
        self.shards = shards
    }

    mutating func apply(_ type: WALRecordType, _ payload: UnsafeRawBufferPointer,
                        path: String, offset: Int) throws(StorageError) {
        records += 1
        switch type {
        case .series:
            let problem = try WALSeriesRecord.decode(payload) { ref, labels throws(StorageError) in
                if let known = refs[ref] {
                    let same = switch known {
                    case .pending(let earlier): earlier == labels
                    case .placed(let shard, let index): shards[shard].state.withLock { $0.hasLabels(labels, at: index) }
                    }
                    guard same else {
                        throw Self.corrupt(path, offset, "series ref \(ref) is defined a second time with other labels")
                    }
                    return
                }
                refs[ref] = .pending(labels)
                nextRef = max(nextRef, ref &+ 1)
            }
            if let problem { throw Self.corrupt(path, offset, problem) }
        case .samples:
            var reader = WALSamplesReader(payload)
            if let key = reader.key { idempotency.insert(key) }
            while let entry = reader.nextEntry() {
                let (shard, index) = try place(entry.ref, path: path, offset: offset)
                let (appended, newest) = shards[shard].state.withLock { state in
                    var appended = 0
                    var newest = Int64.min
                    for _ in 0..<entry.count {
                        guard let sample = reader.nextSample() else { break }
                        if state.append(timestamp: sample.timestamp, value: sample.value, to: index) != .duplicate {
                            appended += 1
                            newest = max(newest, sample.timestamp)
                        }
                    }
                    return (appended, newest)
                }
                samples += appended
                maxTimestamp = max(maxTimestamp, newest)
            }
            if let problem = reader.malformed { throw Self.corrupt(path, offset, problem) }
        case .idempotency:
            let problem = WALIdempotencyRecord.decode(payload) { producer, window in
                idempotency.restore(producer, window)
            }
            if let problem { throw Self.corrupt(path, offset, problem) }
        }
    }

    private mutating func place(_ ref: UInt64, path: String, offset: Int) throws(StorageError) -> (Int, UInt32) {
        switch refs[ref] {
        case .placed(let shard, let index):
            return (shard, index)
        case .pending(let labels):
            let hash = labels.stableHash
            let shard = Int(hash % UInt64(shards.count))
            let (index, created) = shards[shard].state.withLock { state in
                if let found = state.find(labels, hash: hash) { return (found, false) }
                return (state.create(labels, hash: hash, ref: ref), true)
            }
            if created { seriesCount += 1 }
            refs[ref] = .placed(shard: shard, index: index)
            return (shard, index)
        case nil:
            throw Self.corrupt(path, offset, "samples for series ref \(ref), which no earlier series record defines")
        }
    }

    private static func corrupt(_ path: String, _ offset: Int, _ problem: String) -> StorageError {
        StorageError(.corruptWAL, "WAL file \(path): record at byte offset \(offset) has a valid CRC but "
            + "cannot be replayed: \(problem). This is a bug in the writer; keep the file for a report "
            + "and move it and the later segments out of the WAL directory to open the store")
    }
}
