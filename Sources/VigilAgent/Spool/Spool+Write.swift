/// Appending records, syncing, starting segments and keeping the size cap. Every method
/// here runs with the lock held.
extension Spool {
    /// Writes one batch record; returns its position, or nil when it was dropped (counted, logged).
    func appendLocked(_ batch: OutgoingBatch) -> SpoolPosition? {
        record.setSpoolBatchRecord(sequence: batch.sequence, samples: batch.samples, body: batch.body)
        let size = record.count
        do {
            guard size + SpoolFormat.segmentHeaderBytes <= options.maxBytes else {
                throw SpoolError(
                    .tooLarge, path: directory.path,
                    "a batch of \(size) bytes does not fit in a spool of at most \(options.maxBytes) bytes",
                    hint: "raise [spool] max_size or lower [shipping] max_batch_samples")
            }
            try makeRoomLocked(for: size, enforcingCap: true)
            let position = try writeRecordLocked()
            pending.append(PendingBatch(
                position: position, payloadBytes: UInt32(size - SpoolFormat.recordHeaderBytes),
                samples: UInt32(clamping: batch.samples)))
            segments[segments.count - 1].pending += 1
            counters.appendedBatches += 1
            return position
        } catch {
            counters.droppedBatches += 1
            counters.droppedSamples += batch.samples
            logger.error("cannot spool a batch; dropped it", metadata: [
                "sequence": "\(batch.sequence)", "samples": "\(batch.samples)", "error": "\(error)",
                "dropped_batches": "\(counters.droppedBatches)",
            ])
            return nil
        }
    }

    /// Records that the batch at `position` needs no sending. Not synced on its own: a lost
    /// acknowledgement only means the batch is sent again after a restart, and the collector
    /// stores a repeated (agent id, sequence) once.
    func writeAckLocked(_ position: SpoolPosition) {
        record.setSpoolAckRecord(for: position)
        do {
            try makeRoomLocked(for: record.count, enforcingCap: false)
            _ = try writeRecordLocked()
        } catch {
            logger.warning("cannot record an acknowledgement; the batch will be sent again after a restart", metadata: [
                "position": "\(position)", "error": "\(error)",
            ])
        }
    }

    /// Appends `record` to the current segment; on failure cuts the segment back to its old end.
    private func writeRecordLocked() throws(SpoolError) -> SpoolPosition {
        let last = segments.count - 1
        let offset = segments[last].bytes
        do {
            try segments[last].file.write(record, at: offset)
        } catch {
            try? segments[last].file.truncate(to: offset)
            throw error
        }
        segments[last].bytes += record.count
        if unsyncedSince == nil { unsyncedSince = now() }
        return SpoolPosition(segment: segments[last].index, offset: UInt64(offset))
    }

    /// Starts a new segment when `size` more bytes would overfill the current one, and, when
    /// `enforcingCap`, drops the oldest segments until `size` more bytes fit under the cap.
    private func makeRoomLocked(for size: Int, enforcingCap: Bool) throws(SpoolError) {
        let headerBytes = SpoolFormat.segmentHeaderBytes
        if let current = segments.last, current.bytes > headerBytes, current.bytes + size > options.segmentBytes {
            try startSegmentLocked()
        }
        guard enforcingCap else { return }
        while totalBytes + size > options.maxBytes {
            if segments.count > 1 {
                dropOldestSegmentLocked()
            } else if segments[0].bytes > headerBytes {
                try startSegmentLocked()
            } else {
                break
            }
        }
    }

    var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    /// Syncs the current segment, then creates the next one with its header. The new file
    /// and its directory entry are synced unless the policy is `.never`.
    func startSegmentLocked() throws(SpoolError) {
        syncLocked()
        let index = nextSegmentIndex
        var file = try SpoolFile.open(directory.segmentPath(index), create: true)
        do {
            try file.write(SpoolFormat.segmentHeader, at: 0)
            if options.sync != .never {
                try file.sync()
                try directory.sync()
            }
        } catch {
            file.close()
            try? directory.remove(segment: index)
            throw error
        }
        nextSegmentIndex = index + 1
        segments.append(Segment(index: index, file: file, bytes: SpoolFormat.segmentHeaderBytes, pending: 0))
    }

    /// The cap: the oldest segment goes, with every batch in it that is still unacknowledged.
    private func dropOldestSegmentLocked() {
        var oldest = segments.removeFirst()
        let lost = pending.removeSegments(through: oldest.index)
        counters.droppedBatches += lost.batches
        counters.droppedSamples += lost.samples
        oldest.file.close()
        let removal: String
        do {
            try directory.remove(segment: oldest.index)
            removal = "removed"
        } catch {
            removal = "\(error)"
        }
        logger.warning("spool is full: dropped its oldest unacknowledged batches", metadata: [
            "max_size": "\(options.maxBytes)", "segment": "\(oldest.file.path)", "removal": "\(removal)",
            "batches": "\(lost.batches)", "samples": "\(lost.samples)", "dropped_batches": "\(counters.droppedBatches)",
        ])
    }

    /// Deletes the oldest segments once every batch in them is acknowledged; the current
    /// segment stays. Only a prefix is deleted: a later segment may hold acknowledgements
    /// for batches in an earlier one, which a restart still needs.
    func removeAcknowledgedSegmentsLocked() {
        while segments.count > 1, segments[0].pending == 0 {
            var oldest = segments.removeFirst()
            oldest.file.close()
            do {
                try directory.remove(segment: oldest.index)
            } catch {
                logger.warning("cannot remove an acknowledged spool segment", metadata: ["error": "\(error)"])
            }
        }
    }

    /// fdatasync of the current segment if anything was written since the last one.
    func syncLocked() {
        guard unsyncedSince != nil, let current = segments.last else { return }
        do {
            try current.file.sync()
            counters.syncs += 1
        } catch {
            logger.error("cannot sync the spool; batches written since the last sync may be lost in a machine crash", metadata: [
                "error": "\(error)",
            ])
        }
        unsyncedSince = nil
    }

    func syncIfDueLocked() {
        guard let since = unsyncedSince else { return }
        switch options.sync {
        case .always:
            syncLocked()
        case .interval(let milliseconds):
            if now() - since >= milliseconds * 1_000_000 { syncLocked() }
        case .never:
            break
        }
    }
}
