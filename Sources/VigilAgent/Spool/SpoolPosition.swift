/// Where a record starts in the spool: its segment's index and the byte offset in that file.
/// Positions order records as they were appended.
public struct SpoolPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var segment: UInt64
    public var offset: UInt64

    public init(segment: UInt64, offset: UInt64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: SpoolPosition, rhs: SpoolPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    public var description: String { "\(SpoolFormat.segmentName(segment))@\(offset)" }
}
