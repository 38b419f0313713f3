import Synchronization

/// One shard of the head: a lock around its `ShardState`.
final class Shard: Sendable {
    let state: Mutex<ShardState>

    init(chunkFiles: HeadChunkFiles) {
        state = Mutex(ShardState(chunkFiles: chunkFiles))
    }
}
