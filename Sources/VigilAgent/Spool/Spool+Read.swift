/// Reading batches back for sending. Runs with the lock held.
extension Spool {
    /// The batch of `entry` read from its segment and checked against its CRC; nil when it no
    /// longer reads back intact, in which case it is dropped (counted, logged, acknowledged).
    func readLocked(_ entry: PendingBatch, isBacklog: Bool) -> SpooledBatch? {
        guard let segmentIndex = segments.firstIndex(where: { $0.index == entry.position.segment }) else {
            preconditionFailure("bug: pending spool batch \(entry.position) has no segment")
        }
        let headerBytes = SpoolFormat.recordHeaderBytes
        let total = headerBytes + Int(entry.payloadBytes)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(total)
        let problem: String
        do {
            if try segments[segmentIndex].file.read(into: &buffer, count: total, at: Int(entry.position.offset)) {
                let intact = buffer.withUnsafeBytes { raw in
                    raw.loadLE(UInt32.self, at: 0) == SpoolFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[4..<total]))
                        && raw[8] == SpoolRecordType.batch.rawValue
                }
                if intact {
                    let sequence = buffer.withUnsafeBytes { $0.loadLE(UInt64.self, at: headerBytes) }
                    return SpooledBatch(
                        position: entry.position, sequence: sequence, samples: Int(entry.samples),
                        body: Array(buffer[(headerBytes + SpoolFormat.batchPrefixBytes)..<total]), isBacklog: isBacklog)
                }
                problem = "the record fails its CRC"
            } else {
                problem = "the file ends inside the record"
            }
        } catch {
            problem = "\(error)"
        }
        _ = pending.acknowledge(entry.position)
        segments[segmentIndex].pending -= 1
        counters.droppedBatches += 1
        counters.droppedSamples += Int(entry.samples)
        logger.error("a spooled batch no longer reads back intact; dropped it", metadata: [
            "position": "\(entry.position)", "problem": "\(problem)", "dropped_batches": "\(counters.droppedBatches)",
        ])
        writeAckLocked(entry.position)
        removeAcknowledgedSegmentsLocked()
        return nil
    }
}
