import Hummingbird
import Logging
import Metrics
import VigilModel
import VigilStorage
import VigilWire

/// POST /api/v1/ingest: one compressed batch from an agent.
///
/// Contract with agents (docs/formats/batch.md): the body is a zlib stream
/// (`Content-Encoding: deflate`) of one batch. The reply is 204 only once the batch is
/// durable in the WAL; a batch whose (agent id, sequence) was already stored also gets 204
/// and is not stored twice. 400 (malformed), 401 (token), 413 (over a limit) and 415
/// (encoding) mean "do not retry"; 503 means "retry later".
///
/// An agent's batches usually repeat its previous batch's label tables byte for byte; those
/// are appended through the placement `placements` kept for the agent, without decoding the
/// labels again (SeriesPlacementCache).
struct IngestEndpoint: Sendable {
    let storage: Storage
    let placements: SeriesPlacementCache
    let access: AccessPolicy
    let limits: WireLimits
    let metrics: CollectorMetrics
    let logger: Logger

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .ingest)
        let encoding = request.headers[.contentEncoding]?.lowercased() ?? "identity"
        guard encoding == "deflate" || encoding == "identity" else {
            metrics.batchesRejected.increment()
            throw HTTPError(.unsupportedMediaType, message: "Content-Encoding \(encoding) is not supported; send deflate (zlib) or identity")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxCompressedBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            metrics.batchesRejected.increment()
            throw HTTPError(.contentTooLarge, message: "batch body is over the limit of \(limits.maxCompressedBytes) bytes")
        }
        metrics.compressedBytes.increment(by: body.readableBytes)

        let batch: DecodedBatch
        var cached: SeriesPlacementCache.Entry?
        do {
            let known: (String) -> BatchLabelTables? = { agent in
                cached = placements.entry(for: agent)
                return cached?.tables
            }
            batch = try body.withUnsafeReadableBytes { bytes throws(WireError) in
                guard encoding == "deflate" else {
                    metrics.inflatedBytes.increment(by: bytes.count)
                    return try BatchCodec.decode(bytes, limits: limits, known: known)
                }
                return try Zlib.withInflated(bytes, maxOutputBytes: limits.maxInflatedBytes) { payload throws(WireError) in
                    metrics.inflatedBytes.increment(by: payload.count)
                    return try BatchCodec.decode(payload, limits: limits, known: known)
                }
            }
        } catch {
            metrics.batchesRejected.increment()
            logger.notice("rejected batch", metadata: ["reason": "\(error)", "bytes": "\(body.readableBytes)"])
            throw HTTPError(error.isTooLarge ? .contentTooLarge : .badRequest, message: "invalid batch: \(error)")
        }

        let started = ContinuousClock.now
        let outcome: AppendOutcome
        do {
            outcome = try await store(batch, cached: cached)
        } catch {
            metrics.batchesFailed.increment()
            logger.error("could not store batch", metadata: ["agent": "\(batch.agentID)", "error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "batch not stored: \(error)")
        }
        metrics.durableLatency.recordElapsed(since: started)
        switch outcome {
        case .duplicate:
            metrics.batchesDuplicate.increment()
        case .appended(let summary):
            metrics.batchesAccepted.increment()
            metrics.samples.increment(by: summary.samples)
            if summary.outOfOrderSamples > 0 { metrics.outOfOrderSamples.increment(by: summary.outOfOrderSamples) }
            if summary.duplicateSamples > 0 { metrics.duplicateSamples.increment(by: summary.duplicateSamples) }
        }
        return Response(status: .noContent)
    }

    /// Appends through the cached placement when the batch's tables matched it, and by labels
    /// otherwise (or when the placement went stale), caching the placement that returns.
    private func store(_ batch: DecodedBatch, cached: SeriesPlacementCache.Entry?) async throws -> AppendOutcome {
        let key = IdempotencyKey(producer: batch.agentID, sequence: batch.sequence)
        let labels: [Labels]
        if let decoded = batch.labels {
            metrics.placementMisses.increment()
            labels = decoded
        } else {
            // The tables matched `cached`: the decoder only skips tables it was given.
            let entry = cached!
            if let outcome = try await storage.append(placement: entry.placement, samples: batch.samples, idempotencyKey: key) {
                metrics.placementHits.increment()
                return outcome
            }
            metrics.placementStale.increment()
            do {
                labels = try entry.tables.labels(limits: limits)
            } catch {
                // Cannot happen for tables that decoded before; forgetting them makes the
                // retry decode the batch in full rather than fail the same way again.
                placements.forget(batch.agentID)
                throw error
            }
        }
        let (outcome, placement) = try await storage.append(labels: labels, samples: batch.samples, idempotencyKey: key)
        if let placement, let tables = batch.labelTables {
            placements.store(.init(tables: tables, placement: placement), for: batch.agentID)
        } else if cached != nil {
            placements.forget(batch.agentID)
        }
        return outcome
    }
}

extension Timer {
    func recordElapsed(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
