// Messages for operators reading a collector log or an agent's rejected-batch log line.

extension WireError: CustomStringConvertible {
    public var description: String {
        isTooLarge ? "\(problem); send smaller batches or raise the collector's wire limits"
            : "\(problem); the batch is malformed (a sender bug or damaged bytes) and must not be retried"
    }

    private var problem: String {
        switch self {
        case let .bodyTooLarge(bytes, limit):
            return "compressed body is \(bytes) bytes, over the limit of \(limit)"
        case let .inflatedTooLarge(limit, offset):
            return "inflated payload exceeds the limit of \(limit) bytes (stopped at compressed byte \(offset))"
        case let .zlibCorrupt(reason, offset):
            return "zlib stream is corrupt at compressed byte \(offset): \(reason)"
        case let .zlibTruncated(offset):
            return "zlib stream ends at compressed byte \(offset) before its end marker and checksum"
        case let .zlibTrailingBytes(count, offset):
            return "\(count) bytes follow the end of the zlib stream at compressed byte \(offset)"
        case let .payloadTooLarge(bytes, limit):
            return "payload is \(bytes) bytes, over the limit of \(limit)"
        case let .badMagic(offset):
            return "payload does not start with the batch magic \"VGLB\" (byte \(offset))"
        case let .unsupportedVersion(version, offset):
            return "batch format version \(version) at byte \(offset) is not supported (this decoder reads version \(BatchFormat.version))"
        case let .unsupportedFlags(flags, offset):
            return "flags 0x\(String(flags, radix: 16)) at byte \(offset) set bits that version \(BatchFormat.version) does not define"
        case let .truncated(field, offset):
            return "payload ends inside the \(field) starting at byte \(offset)"
        case let .checksumMismatch(stored, computed, offset):
            return "CRC-32 at byte \(offset) is 0x\(String(stored, radix: 16)) but the payload's is 0x\(String(computed, radix: 16))"
        case let .trailingBytes(count, offset):
            return "\(count) unexpected bytes follow the last series at byte \(offset)"
        case let .varintOverflow(field, offset):
            return "varint for the \(field) at byte \(offset) does not fit in 64 bits"
        case let .emptyAgentID(offset):
            return "agent id at byte \(offset) is empty"
        case let .invalidUTF8(field, offset):
            return "\(field) is not valid UTF-8 (first bad byte at \(offset))"
        case let .stringIndexOutOfRange(index, count, offset):
            return "string index \(index) at byte \(offset) is out of range (the table has \(count) strings)"
        case let .invalidLabelName(name, offset):
            return "label name \"\(name)\" at byte \(offset) does not match [a-zA-Z_][a-zA-Z0-9_]*"
        case let .missingMetricName(offset):
            return "series at byte \(offset) has no __name__ label"
        case let .invalidMetricName(name, offset):
            return "metric name \"\(name)\" at byte \(offset) does not match [a-zA-Z_:][a-zA-Z0-9_:]*"
        case let .labelsNotSorted(previous, name, offset):
            return "label \"\(name)\" at byte \(offset) does not sort strictly after \"\(previous)\" (labels must be sorted by name and unique)"
        case let .emptyLabelValue(name, offset):
            return "label \"\(name)\" at byte \(offset) has an empty value (leave the label out instead)"
        case let .emptySeries(offset):
            return "series at byte \(offset) has no samples"
        case let .timestampNotIncreasing(previous, timestamp, offset):
            return "timestamp \(timestamp) at byte \(offset) is not after the previous timestamp \(previous) of its series"
        case let .invalidValueEncoding(reason, offset):
            return "value column at byte \(offset) is invalid: \(reason)"
        case let .tooManySeries(count, limit, offset):
            return "batch declares \(count) series at byte \(offset), over the limit of \(limit)"
        case let .tooManySamples(count, limit, offset):
            return "batch holds at least \(count) samples (counted at byte \(offset)), over the limit of \(limit)"
        case let .tooManyLabels(count, limit, offset):
            return "series declares \(count) labels at byte \(offset), over the limit of \(limit)"
        case let .labelNameTooLong(bytes, limit, offset):
            return "label name at byte \(offset) is \(bytes) bytes, over the limit of \(limit)"
        case let .labelValueTooLong(bytes, limit, offset):
            return "label value at byte \(offset) is \(bytes) bytes, over the limit of \(limit)"
        case let .stringTooLong(bytes, limit, offset):
            return "string at byte \(offset) is \(bytes) bytes, longer than any label name or value may be (\(limit))"
        case let .idTooLong(field, bytes, limit, offset):
            return "\(field) at byte \(offset) is \(bytes) bytes, over the limit of \(limit)"
        }
    }
}
