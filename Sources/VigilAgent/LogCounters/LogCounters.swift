import VigilModel

/// Counters from log lines: tails every file named by a rule, matches each new complete line
/// against that file's rules and keeps one counter per label set.
///
/// Each `poll` reads at most `maxBytesPerPoll` new bytes per file, so a large backlog is
/// worked off over several ticks without stalling one. Counters start at 0 in each process
/// (a counter reset, which `rate` handles); the files' positions survive restarts through
/// `saveState()`, so no line is counted twice. Where a file starts:
/// - with a saved position for the same inode: at the saved offset;
/// - when the inode changed while the agent was stopped (rotated): at 0 of the new file (lines
///   appended to the old file after the last save are not read);
/// - with no saved position: at the end of the file present at start (`startAtEnd`), or 0
///   when it appears later.
///
/// Besides the rules' metrics, `poll` returns `vigil_agent_log_lines_total{file}`,
/// `vigil_agent_log_matched_lines_total{file,rule}`,
/// `vigil_agent_log_cut_lines_total{file}` (lines longer than `maxLineBytes`),
/// `vigil_agent_log_rotations_total{file}`, `vigil_agent_log_truncations_total{file}` and
/// `vigil_agent_log_overflow_lines_total{rule}` (lines counted in the `__overflow__` series).
///
/// Not thread-safe: call from one thread (the agent's sampling loop).
public final class LogCounters {
    public static let defaultMaxSeriesPerRule = 1000
    public static let defaultMaxLineBytes = 64 << 10
    public static let defaultMaxBytesPerPoll = 8 << 20

    private struct File {
        let tail: LogTail
        let rules: [LogRuleCounter]
        var lines: UInt64 = 0
        let linesLabels: Labels
        let cutLabels: Labels
        let rotationsLabels: Labels
        let truncationsLabels: Labels
        let matchedLabels: [Labels]
    }

    private var files: [File]
    private let stateDirectory: String
    private let maxBytesPerPoll: Int
    private let host: String

    /// Compiles the rules and loads the saved positions from `stateDirectory`.
    /// - Parameters:
    ///   - host: the `host` label on every series; empty adds none.
    ///   - startAtEnd: for a file with no saved position, skip what it holds at start.
    /// - Throws: `LogCounterError` (`.rule`) for the first rule that `LogCounterRule.validate()`
    ///   rejects.
    public init(
        rules: [LogCounterRule], stateDirectory: String, host: String = "",
        maxSeriesPerRule: Int = LogCounters.defaultMaxSeriesPerRule,
        maxLineBytes: Int = LogCounters.defaultMaxLineBytes,
        maxBytesPerPoll: Int = LogCounters.defaultMaxBytesPerPoll,
        startAtEnd: Bool = true
    ) throws(LogCounterError) {
        self.stateDirectory = stateDirectory
        self.maxBytesPerPoll = maxBytesPerPoll
        let saved = LogOffsetsFile.load(directory: stateDirectory)
        var paths: [String] = []
        var byPath: [String: [LogRuleCounter]] = [:]
        for rule in rules {
            let counter = try LogRuleCounter(rule: rule, maxSeries: maxSeriesPerRule, host: host)
            if byPath[rule.file] == nil { paths.append(rule.file) }
            byPath[rule.file, default: []].append(counter)
        }
        let hostPair: [(String, String)] = host.isEmpty ? [] : [("host", host)]
        files = paths.map { path in
            let counters = byPath[path]!
            return File(
                tail: LogTail(
                    path: path, maxLineBytes: maxLineBytes, readSize: 64 << 10, resume: saved[path],
                    startAtEnd: startAtEnd),
                rules: counters,
                linesLabels: Labels(name: "vigil_agent_log_lines_total", hostPair + [("file", path)]),
                cutLabels: Labels(name: "vigil_agent_log_cut_lines_total", hostPair + [("file", path)]),
                rotationsLabels: Labels(name: "vigil_agent_log_rotations_total", hostPair + [("file", path)]),
                truncationsLabels: Labels(name: "vigil_agent_log_truncations_total", hostPair + [("file", path)]),
                matchedLabels: counters.map {
                    Labels(name: "vigil_agent_log_matched_lines_total", hostPair + [("file", path), ("rule", $0.rule.name)])
                })
        }
        self.host = host
    }

    /// Reads what is new in every file (at most `maxBytesPerPoll` each), counts it, and returns
    /// every counter's current value as one sample at `timestamp`. Series of different rules
    /// with the same labels are summed. Missing or unreadable files are skipped silently and
    /// tried again next time.
    public func poll(at timestamp: Int64) -> [SeriesSamples] {
        for slot in files.indices {
            let rules = files[slot].rules
            var lines: UInt64 = 0
            files[slot].tail.read(maxBytes: maxBytesPerPoll) { bytes in
                lines += 1
                let text = String(decoding: bytes, as: UTF8.self)
                let line = text[...]
                for rule in rules { rule.count(line) }
            }
            files[slot].lines += lines
        }
        return series(at: timestamp)
    }

    /// Writes every file's position to the state directory (which must exist), atomically.
    /// Call after each `poll`: lines read after the last save are read and counted again by
    /// the next process (into counters that restarted at 0).
    /// - Throws: `LogCounterError` (`.state`) when the file cannot be written.
    public func saveState() throws(LogCounterError) {
        var positions: [(path: String, position: LogTail.Position)] = []
        for file in files {
            if let position = file.tail.position { positions.append((file.tail.path, position)) }
        }
        try LogOffsetsFile.save(positions, directory: stateDirectory)
    }

    private func series(at timestamp: Int64) -> [SeriesSamples] {
        var values: [Labels: UInt64] = [:]
        var order: [Labels] = []
        func add(_ labels: Labels, _ value: UInt64) {
            if let old = values[labels] {
                values[labels] = old + value
            } else {
                values[labels] = value
                order.append(labels)
            }
        }
        let hostPair: [(String, String)] = host.isEmpty ? [] : [("host", host)]
        for file in files {
            add(file.linesLabels, file.lines)
            add(file.cutLabels, file.tail.cutLines)
            add(file.rotationsLabels, file.tail.rotations)
            add(file.truncationsLabels, file.tail.truncations)
            for (rule, labels) in zip(file.rules, file.matchedLabels) {
                add(labels, rule.matchedLines)
                add(Labels(name: "vigil_agent_log_overflow_lines_total", hostPair + [("rule", rule.rule.name)]), rule.overflowLines)
                for entry in rule.series {
                    add(entry.labels, entry.count)
                }
            }
        }
        return order.map { SeriesSamples(labels: $0, samples: [Sample(timestamp: timestamp, value: Double(values[$0]!))]) }
    }
}
