/// The identity of a series: label pairs sorted by name, names unique, no empty values.
///
/// Construction sorts, drops pairs with empty values (Prometheus treats an empty value as
/// an absent label) and keeps the last value given for a repeated name, so two `Labels`
/// are equal exactly when they name the same series.
public struct Labels: Hashable, Sendable, RandomAccessCollection {
    public private(set) var pairs: [Label]

    public init(_ pairs: [Label]) {
        var sorted = pairs.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = unique.last, last.name == label.name {
                unique[unique.count - 1] = label
            } else {
                unique.append(label)
            }
        }
        self.pairs = unique
    }

    /// Builds labels from a metric name and further pairs, as in `node_load1{host="a"}`.
    public init(name: String, _ labels: [(String, String)] = []) {
        self.init([Label(Label.metricName, name)] + labels.map { Label($0.0, $0.1) })
    }

    /// Wraps pairs the caller guarantees are already sorted by name, unique and non-empty.
    /// Decoders that validate order themselves use this to avoid a second sort.
    public init(presorted pairs: [Label]) {
        self.pairs = pairs
    }

    public var startIndex: Int { pairs.startIndex }
    public var endIndex: Int { pairs.endIndex }
    public subscript(position: Int) -> Label { pairs[position] }

    /// The value of the label `name`, or nil when the series has no such label.
    public subscript(name: String) -> String? {
        for label in pairs where label.name == name { return label.value }
        return nil
    }

    /// The metric name (`__name__`), or nil.
    public var metricName: String? { self[Label.metricName] }

    /// Returns a copy with `name` set to `value` (or removed when `value` is empty).
    public func setting(_ name: String, to value: String) -> Labels {
        Labels(pairs.filter { $0.name != name } + [Label(name, value)])
    }

    /// A hash of the label set that is stable across processes and releases, used to pick
    /// a shard. Swift's `hashValue` is seeded per process and must not be used for that.
    ///
    /// Reads eight bytes at a time (little-endian) with a multiply-xorshift mix; each name and
    /// value is closed by its length, so `a="bc"` and `ab="c"` differ. Nothing on disk stores
    /// it: changing it only changes which shard a series lives in.
    public var stableHash: UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        for label in pairs {
            hash = Self.mix(label.name, into: hash)
            hash = Self.mix(label.value, into: hash)
        }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        hash ^= hash >> 32
        return hash
    }

    @inline(__always)
    private static func mix(_ text: String, into seed: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash = seed
            var offset = 0
            while offset + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
                hash = step(hash, word)
                offset += 8
            }
            var tail = UInt64(bytes.count) << 56
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            return step(hash, tail)
        }
    }

    @inline(__always)
    private static func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        return mixed
    }
}

extension Labels: CustomStringConvertible {
    /// Prometheus' notation: `name{a="x", b="y"}`, values escaped.
    public var description: String {
        let rest = pairs.filter { $0.name != Label.metricName }
            .map { "\($0.name)=\"\(Labels.escape($0.value))\"" }
            .joined(separator: ", ")
        let name = metricName ?? ""
        return rest.isEmpty ? (name.isEmpty ? "{}" : name) : "\(name){\(rest)}"
    }

    /// Escapes a label value for the Prometheus text notation.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
