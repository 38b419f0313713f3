import VigilModel

/// A single pass over the UTF-8 bytes of a text exposition. Positions are byte offsets;
/// errors convert them to a 1-based line and a column counted in Unicode scalars.
struct PrometheusTextParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1
    var lineStart = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static let metricTypes: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    mutating func parseSamples() throws(PrometheusTextError) -> [PrometheusTextSample] {
        var samples: [PrometheusTextSample] = []
        while position < bytes.count {
            skipBlanks()
            if !atLineEnd {  // blank lines are skipped
                if bytes[position] == UInt8(ascii: "#") {
                    try checkComment()
                } else {
                    samples.append(try parseSample())
                }
            }
            nextLine()
        }
        return samples
    }

    mutating func parseMetadata() -> [String: PrometheusMetricMetadata] {
        var metadata: [String: PrometheusMetricMetadata] = [:]
        while position < bytes.count {
            skipBlanks()
            if !atLineEnd, bytes[position] == UInt8(ascii: "#"),
               let (keyword, name) = commentKeywordAndName() {
                var entry = metadata[name] ?? PrometheusMetricMetadata(type: "untyped", help: "")
                if keyword == "TYPE" {
                    let type = token()
                    if Self.metricTypes.contains(type) { entry.type = type }
                } else if let help = try? helpText() {
                    entry.help = help
                }
                metadata[name] = entry
            }
            skipToLineEnd()
            nextLine()
        }
        return metadata
    }

    // MARK: lines

    private mutating func parseSample() throws(PrometheusTextError) -> PrometheusTextSample {
        let nameStart = position
        let name = readName(metric: true)
        guard !name.isEmpty else { throw error(at: nameStart, "expected a metric name, found \(describeCurrent())") }
        var pairs = [Label(Label.metricName, name)]
        skipBlanks()
        if !atLineEnd, bytes[position] == UInt8(ascii: "{") {
            position += 1
            try parseLabels(into: &pairs)
            skipBlanks()
        } else if position == nameStart + name.utf8.count, !atLineEnd {
            throw error(at: position, "expected a blank or '{' after the metric name, found \(describeCurrent())")
        }

        let valueStart = position
        let valueText = token()
        guard !valueText.isEmpty else { throw error(at: valueStart, "expected a sample value after \"\(name)\"") }
        guard let value = Double(valueText), !valueText.contains("_") else {
            throw error(at: valueStart, "sample value \"\(valueText)\" is not a number (use digits, NaN, +Inf or -Inf)")
        }
        skipBlanks()
        var timestamp: Int64?
        if !atLineEnd {
            let timestampStart = position
            let timestampText = token()
            guard let parsed = Int64(timestampText) else {
                throw error(at: timestampStart, "timestamp \"\(timestampText)\" is not an integer number of milliseconds")
            }
            timestamp = parsed
            skipBlanks()
            if !atLineEnd {
                throw error(at: position, "unexpected \(describeCurrent()) after the timestamp; a sample line ends there")
            }
        }
        return PrometheusTextSample(labels: Labels(pairs), value: value, timestamp: timestamp)
    }

    /// Reads `name="value"` pairs up to and including `}`; a trailing comma is allowed.
    private mutating func parseLabels(into pairs: inout [Label]) throws(PrometheusTextError) {
        let firstLabel = pairs.count
        while true {
            skipBlanks()
            if !atLineEnd, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return
            }
            let nameStart = position
            let name = readName(metric: false)
            guard !name.isEmpty else {
                throw error(at: nameStart, "expected a label name or '}', found \(describeCurrent())")
            }
            guard name != Label.metricName else {
                throw error(at: nameStart, "label name \(Label.metricName) is reserved for the metric name")
            }
            if pairs[firstLabel...].contains(where: { $0.name == name }) {
                throw error(at: nameStart, "label \"\(name)\" appears twice")
            }
            skipBlanks()
            try expect("=", "after label name \"\(name)\"")
            skipBlanks()
            try expect("\"", "to open the value of label \"\(name)\"")
            pairs.append(Label(name, try readLabelValue()))
            skipBlanks()
            if !atLineEnd, bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if atLineEnd || bytes[position] != UInt8(ascii: "}") {
                throw error(at: position, "expected ',' or '}' after the value of label \"\(name)\", found \(describeCurrent())")
            }
        }
    }

    /// `# HELP name text` and `# TYPE name type` must be well-formed; other comments are free text.
    private mutating func checkComment() throws(PrometheusTextError) {
        let commentStart = position
        guard let (keyword, _) = commentKeywordAndName() else {
            if position > commentStart, !atLineEnd, !isBlank(bytes[position]) {
                // A HELP or TYPE keyword followed by something that is not a metric name.
                throw error(at: position, "expected a metric name in the # HELP/# TYPE line, found \(describeCurrent())")
            }
            skipToLineEnd()
            return
        }
        if keyword == "TYPE" {
            let typeStart = position
            let type = token()
            guard Self.metricTypes.contains(type) else {
                throw error(at: typeStart, "unknown metric type \"\(type)\" (expected counter, gauge, histogram, summary or untyped)")
            }
            skipBlanks()
            guard atLineEnd else { throw error(at: position, "unexpected \(describeCurrent()) after the metric type") }
        } else {
            _ = try helpText()
        }
    }

    /// After `#`: when the comment is `HELP name` or `TYPE name`, returns both and leaves the
    /// position after the blanks that follow the name. Otherwise returns nil; the position
    /// is then after the keyword when one was found and the name did not parse.
    private mutating func commentKeywordAndName() -> (String, String)? {
        let start = position
        position += 1
        skipBlanks()
        let keyword = token()
        guard keyword == "HELP" || keyword == "TYPE" else {
            position = start
            return nil
        }
        skipBlanks()
        if atLineEnd {
            position = start
            return nil
        }
        let name = readName(metric: true)
        guard !name.isEmpty, atLineEnd || isBlank(bytes[position]) else { return nil }
        skipBlanks()
        return (keyword, name)
    }

    /// The rest of a HELP line with `\\` and `\n` resolved.
    private mutating func helpText() throws(PrometheusTextError) -> String {
        var text: [UInt8] = []
        while !atLineEnd {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") {
                let escapeStart = position
                position += 1
                guard !atLineEnd else { throw error(at: escapeStart, "HELP text ends with a lone backslash") }
                switch bytes[position] {
                case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                default: throw error(at: escapeStart, "invalid escape sequence in HELP text (only \\\\ and \\n are allowed)")
                }
            } else {
                text.append(byte)
            }
            position += 1
        }
        while let last = text.last, isBlank(last) { text.removeLast() }
        return String(decoding: text, as: UTF8.self)
    }
}
