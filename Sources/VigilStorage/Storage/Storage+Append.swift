import VigilModel

extension Storage {
    /// Appends a batch; durable once this returns (WAL fsynced, shared with concurrent appends).
    ///
    /// Samples may come in any order and older than what the series holds (backfill): an
    /// older sample is stored among the series' out-of-order samples and counted as such; a
    /// sample at a timestamp its series already has in the head is dropped and counted as a
    /// duplicate. With an `idempotencyKey` already stored (within the producer's
    /// window of 4096 recent sequences) nothing is appended and `.duplicate` returned once
    /// the earlier batch is durable. The batch is all or nothing: a `.seriesLimit`,
    /// `.labelLimit` or `.invalidSeries` error appends nothing, and replay restores all of it or none of it.
    /// Cancelling the task does not undo the append; the call still waits for durability.
    public func append(
        _ series: [SeriesSamples], idempotencyKey: IdempotencyKey? = nil
    ) async throws(StorageError) -> AppendOutcome {
        let routing = try AppendRouting(series, shardCount: shards.count, limits: options)
        let (outcome, ticket) = try appendState.withLock { state throws(StorageError) in
            try apply(series, routing: routing, key: idempotencyKey, state: &state)
        }
        try await wal.waitDurable(ticket)
        return outcome
    }

    /// Applies the batch to the head and queues its WAL records, all under the append lock so
    /// the WAL order is the head's order. Returns the outcome and the WAL ticket to wait for.
    private func apply(
        _ batch: [SeriesSamples], routing: AppendRouting, key: IdempotencyKey?, state: inout AppendState
    ) throws(StorageError) -> (AppendOutcome, UInt64) {
        if state.closed {
            throw StorageError(.closed, "the store was closed; open it again to append")
        }
        if let failure = wal.failed { throw failure }
        if let key, state.idempotency.contains(key) {
            return (.duplicate, wal.currentTicket())
        }
        if let limit = options.maxSeries {
            let created = newSeriesCount(batch, routing: routing)
            if state.seriesCount + created > limit {
                throw StorageError(.seriesLimit,
                    "the batch would create \(created) new series but the store already holds "
                    + "\(state.seriesCount) of at most \(limit) (maxSeries); nothing from this batch was appended. "
                    + "Raise maxSeries or drop high-cardinality labels")
            }
        }

        state.seriesRecord.removeAll(keepingCapacity: true)
        state.samplesRecord.removeAll(keepingCapacity: true)
        let seriesFrame = state.seriesRecord.beginWALFrame()
        let samplesFrame = state.samplesRecord.beginWALFrame()
        var writer = WALSamplesWriter(key: key, baseTimestamp: routing.baseTimestamp, into: &state.samplesRecord)
        let samplesHeaderEnd = state.samplesRecord.count
        var summary = AppendSummary()

        for shardIndex in shards.indices where routing.starts[shardIndex] < routing.starts[shardIndex + 1] {
            shards[shardIndex].state.withLock { shard in
                for i in routing.indexes(ofShard: shardIndex) {
                    let index: UInt32
                    if let found = shard.find(batch[i].labels, hash: routing.hashes[i]) {
                        index = found
                    } else {
                        let ref = state.nextRef
                        state.nextRef += 1
                        index = shard.create(batch[i].labels, hash: routing.hashes[i], ref: ref)
                        WALSeriesRecord.appendEntry(ref: ref, labels: shard.series[Int(index)].labels,
                                                    to: &state.seriesRecord)
                        summary.newSeries += 1
                    }
                    Self.appendSamples(batch[i].samples, to: index, in: &shard, writer: &writer,
                                       record: &state.samplesRecord, accepted: &state.accepted, summary: &summary)
                }
            }
        }
        state.seriesCount += summary.newSeries
        if let key { state.idempotency.insert(key) }
        if routing.maxTimestamp > state.maxTimestamp {
            state.maxTimestamp = routing.maxTimestamp
            if routing.maxTimestamp >= nextCutAt.load(ordering: .relaxed), options.backgroundMaintenance {
                maintenance.requestPass()
            }
        }

        let hasSeries = state.seriesRecord.count > seriesFrame + WALFormat.frameHeaderBytes
        let hasSamples = state.samplesRecord.count > samplesHeaderEnd || key != nil
        guard hasSeries || hasSamples else {
            return (.appended(summary), wal.currentTicket())
        }
        if hasSeries {
            state.seriesRecord.finishWALFrame(at: seriesFrame, type: .series)
        } else {
            state.seriesRecord.removeAll(keepingCapacity: true)
        }
        if hasSamples {
            state.samplesRecord.finishWALFrame(at: samplesFrame, type: .samples)
        } else {
            state.samplesRecord.removeAll(keepingCapacity: true)
        }
        return (.appended(summary), wal.enqueue(state.seriesRecord, state.samplesRecord))
    }

    /// Appends one series' samples to the head and the accepted ones to the samples record.
    @inline(__always)
    private static func appendSamples(
        _ samples: [Sample], to index: UInt32, in shard: inout ShardState, writer: inout WALSamplesWriter,
        record: inout [UInt8], accepted: inout [Sample], summary: inout AppendSummary
    ) {
        // The head decides first: the record states each entry's sample count before its samples.
        accepted.removeAll(keepingCapacity: true)
        for sample in samples {
            switch shard.append(timestamp: sample.timestamp, value: sample.value, to: index) {
            case .appended, .appendedAfterCut:
                accepted.append(sample)
            case .outOfOrder:
                accepted.append(sample)
                summary.outOfOrderSamples += 1
            case .duplicate:
                summary.duplicateSamples += 1
            }
        }
        guard !accepted.isEmpty else { return }
        summary.samples += accepted.count
        writer.appendEntry(ref: shard.series[Int(index)].ref, count: accepted.count, into: &record)
        for sample in accepted {
            writer.appendSample(timestamp: sample.timestamp, value: sample.value, into: &record)
        }
    }

    /// How many distinct series of the batch the head does not hold yet.
    private func newSeriesCount(_ batch: [SeriesSamples], routing: AppendRouting) -> Int {
        var missing = Set<Labels>()
        for shardIndex in shards.indices {
            shards[shardIndex].state.withLock { shard in
                for i in routing.indexes(ofShard: shardIndex)
                where shard.find(batch[i].labels, hash: routing.hashes[i]) == nil {
                    missing.insert(batch[i].labels)
                }
            }
        }
        return missing.count
    }
}
