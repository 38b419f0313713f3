import VigilConfig

/// Binding of the `[[log_counter]]` tables of agent.conf.
extension LogCounterRule {
    /// The rules of every `[[log_counter]]` table under `root`, in file order. Each table takes
    /// `file`, `metric`, `pattern` (required) and `labels` (default: none). A table with a
    /// missing or invalid key is recorded in the reader (at that key) and left out.
    public static func rules(in root: ConfigSection) -> [LogCounterRule] {
        var rules: [LogCounterRule] = []
        for table in root.sections("log_counter") {
            let rule = LogCounterRule(
                name: table.string("metric", default: ""), pattern: table.string("pattern", default: ""),
                labels: table.stringArray("labels", default: []), file: table.string("file", default: ""))
            var missing = false
            for (key, value) in [("file", rule.file), ("metric", rule.name), ("pattern", rule.pattern)] where value.isEmpty {
                table.report(key, "log_counter.\(key) is missing or empty", hint: "every [[log_counter]] needs file, metric and pattern")
                missing = true
            }
            if missing { continue }
            do {
                try rule.validate()
                rules.append(rule)
            } catch {
                table.report(error.key, error.message, hint: error.hint)
            }
        }
        return rules
    }
}
