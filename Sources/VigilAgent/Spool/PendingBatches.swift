/// One batch record the collector has not acknowledged: where it is and what it holds, in
/// 16 bytes (the sequence number is read back with the record).
struct PendingBatch: Equatable, Sendable {
    private let segment: UInt32
    /// The record's offset in its segment; the top bit marks it acknowledged.
    private var offsetAndFlag: UInt32
    /// Payload bytes of the record (sequence, samples and the compressed batch).
    let payloadBytes: UInt32
    let samples: UInt32

    private static let acknowledgedFlag: UInt32 = 1 << 31

    /// `position.segment` must fit 32 bits and `position.offset` 31 (see SpoolOptions.segmentBytes).
    init(position: SpoolPosition, payloadBytes: UInt32, samples: UInt32) {
        precondition(position.segment <= UInt32.max && position.offset < UInt64(Self.acknowledgedFlag),
                     "bug: spool position \(position) does not fit the index")
        segment = UInt32(position.segment)
        offsetAndFlag = UInt32(position.offset)
        self.payloadBytes = payloadBytes
        self.samples = samples
    }

    var position: SpoolPosition {
        SpoolPosition(segment: UInt64(segment), offset: UInt64(offsetAndFlag & ~Self.acknowledgedFlag))
    }

    var acknowledged: Bool { offsetAndFlag & Self.acknowledgedFlag != 0 }

    fileprivate mutating func markAcknowledged() {
        offsetAndFlag |= Self.acknowledgedFlag
    }
}

/// The spool's in-memory index of batch records, in append order, with acknowledgements
/// that may arrive out of order (fresh batches are acknowledged before the backlog).
///
/// Costs 16 bytes a record still indexed: acknowledged records stay until every older one is
/// acknowledged too. Bodies stay on disk.
struct PendingBatches {
    private var entries: [PendingBatch] = []
    /// Every entry before `head` is acknowledged; `entries[head]`, if any, is not.
    private var head = 0
    /// Unacknowledged entries.
    private(set) var count = 0

    /// Adds a record appended after every record already indexed.
    mutating func append(_ batch: PendingBatch) {
        precondition(entries.last.map { $0.position < batch.position } ?? true, "bug: spool records indexed out of order")
        entries.append(batch)
        count += 1
    }

    /// The oldest unacknowledged record.
    var oldest: PendingBatch? { head < entries.count ? entries[head] : nil }

    /// The oldest unacknowledged record at or after `position`.
    func oldest(atOrAfter position: SpoolPosition) -> PendingBatch? {
        var index = lowerBound(position)
        while index < entries.count {
            if !entries[index].acknowledged { return entries[index] }
            index += 1
        }
        return nil
    }

    /// Marks the record at `position` acknowledged and returns it; nil when no unacknowledged
    /// record starts there (already acknowledged, or dropped with its segment).
    mutating func acknowledge(_ position: SpoolPosition) -> PendingBatch? {
        let index = lowerBound(position)
        guard index < entries.count, entries[index].position == position, !entries[index].acknowledged else { return nil }
        entries[index].markAcknowledged()
        let acknowledged = entries[index]
        count -= 1
        while head < entries.count, entries[head].acknowledged { head += 1 }
        compactIfNeeded()
        return acknowledged
    }

    /// Removes every record in segments up to and including `segment`; returns how many of
    /// them were unacknowledged and their samples.
    mutating func removeSegments(through segment: UInt64) -> (batches: Int, samples: Int) {
        var batches = 0
        var samples = 0
        while head < entries.count, entries[head].position.segment <= segment {
            if !entries[head].acknowledged {
                batches += 1
                samples += Int(entries[head].samples)
            }
            head += 1
        }
        while head < entries.count, entries[head].acknowledged { head += 1 }
        count -= batches
        compactIfNeeded()
        return (batches, samples)
    }

    /// The first index in `head...` whose position is not below `position`.
    private func lowerBound(_ position: SpoolPosition) -> Int {
        var low = head
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].position < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func compactIfNeeded() {
        if head == entries.count {
            entries.removeAll(keepingCapacity: entries.capacity <= 1_024)
            head = 0
        } else if head > 1_024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
