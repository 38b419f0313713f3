/// The checks a rule must pass before it is used, shared by config binding and `LogCounters`.
extension LogCounterRule {
    /// Checks the metric name and labels (Prometheus' alphabet, labels unique and not `__`
    /// reserved), that `file` is absolute, that `pattern` compiles and that every label is a
    /// named capture of it; returns the compiled pattern (Unicode scalar semantics: log lines
    /// are matched scalar by scalar, and grapheme breaking cost about a third of the match
    /// time on nginx lines).
    /// - Throws: `LogCounterError` (`.rule`) naming the rule, the key at fault and what to write.
    @discardableResult
    public func validate() throws(LogCounterError) -> Regex<AnyRegexOutput> {
        guard Self.validName(name, colon: true) else {
            throw LogCounterError(
                .rule, key: "metric", "log counter metric name \"\(name)\" is not valid",
                hint: "use letters, digits, _ and :, not starting with a digit")
        }
        for label in labels where !Self.validName(label, colon: false) || label.hasPrefix("__") {
            throw LogCounterError(
                .rule, key: "labels", "log counter \(name): label \"\(label)\" is not a valid label name",
                hint: "use letters, digits and _, not starting with a digit or __")
        }
        if Set(labels).count != labels.count {
            throw LogCounterError(.rule, key: "labels", "log counter \(name) lists a label twice", hint: "list each capture once")
        }
        guard file.hasPrefix("/") else {
            throw LogCounterError(
                .rule, key: "file", "log counter \(name): file \"\(file)\" is not an absolute path",
                hint: "write the full path, such as /var/log/nginx/access.log")
        }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw LogCounterError(
                .rule, key: "pattern", "log counter \(name): pattern does not compile: \(error)",
                hint: "write a Swift Regex (PCRE-like) with named captures such as (?<status>\\d+)")
        }
        let names = Set(Self.captureNames(pattern))
        for label in labels where !names.contains(label) {
            throw LogCounterError(
                .rule, key: "labels", "log counter \(name): label \"\(label)\" is not a named capture of the pattern",
                hint: "add (?<\(label)>...) to the pattern or remove it from labels")
        }
        return regex
    }

    /// The names of `(?<name>` and `(?P<name>` groups in `pattern`, in order; escaped
    /// parentheses and lookbehinds `(?<=` `(?<!` are skipped.
    static func captureNames(_ pattern: String) -> [String] {
        var names: [String] = []
        let bytes = Array(pattern.utf8)
        var position = 0
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            guard bytes[position] == UInt8(ascii: "("), position + 2 < bytes.count, bytes[position + 1] == UInt8(ascii: "?")
            else {
                position += 1
                continue
            }
            var start = position + 2
            if bytes[start] == UInt8(ascii: "P") { start += 1 }
            guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "<"),
                  bytes[start + 1] != UInt8(ascii: "="), bytes[start + 1] != UInt8(ascii: "!")
            else {
                position += 1
                continue
            }
            var end = start + 1
            while end < bytes.count && bytes[end] != UInt8(ascii: ">") { end += 1 }
            names.append(String(decoding: bytes[(start + 1)..<end], as: UTF8.self))
            position = end
        }
        return names
    }

    private static func validName(_ name: String, colon: Bool) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            case UInt8(ascii: ":"): colon
            default: false
            }
        }
    }
}
