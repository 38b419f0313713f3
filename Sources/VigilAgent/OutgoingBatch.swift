/// One compressed batch ready to ship: what BatchBuilder makes and the spool keeps.
public struct OutgoingBatch: Equatable, Sendable {
    public let sequence: UInt64
    /// Samples in the batch, for counting what a drop loses.
    public let samples: Int
    /// The zlib-compressed batch (docs/formats/batch.md), sent as is.
    public let body: [UInt8]

    public init(sequence: UInt64, samples: Int, body: [UInt8]) {
        self.sequence = sequence
        self.samples = samples
        self.body = body
    }
}
