/// A parsed config file: the root table and the file name used in messages.
public struct ConfigDocument: Equatable, Sendable {
    /// The path or name given to `parse`, printed at the start of every error.
    public var file: String
    public var root: ConfigValue.Table

    public init(file: String, root: ConfigValue.Table) {
        self.file = file
        self.root = root
    }

    /// Parses `text` as the TOML subset described in docs/formats/config.md.
    ///
    /// Reports every error it can find rather than the first: after an error, parsing resumes
    /// on the next line. An error inside an array ends the parse, because the array may span
    /// lines and where it ends is then unknown. At most `ConfigErrors.limit` errors are kept.
    /// Cost: linear in the size of the text.
    /// - Throws: `ConfigErrors` with one `ConfigError` per problem, in file order.
    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> ConfigDocument {
        var parser = TOMLParser(text: text, file: file)
        let root = parser.parseDocument()
        if !parser.errors.isEmpty { throw ConfigErrors(parser.errors) }
        return ConfigDocument(file: file, root: root)
    }

    /// The value at `path` (keys from the root; an array of tables resolves to its last element),
    /// or nil when any step is missing or not a table.
    public func value(at path: [String]) -> ConfigValue? {
        var table = root
        var found: ConfigValue?
        for (index, key) in path.enumerated() {
            guard let entry = table[key] else { return nil }
            found = entry.value
            if index == path.count - 1 { break }
            switch entry.value.content {
            case .table(let next):
                table = next
            case .array(let elements):
                guard case .table(let next)? = elements.last?.content else { return nil }
                table = next
            default:
                return nil
            }
        }
        return found
    }
}
