/// One table of a config file being bound: `[collector]`, or the top level.
///
/// Getters (in ConfigSection+*.swift) take a key and a default: they return the file's value
/// when it is present and valid, and otherwise the default, recording a problem in the reader
/// when the value is present but wrong. Every key asked for is remembered, so `finish()` can
/// report keys nobody asked for and suggest the closest known one.
///
/// A section for a table the file does not have is empty: every getter returns its default.
public final class ConfigSection {
    /// Keys from the root to this table; empty for the top level.
    public let path: [String]
    let table: ConfigValue.Table?
    let log: ErrorLog
    private var known: [String] = []
    private var knownTables: Set<String> = []
    private var consumed: Set<String> = []
    private var children: [String: ConfigSection] = [:]
    private var arrayChildren: [String: [ConfigSection]] = [:]

    init(table: ConfigValue.Table?, path: [String], log: ErrorLog) {
        self.table = table
        self.path = path
        self.log = log
    }

    /// The subsection `[path.key]`; asking twice returns the same section.
    /// When the file sets `key` to something other than a table, that is recorded as a problem
    /// and the returned section is empty.
    public func section(_ key: String) -> ConfigSection {
        if let child = children[key] { return child }
        knownTables.insert(key)
        var childTable: ConfigValue.Table?
        if let value = take(key) {
            if case .table(let table) = value.content {
                childTable = table
            } else {
                wrongType(key, value, expected: "a table", hint: "write it as a [\(render(key))] section")
            }
        }
        let child = ConfigSection(table: childTable, path: path + [key], log: log)
        children[key] = child
        return child
    }

    /// The tables of an array of tables, `[[path.key]]`, in file order; empty when the file has
    /// none. When `key` is set to something else, that is recorded and the result is empty.
    public func sections(_ key: String) -> [ConfigSection] {
        if let existing = arrayChildren[key] { return existing }
        knownTables.insert(key)
        var tables: [ConfigValue.Table] = []
        if let value = take(key) {
            if case .array(let elements) = value.content,
               elements.allSatisfy({ if case .table = $0.content { true } else { false } }) {
                tables = elements.compactMap { if case .table(let table) = $0.content { table } else { nil } }
            } else {
                wrongType(key, value, expected: "an array of tables", hint: "write each entry as a [[\(render(key))]] section")
            }
        }
        let sections = tables.map { ConfigSection(table: $0, path: path + [key], log: log) }
        arrayChildren[key] = sections
        return sections
    }

    /// Where the value of `key` starts, or nil when the file does not set it. Does not count as
    /// reading the key.
    public func position(of key: String) -> SourcePosition? {
        table?[key]?.value.position
    }

    /// Records a problem with the value of `key` (already read by a getter), such as two keys
    /// that exclude each other.
    public func report(_ key: String, _ message: String, hint: String?) {
        record(.invalidValue, key, at: position(of: key), message, hint: hint)
    }

    // MARK: For getters

    /// Looks `key` up, remembering it as known and read; nil when the file does not set it.
    func take(_ key: String) -> ConfigValue? {
        if !known.contains(key) { known.append(key) }
        consumed.insert(key)
        return table?[key]?.value
    }

    /// The dotted path of `key` in this section, as messages print it: `collector.url`.
    func render(_ key: String) -> String {
        KeyText.render(path + [key])
    }

    func record(
        _ kind: ConfigError.Kind, _ key: String, at position: SourcePosition?, _ message: String, hint: String?
    ) {
        log.errors.append(ConfigError(
            kind, file: log.file, position: position, keyPath: render(key), message: message, hint: hint))
    }

    func wrongType(_ key: String, _ value: ConfigValue, expected: String, hint: String) {
        record(
            .wrongType, key, at: value.position, "\(render(key)) must be \(expected), found \(value.kindDescription)",
            hint: hint)
    }

    // MARK: Unknown keys

    /// `in [collector]` or `at top level`.
    private var location: String {
        path.isEmpty ? "at top level" : "in [\(KeyText.render(path))]"
    }

    func reportUnknownKeys() {
        guard let table else { return }
        for entry in table.entries where !consumed.contains(entry.key) {
            reportUnknown(entry)
        }
        for key in known {
            children[key]?.reportUnknownKeys()
            for child in arrayChildren[key] ?? [] { child.reportUnknownKeys() }
        }
    }

    private func reportUnknown(_ entry: ConfigValue.Entry) {
        let isTable = if case .table = entry.value.content { true } else { false }
        let name = isTable ? "table [\(render(entry.key))]" : "key \(KeyText.quote(entry.key)) \(location)"
        let hint: String
        if let match = Suggestion.closest(to: entry.key, among: known) {
            hint = "did you mean " + (knownTables.contains(match) ? "[\(render(match))]" : KeyText.quote(match)) + "?"
        } else if known.isEmpty {
            hint = "this section takes no keys; remove it"
        } else {
            hint = "known keys \(location): " + known.map { knownTables.contains($0) ? "[\(render($0))]" : $0 }
                .joined(separator: ", ")
        }
        log.errors.append(ConfigError(
            .unknownKey, file: log.file, position: entry.keyPosition, keyPath: render(entry.key),
            message: "unknown \(name)", hint: hint))
    }
}

@available(*, unavailable)
extension ConfigSection: Sendable {}
