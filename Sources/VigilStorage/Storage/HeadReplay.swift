import VigilModel

/// Rebuilds the head, the next series ref and the idempotency windows from WAL records.
///
/// A series enters the head with its first sample, so a series record whose samples were
/// cut off with a torn tail leaves nothing behind.
struct HeadReplay {
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

    init(shards: [Shard]) {
        self.shards = shards
    }

    mutating func apply(_ type: WALRecordType, _ payload: UnsafeRawBufferPointer,
                        path: String, offset: Int) throws(StorageError) {
        records += 1
        switch type {
        case .series:
            let problem = try WALSeriesRecord.decode(payload) { ref, labels throws(StorageError) in
                guard refs[ref] == nil else {
                    throw Self.corrupt(path, offset, "series ref \(ref) is defined a second time")
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
                let appended = shards[shard].state.withLock { state in
                    var appended = 0
                    for _ in 0..<entry.count {
                        guard let sample = reader.nextSample() else { break }
                        switch state.append(timestamp: sample.timestamp, value: sample.value, to: index) {
                        case .appended, .appendedAfterCut: appended += 1
                        case .duplicate, .outOfOrder: break
                        }
                    }
                    return appended
                }
                samples += appended
            }
            if let problem = reader.malformed { throw Self.corrupt(path, offset, problem) }
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
        StorageError(.corruptWAL, "WAL segment \(path): record at byte offset \(offset) has a valid CRC but "
            + "cannot be replayed: \(problem). This is a bug in the writer; keep the segment for a report "
            + "and move it and the later segments out of the WAL directory to open the store")
    }
}
