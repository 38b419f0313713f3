extension Storage {
    /// Removes the head chunk segments (files and heap arenas) that no head series refers to
    /// any more, after a block cut truncated the head. Runs on the maintenance thread.
    ///
    /// Exact without stopping appends: only sealed segments are candidates, and a sealed
    /// segment never gets new chunks, so once the walk has not seen one in any series none will
    /// refer to it again. Truncation and `removeEmptySeries` run on this thread too, so the
    /// indexes walked in steps stay valid; appends only add series and chunks, which go to the
    /// segments being written. Each step copies a few thousand series' chunk refs with the
    /// registry under the shard lock, so appends wait only briefly, and walks their chunk
    /// headers outside it. Readers that took a registry before the removal keep reading the
    /// segments it holds: a file's name is what this frees, its space follows when the last
    /// such registry goes. (A segment removed while a series still referred to it would be a
    /// bug, which the next read of that series reports: `HeadChunkRegistry` traps.)
    func removeUnusedHeadChunkFiles() {
        let sealed = headChunks.sealedSegments()
        guard !sealed.isEmpty else { return }
        var used = Set<UInt32>()
        for shard in shards {
            var start = 0
            var finished = false
            while !finished {
                let (chains, chunks) = shard.state.withLock { state in
                    let end = min(start + 4096, state.series.count)
                    let chains = state.series[start..<end].map { ($0.newestChunk, Int($0.cutChunkCount)) }
                    start = end
                    finished = end == state.series.count
                    return (chains, state.chunkFiles.registry)
                }
                for (newest, count) in chains {
                    var last: UInt32 = 0
                    let damaged = chunks.walk(from: newest, count: count) { ref, _ in
                        if ref.segment != last {
                            last = ref.segment
                            used.insert(last)
                        }
                        return true
                    }
                    // Reads of the series resolve the damaged chunk's ref before they stop.
                    if let damaged { used.insert(damaged.segment) }
                }
            }
        }
        headChunks.remove(sealed.filter { !used.contains($0) })
    }
}
