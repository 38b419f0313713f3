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
        try await append(labels: series.map(\.labels), samples: PackedSamples(series), idempotencyKey: idempotencyKey).outcome
    }

    /// Appends a batch given as each series' labels and its run of `samples` (same count,
    /// same order), with the same contract as `append(_:idempotencyKey:)`. Also returns where
    /// the batch's series now sit in the head, for `append(placement:samples:idempotencyKey:)`
    /// with later batches of the same series; nil for a duplicate batch or one with an empty run.
    public func append(
        labels: [Labels], samples: PackedSamples, idempotencyKey: IdempotencyKey? = nil
    ) async throws(StorageError) -> (outcome: AppendOutcome, placement: SeriesPlacement?) {
        let routing = try AppendRouting(labels: labels, samples: samples, shardCount: shards.count, limits: options)
        let (outcome, ticket, placement) = try appendState.withLock { state throws(StorageError) in
            try apply(.labels(labels), samples, routing: routing, key: idempotencyKey, state: &state)
        }!
        try await wal.waitDurable(ticket)
        return (outcome, placement)
    }

    /// Appends a batch of the series a placement describes, in its order: `samples` has one
    /// run per position, `placement.seriesCount` in all. Same contract as `append(labels:...)`,
    /// but without creating series or checking labels. Returns nil, having appended nothing,
    /// when the placement is stale (the head renumbered its series since) or from another
    /// store; append with labels then.
    public func append(
        placement: SeriesPlacement, samples: PackedSamples, idempotencyKey: IdempotencyKey? = nil
    ) async throws(StorageError) -> AppendOutcome? {
        precondition(placement.seriesCount == samples.seriesCount,
                     "bug: a placement of \(placement.seriesCount) series for \(samples.seriesCount) runs")
        guard placement.storageID == instanceID else { return nil }
        let routing = AppendRouting(placement: placement, samples: samples)
        let applied = try appendState.withLock { state throws(StorageError) in
            try apply(.placement(placement), samples, routing: routing, key: idempotencyKey, state: &state)
        }
        guard let (outcome, ticket, _) = applied else { return nil }
        try await wal.waitDurable(ticket)
        return outcome
    }

    /// How an append finds each position's series.
    private enum SeriesSource {
        /// By labels, creating missing series.
        case labels([Labels])
        /// By the indexes a placement recorded.
        case placement(SeriesPlacement)
    }

    /// Applies the batch to the head and queues its WAL records, all under the append lock so
    /// the WAL order is the head's order. Returns the outcome, the WAL ticket to wait for and,
    /// for `.labels`, the batch's placement; nil (nothing applied) for a stale placement.
    private func apply(
        _ source: SeriesSource, _ batch: PackedSamples, routing: AppendRouting, key: IdempotencyKey?,
        state: inout AppendState
    ) throws(StorageError) -> (AppendOutcome, UInt64, SeriesPlacement?)? {
        if state.closed {
            throw StorageError(.closed, "the store was closed; open it again to append")
        }
        if let failure = wal.failed { throw failure }
        if case .placement(let placement) = source, placement.generation != state.headGeneration {
            return nil
        }
        if let key, state.idempotency.contains(key) {
            return (.duplicate, wal.currentTicket(), nil)
        }
        if case .labels(let labels) = source, let limit = options.maxSeries {
            let created = newSeriesCount(labels, routing: routing)
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
        // Taken apart once, so the loop below touches no enum payloads (no retains per series).
        let labels: [Labels]
        let placed: [UInt32]
        let isPlaced: Bool
        switch source {
        case .labels(let given): (labels, placed, isPlaced) = (given, [], false)
        case .placement(let placement): (labels, placed, isPlaced) = ([], placement.indexes, true)
        }
        var indexes = [UInt32](repeating: 0, count: labels.count)

        batch.samples.withUnsafeBufferPointer { all in
            placed.withUnsafeBufferPointer { placed in
                for shardIndex in shards.indices where routing.starts[shardIndex] < routing.starts[shardIndex + 1] {
                    shards[shardIndex].state.withLock { shard in
                        for i in routing.indexes(ofShard: shardIndex) {
                            let index: UInt32
                            if isPlaced {
                                index = placed[i]
                            } else {
                                if let found = shard.find(labels[i], hash: routing.hashes[i]) {
                                    index = found
                                } else {
                                    let ref = state.nextRef
                                    state.nextRef += 1
                                    index = shard.create(labels[i], hash: routing.hashes[i], ref: ref)
                                    WALSeriesRecord.appendEntry(ref: ref, labels: labels[i], to: &state.seriesRecord)
                                    summary.newSeries += 1
                                }
                                indexes[i] = index
                            }
                            Self.appendSamples(UnsafeBufferPointer(rebasing: all[batch.range(ofSeries: i)]), to: index,
                                               in: &shard, writer: &writer, record: &state.samplesRecord,
                                               accepted: &state.accepted, summary: &summary)
                        }
                    }
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
        var placement: SeriesPlacement?
        if !isPlaced, routing.order.count == indexes.count {
            placement = SeriesPlacement(storageID: instanceID, generation: state.headGeneration,
                                        order: routing.order, starts: routing.starts, indexes: indexes)
        }

        let hasSeries = state.seriesRecord.count > seriesFrame + WALFormat.frameHeaderBytes
        let hasSamples = state.samplesRecord.count > samplesHeaderEnd || key != nil
        guard hasSeries || hasSamples else {
            return (.appended(summary), wal.currentTicket(), placement)
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
        return (.appended(summary), wal.enqueue(state.seriesRecord, state.samplesRecord), placement)
    }

    /// Appends one series' samples to the head and the accepted ones to the samples record.
    @inline(__always)
    private static func appendSamples(
        _ samples: UnsafeBufferPointer<Sample>, to index: UInt32, in shard: inout ShardState, writer: inout WALSamplesWriter,
        record: inout [UInt8], accepted: inout [Sample], summary: inout AppendSummary
    ) {
        // The head decides first: the record states each entry's sample count before its samples.
        // Until a duplicate turns up every sample is accepted, and the record is written from
        // `samples` itself; `accepted` collects them only from the first duplicate on.
        var copying = false
        for position in samples.indices {
            let sample = samples[position]
            switch shard.append(timestamp: sample.timestamp, value: sample.value, to: index) {
            case .appended, .appendedAfterCut:
                if copying { accepted.append(sample) }
            case .outOfOrder:
                if copying { accepted.append(sample) }
                summary.outOfOrderSamples += 1
            case .duplicate:
                if !copying {
                    copying = true
                    accepted.removeAll(keepingCapacity: true)
                    accepted.append(contentsOf: samples[..<position])
                }
                summary.duplicateSamples += 1
            }
        }
        if copying {
            accepted.withUnsafeBufferPointer { kept in
                writeEntry(kept, ref: shard.series[Int(index)].ref, writer: &writer, record: &record, summary: &summary)
            }
        } else {
            writeEntry(samples, ref: shard.series[Int(index)].ref, writer: &writer, record: &record, summary: &summary)
        }
    }

    /// Writes one series' accepted samples to the samples record (nothing when there are none).
    @inline(__always)
    private static func writeEntry(
        _ kept: UnsafeBufferPointer<Sample>, ref: UInt64, writer: inout WALSamplesWriter, record: inout [UInt8],
        summary: inout AppendSummary
    ) {
        guard !kept.isEmpty else { return }
        summary.samples += kept.count
        writer.appendEntry(ref: ref, count: kept.count, into: &record)
        for sample in kept {
            writer.appendSample(timestamp: sample.timestamp, value: sample.value, into: &record)
        }
    }

    /// How many distinct series of the batch the head does not hold yet.
    private func newSeriesCount(_ labels: [Labels], routing: AppendRouting) -> Int {
        var missing = Set<Labels>()
        for shardIndex in shards.indices {
            shards[shardIndex].state.withLock { shard in
                for i in routing.indexes(ofShard: shardIndex)
                where shard.find(labels[i], hash: routing.hashes[i]) == nil {
                    missing.insert(labels[i])
                }
            }
        }
        return missing.count
    }
}
