/// One value of a parsed config file together with where it was written.
///
/// Tables keep their entries in the order the file defines them. A `[[name]]` array of
/// tables is an `.array` of `.table` values.
public struct ConfigValue: Equatable, Sendable {
    public enum Content: Equatable, Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case array([ConfigValue])
        case table(Table)
    }

    /// A key and its value, with the position of the key (the value carries its own).
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var keyPosition: SourcePosition
        public var value: ConfigValue

        public init(key: String, keyPosition: SourcePosition, value: ConfigValue) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    /// Keys are unique within a table; the parser rejects a second definition.
    public struct Table: Equatable, Sendable {
        public var entries: [Entry]

        public init(entries: [Entry] = []) {
            self.entries = entries
        }

        /// The entry for `key`, or nil. Linear in the number of entries: config tables are small.
        public subscript(key: String) -> Entry? {
            entries.first { $0.key == key }
        }
    }

    public var content: Content
    /// The first character of the value; for a table, its `[header]`, its `{` or the first
    /// key that created it.
    public var position: SourcePosition

    public init(_ content: Content, at position: SourcePosition) {
        self.content = content
        self.position = position
    }

    /// "a string", "an integer", ...: for messages such as "must be a duration, found an integer".
    public var kindDescription: String {
        switch content {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }
}
