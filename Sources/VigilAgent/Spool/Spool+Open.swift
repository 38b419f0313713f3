import Logging

/// Opening a spool: lock the directory, read every segment back, cut torn tails, start a
/// fresh segment for this run.
extension Spool {
    /// Opens (creating it and its parents if needed) the spool in `directory` and indexes every
    /// batch not yet acknowledged, to be sent again in append order.
    ///
    /// A segment whose end does not read back intact (a crash mid-write, or corruption) is cut
    /// at its last good record; the cut is logged with the byte offset and what was wrong.
    /// Costs one read of every segment.
    /// - Parameter now: the monotonic clock in ns for the `.interval` sync policy; CLOCK_MONOTONIC by default.
    /// - Throws: `SpoolError` when the directory cannot be created or locked (another agent
    ///   uses it), or a segment cannot be read, cut or created.
    public static func open(
        directory path: String, options: SpoolOptions = SpoolOptions(), logger: Logger,
        now: (@Sendable () -> Int64)? = nil
    ) throws(SpoolError) -> Spool {
        let clock = now ?? { MonotonicClock.now() }
        let spool = Spool(directory: try SpoolDirectory(creating: path), options: options, logger: logger, now: clock)
        do {
            try spool.recover()
        } catch {
            spool.close()
            throw error
        }
        return spool
    }

    private func recover() throws(SpoolError) {
        var buffer: [UInt8] = []
        let indices = try directory.segmentIndices()
        for index in indices {
            let file = try SpoolFile.open(directory.segmentPath(index), create: false)
            let size = try file.size()
            segments.append(Segment(index: index, file: file, bytes: size, pending: 0))
            let end = try SegmentScanner.scan(file, size: size, buffer: &buffer) { offset, record in
                switch record {
                case .batch(let samples, let payloadBytes):
                    pending.append(PendingBatch(
                        position: SpoolPosition(segment: index, offset: UInt64(offset)),
                        payloadBytes: payloadBytes, samples: samples))
                    segments[segments.count - 1].pending += 1
                case .ack(let position):
                    if pending.acknowledge(position) != nil,
                        let acknowledged = segments.firstIndex(where: { $0.index == position.segment })
                    {
                        segments[acknowledged].pending -= 1
                    }
                }
            }
            if let problem = end.problem { try cut(end.validBytes, of: size, problem: problem) }
        }
        nextSegmentIndex = (indices.last ?? 0) + 1
        try startSegmentLocked()
        removeAcknowledgedSegmentsLocked()
        if pending.count > 0 {
            logger.info("spool holds unacknowledged batches; resending them", metadata: [
                "directory": "\(directory.path)", "batches": "\(pending.count)", "bytes": "\(totalBytes)",
                "segments": "\(segments.count - 1)",
            ])
        }
    }

    /// Cuts the segment just read (the last in `segments`) to its valid prefix, or removes it
    /// when not even its header is valid.
    private func cut(_ validBytes: Int, of size: Int, problem: String) throws(SpoolError) {
        let last = segments.count - 1
        let path = segments[last].file.path
        let metadata: Logger.Metadata = [
            "segment": "\(path)", "problem": "\(problem)", "valid_bytes": "\(validBytes)",
            "dropped_bytes": "\(size - validBytes)",
        ]
        if validBytes < SpoolFormat.segmentHeaderBytes {
            precondition(segments[last].pending == 0, "bug: a spool segment without a valid header indexed batches")
            var removed = segments.removeLast()
            removed.file.close()
            try directory.remove(segment: removed.index)
            logger.warning("removed a spool segment without a valid header", metadata: metadata)
        } else {
            try segments[last].file.truncate(to: validBytes)
            segments[last].bytes = validBytes
            logger.warning("cut a torn tail off a spool segment at its last good record", metadata: metadata)
        }
    }
}
