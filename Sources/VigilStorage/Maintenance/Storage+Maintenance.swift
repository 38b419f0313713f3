extension Storage {
    /// Persists the whole head to blocks now (every sample appended before the call), then
    /// checkpoints the WAL; for an admin endpoint and for measuring sizes. Compaction follows
    /// in the background (or call `compact()`).
    ///
    /// Runs on the maintenance thread after whatever it is doing. Throws `.closed` when the
    /// store is closed first, `.io` when writing fails (the head is then untouched).
    public func flush() async throws(StorageError) {
        try checkOpen()
        try await maintenance.run { [self] () throws(StorageError) in
            let newest = appendState.withLock { $0.maxTimestamp }
            guard newest > Int64.min else { return }
            try persistHead(through: newest)
            maintenanceState.withLock { state in
                let end = BlockFormat.rangeEnd(BlockFormat.rangeStart(newest, width: options.blockRange), width: options.blockRange)
                state.cutBoundary = max(state.cutBoundary, end)
            }
        }
        // The flush may have left neighbours to merge: let the background pass compact them.
        if options.backgroundMaintenance { maintenance.requestPass() }
    }

    /// Does now what background maintenance does: cuts the block ranges that are due, applies
    /// retention and merges blocks (overlapping ones, then complete windows of larger ranges).
    /// Returns when done. Same errors as `flush`.
    public func compact() async throws(StorageError) {
        try checkOpen()
        try await maintenance.run { [self] () throws(StorageError) in try maintenancePass() }
    }

    /// Starts the maintenance thread; with background maintenance on, asks for a first pass
    /// (to cut a replayed head that is already due and to compact what the last run left).
    func startMaintenance() {
        maintenance.start { [weak self] in
            guard let self else { return }
            do throws(StorageError) {
                try self.maintenancePass()
                self.maintenanceState.withLock { $0.lastError = nil }
            } catch {
                self.maintenanceState.withLock { $0.lastError = error }
            }
        }
        if options.backgroundMaintenance { maintenance.requestPass() }
    }

    /// Cuts due ranges, applies retention (so doomed blocks are not compacted first), compacts.
    ///
    /// A range is due once the newest sample is half a block range past its end (so samples
    /// a little late still land in the head, as in Prometheus). After a cut the next one is
    /// requested by the append that reaches the following threshold.
    func maintenancePass() throws(StorageError) {
        let range = options.blockRange
        while true {
            let newest = appendState.withLock { $0.maxTimestamp }
            guard newest > Int64.min else { break }
            let boundary = BlockFormat.rangeStart(newest &- range / 2, width: range)
            let previous = maintenanceState.withLock { $0.cutBoundary }
            let cut = boundary > previous && boundary > Int64.min
            if cut {
                try persistHead(through: boundary - 1)
                maintenanceState.withLock { $0.cutBoundary = boundary }
            }
            let next = BlockFormat.rangeEnd(max(boundary, previous), width: range)
            nextCutAt.store(BlockFormat.rangeEnd(next, width: range / 2), ordering: .relaxed)
            // An append may have passed the new threshold before it was stored.
            if !cut || appendState.withLock({ $0.maxTimestamp }) < nextCutAt.load(ordering: .relaxed) { break }
        }
        try applyRetention()
        try compactBlocks()
    }

    private func checkOpen() throws(StorageError) {
        if appendState.withLock({ $0.closed }) {
            throw StorageError(.closed, "the store was closed; open it again to flush or compact")
        }
    }
}
