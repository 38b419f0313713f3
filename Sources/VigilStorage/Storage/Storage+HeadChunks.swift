extension Storage {
    /// Deletes the head chunk files that no head series refers to any more, after a block cut
    /// truncated the head. Runs on the maintenance thread.
    ///
    /// Exact without stopping appends: only sealed files are candidates, and a sealed file
    /// never gets new chunks, so once the walk has not seen one in any series none will refer
    /// to it again. Truncation and `removeEmptySeries` run on this thread too, so the indexes
    /// walked in steps stay valid; appends only add series, whose chunks go to the file being
    /// written. Should a file go too early all the same, its mapping keeps the refs readable:
    /// a file's name is what this frees, its space follows when the last ref goes.
    func removeUnusedHeadChunkFiles() {
        let sealed = headChunks.sealedSegments()
        guard !sealed.isEmpty else { return }
        var used = Set<UInt32>()
        for shard in shards {
            var start = 0
            var finished = false
            // A few thousand series per lock, so appends to the shard wait only briefly.
            while !finished {
                shard.state.withLock { state in
                    let end = min(start + 4096, state.series.count)
                    var last: UInt32 = 0
                    for index in start..<end {
                        for chunk in state.series[index].chunks where chunk.segment.id != last {
                            last = chunk.segment.id
                            used.insert(last)
                        }
                    }
                    start = end
                    finished = end == state.series.count
                }
            }
        }
        headChunks.remove(sealed.filter { !used.contains($0) })
    }
}
