import VigilModel
import VigilWire

/// Turns one tick's samples into compressed batches of at most `maxSamples` samples each,
/// numbering them with consecutive sequence numbers.
///
/// Sequence numbers start at the agent's start time in microseconds, so they keep growing
/// across restarts without state on disk and (agent id, sequence) never repeats.
///
/// Compression uses one `BatchCompressor` per batch position within a tick, so each keeps its
/// zlib stream and the label tables of "its" part of the tick from one tick to the next.
/// Level 1: measured 150 µs per tick against 250 µs at level 6, for 7% more bytes.
struct BatchBuilder {
    let agentID: String
    /// Changed by a config reload; takes effect from the next `build`.
    var maxSamples: Int
    let compressionLevel: Int32
    private(set) var nextSequence: UInt64
    private var compressors: [BatchCompressor] = []

    init(agentID: String, maxSamples: Int, firstSequence: UInt64, compressionLevel: Int32 = 1) {
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
                entries.append(seal(chunk, samples: chunkSamples, position: entries.count))
                chunk.removeAll(keepingCapacity: true)
                chunkSamples = 0
            }
            chunk.append(item)
            chunkSamples += item.samples.count
        }
        if !chunk.isEmpty { entries.append(seal(chunk, samples: chunkSamples, position: entries.count)) }
        return entries
    }

    private mutating func seal(_ series: [SeriesSamples], samples: Int, position: Int) -> OutgoingBatch {
        let batch = Batch(agentID: agentID, agentVersion: VigilBuild.version, sequence: nextSequence, series: series)
        nextSequence += 1
        while compressors.count <= position { compressors.append(BatchCompressor(level: compressionLevel)) }
        return OutgoingBatch(sequence: batch.sequence, samples: samples, body: compressors[position].compress(batch))
    }
}
