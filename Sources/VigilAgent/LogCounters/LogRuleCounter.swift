import VigilModel

/// One compiled rule and its counters: one count per set of captured label values, capped at
/// `maxSeries` label sets; increments for a new label set beyond the cap go to the series
/// whose every label is `__overflow__`, and are counted in `overflowLines`.
final class LogRuleCounter {
    static let overflowValue = "__overflow__"

    let rule: LogCounterRule
    private let regex: Regex<AnyRegexOutput>
    private let maxSeries: Int
    /// The `host` label on every series (overrides a capture named host); empty adds none.
    private let host: String
    /// Slots of `series` by the hash of their captured values (FNV-1a over the bytes, each
    /// value closed by 0xFF); the overflow series is not in it.
    private var slotsByHash: [UInt64: [Int]] = [:]
    /// The captured values of each slot of `series`, empty for the overflow series.
    private var values: [[String]] = []
    /// The current line's captured values; reused.
    private var captured: [Substring] = []
    /// Positions of `rule.labels` among the match's captures, found at the first match (names
    /// are fixed per pattern); indexing by position skips a search by name per label per line.
    private var captureIndices: [Int]?
    private(set) var series: [(labels: Labels, count: UInt64)] = []
    private var overflowSlot: Int?
    private(set) var overflowLines: UInt64 = 0
    private(set) var matchedLines: UInt64 = 0

    /// - Parameter host: the `host` label on every series (it overrides a capture named host);
    ///   empty adds none.
    /// - Throws: `LogCounterError` (`.rule`) when `rule.validate()` does.
    init(rule: LogCounterRule, maxSeries: Int, host: String) throws(LogCounterError) {
        self.rule = rule
        self.host = host
        self.maxSeries = maxSeries
        regex = try rule.validate()
    }

    /// Matches `line`; on a match, increments the counter of its label set. Returns whether it
    /// matched. A known label set costs no allocation: it is found by a hash of the captured
    /// bytes and confirmed by comparing them.
    @discardableResult
    func count(_ line: Substring) -> Bool {
        guard let match = try? regex.firstMatch(in: line) else { return false }
        matchedLines += 1
        captured.removeAll(keepingCapacity: true)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let output = match.output
        let indices = captureIndices ?? rule.labels.map { label in output.firstIndex { $0.name == label } ?? -1 }
        captureIndices = indices
        for index in indices {
            let value = index >= 0 ? output[index].substring ?? "" : ""
            for byte in value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01B3
            captured.append(value)
        }
        for slot in slotsByHash[hash, default: []] where Self.same(values[slot], captured) {
            series[slot].count += 1
            return true
        }
        if series.count - (overflowSlot == nil ? 0 : 1) >= maxSeries {
            overflowLines += 1
            let slot = overflowSlot ?? newSeries(rule.labels.map { ($0, Self.overflowValue) }, values: [])
            overflowSlot = slot
            series[slot].count += 1
            return true
        }
        let strings = captured.map(String.init)
        let slot = newSeries(Array(zip(rule.labels, strings)), values: strings)
        slotsByHash[hash, default: []].append(slot)
        series[slot].count += 1
        return true
    }

    private static func same(_ known: [String], _ captured: [Substring]) -> Bool {
        known.elementsEqual(captured) { $0.utf8.elementsEqual($1.utf8) }
    }

    private func newSeries(_ pairs: [(String, String)], values captured: [String]) -> Int {
        series.append((Labels(name: rule.name, pairs + (host.isEmpty ? [] : [("host", host)])), 0))
        values.append(captured)
        return series.count - 1
    }
}
