import VigilModel
import VigilWire

/// Turns one tick's samples into compressed batches of at most `maxSamples` samples each,
/// numbering them with consecutive sequence numbers.
///
/// Sequence numbers start at the agent's start time in microseconds, so they keep growing
/// across restarts without state on disk and (agent id, sequence) never repeats.
struct BatchBuilder {
    let agentID: String
    /// Changed by a config reload; takes effect from the next `build`.
    var maxSamples: Int
    let compressionLevel: Int32
    private(set) var nextSequence: UInt64

    init(agentID: String, maxSamples: Int, firstSequence: UInt64, compressionLevel: Int32 = 6) {
        self.agentID = agentID
        self.maxSamples = max(1, maxSamples)
        self.nextSequence = firstSequence
        self.compressionLevel = compressionLevel
    }

    mutating func build(_ series: [SeriesSamples]) -> [OutgoingBatch] {
        var entries: [OutgoingBatch] = []
        var chunk: [SeriesSamples] = []
        var chunkSamples = 0
        for item in series {
            if chunkSamples + item.samples.count > maxSamples && !chunk.isEmpty {
                entries.append(seal(chunk, samples: chunkSamples))
                chunk.removeAll(keepingCapacity: true)
                chunkSamples = 0
            }
            chunk.append(item)
            chunkSamples += item.samples.count
        }
        if !chunk.isEmpty { entries.append(seal(chunk, samples: chunkSamples)) }
        return entries
    }

    private mutating func seal(_ series: [SeriesSamples], samples: Int) -> OutgoingBatch {
        let batch = Batch(agentID: agentID, agentVersion: VigilBuild.version, sequence: nextSequence, series: series)
        nextSequence += 1
        return OutgoingBatch(sequence: batch.sequence, samples: samples, body: BatchCodec.compress(batch, level: compressionLevel))
    }
}
