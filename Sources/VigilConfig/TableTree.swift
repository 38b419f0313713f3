/// The tables of a document while it is being parsed, with the TOML rules on defining them.
///
/// Tables live in an arena and refer to each other by index, so a header deep in the file can
/// extend a table defined earlier without copying. `freeze` turns the arena into values.
/// Rules enforced: a key is set once; a `[table]` is defined once; tables created by dotted
/// keys cannot be reopened by a header, nor header tables extended by dotted keys from outside;
/// inline tables and plain arrays are closed once written; `[[name]]` only appends to arrays of
/// tables.
struct TableTree {
    enum Origin {
        /// Created as the parent of a header (`a` for `[a.b]`); a later `[a]` may still define it.
        case implicit
        /// Defined by a `[header]` or `[[header]]`, or the root.
        case header
        /// Created by a dotted key such as `a.b = 1`.
        case dotted
        /// The body of an `{ inline table }` while it is being read.
        case inline
    }

    enum Slot {
        case value(ConfigValue)
        case table(Int)
        case tableArray([Int], SourcePosition)
    }

    struct Entry {
        var key: String
        var keyPosition: SourcePosition
        var slot: Slot
    }

    struct Node {
        var origin: Origin
        var position: SourcePosition
        var entries: [Entry] = []
        var index: [String: Int] = [:]
    }

    static let root = 0
    private var nodes = [Node(origin: .header, position: SourcePosition(line: 1, column: 1))]

    mutating func newTable(origin: Origin, at position: SourcePosition) -> Int {
        nodes.append(Node(origin: origin, position: position))
        return nodes.count - 1
    }

    /// Handles `[path]`: returns the table that following key/value lines fill.
    mutating func defineTable(_ path: [KeyPart]) throws(ParseFailure) -> Int {
        let parent = try walkHeader(path.dropLast())
        let last = path[path.count - 1]
        let rendered = KeyText.render(path.map(\.name))
        guard let existing = nodes[parent].index[last.name] else {
            let table = newTable(origin: .header, at: last.position)
            add(Entry(key: last.name, keyPosition: last.position, slot: .table(table)), to: parent)
            return table
        }
        let entry = nodes[parent].entries[existing]
        switch entry.slot {
        case .table(let table):
            switch nodes[table].origin {
            case .implicit:
                nodes[table].origin = .header
                nodes[table].position = last.position
                return table
            case .header, .inline:
                throw ParseFailure(
                    .duplicate, at: last.position, keyPath: rendered, "table [\(rendered)] is defined twice",
                    hint: "first defined at line \(nodes[table].position.line); merge the two sections")
            case .dotted:
                throw ParseFailure(
                    .duplicate, at: last.position, keyPath: rendered,
                    "table [\(rendered)] was already created by dotted keys at line \(entry.keyPosition.line)",
                    hint: "move those keys into this section")
            }
        case .tableArray(_, let position):
            throw ParseFailure(
                .duplicate, at: last.position, keyPath: rendered,
                "[\(rendered)] is an array of tables (first [[\(rendered)]] at line \(position.line))",
                hint: "write [[\(rendered)]] to add an element")
        case .value(let value):
            throw alreadyValue(rendered, entry: entry, value: value, at: last.position)
        }
    }

    /// Handles `[[path]]`: appends a table to the array and returns it.
    mutating func appendTableArrayElement(_ path: [KeyPart]) throws(ParseFailure) -> Int {
        let parent = try walkHeader(path.dropLast())
        let last = path[path.count - 1]
        let rendered = KeyText.render(path.map(\.name))
        let table = newTable(origin: .header, at: last.position)
        guard let existing = nodes[parent].index[last.name] else {
            let slot = Slot.tableArray([table], last.position)
            add(Entry(key: last.name, keyPosition: last.position, slot: slot), to: parent)
            return table
        }
        guard case .tableArray(let tables, let position) = nodes[parent].entries[existing].slot else {
            throw ParseFailure(
                .duplicate, at: last.position, keyPath: rendered,
                "cannot make \"\(rendered)\" an array of tables: it is already defined at line "
                    + "\(nodes[parent].entries[existing].keyPosition.line)",
                hint: "an array of tables is built from [[\(rendered)]] headers only; rename one of them")
        }
        nodes[parent].entries[existing].slot = .tableArray(tables + [table], position)
        return table
    }

    /// Sets `key` (possibly dotted) to `value` in `table`, whose path is `tablePath`.
    mutating func insert(
        _ key: [KeyPart], value: ConfigValue, into table: Int, tablePath: [String]
    ) throws(ParseFailure) {
        var current = table
        var path = tablePath
        for part in key.dropLast() {
            path.append(part.name)
            current = try walkDotted(part, from: current, path: path)
        }
        let last = key[key.count - 1]
        path.append(last.name)
        if let existing = nodes[current].index[last.name] {
            let rendered = KeyText.render(path)
            throw ParseFailure(
                .duplicate, at: last.position, keyPath: rendered, "duplicate key \"\(rendered)\"",
                hint: "first set at line \(nodes[current].entries[existing].keyPosition.line); keep one of them")
        }
        add(Entry(key: last.name, keyPosition: last.position, slot: .value(value)), to: current)
    }

    /// The finished table at `index`; tables nest at most as deep as keys allow (see the parser's limits).
    func freeze(_ index: Int) -> ConfigValue.Table {
        ConfigValue.Table(entries: nodes[index].entries.map { entry in
            let value: ConfigValue
            switch entry.slot {
            case .value(let plain):
                value = plain
            case .table(let table):
                value = ConfigValue(.table(freeze(table)), at: nodes[table].position)
            case .tableArray(let tables, let position):
                value = ConfigValue(
                    .array(tables.map { ConfigValue(.table(freeze($0)), at: nodes[$0].position) }), at: position)
            }
            return ConfigValue.Entry(key: entry.key, keyPosition: entry.keyPosition, value: value)
        })
    }

    private mutating func add(_ entry: Entry, to table: Int) {
        nodes[table].index[entry.key] = nodes[table].entries.count
        nodes[table].entries.append(entry)
    }

    /// Follows the parent components of a header, creating implicit tables; an array of tables
    /// resolves to its last element.
    private mutating func walkHeader(_ parents: ArraySlice<KeyPart>) throws(ParseFailure) -> Int {
        var current = TableTree.root
        var path: [String] = []
        for part in parents {
            path.append(part.name)
            guard let existing = nodes[current].index[part.name] else {
                let table = newTable(origin: .implicit, at: part.position)
                add(Entry(key: part.name, keyPosition: part.position, slot: .table(table)), to: current)
                current = table
                continue
            }
            let entry = nodes[current].entries[existing]
            switch entry.slot {
            case .table(let table):
                current = table
            case .tableArray(let tables, _):
                current = tables[tables.count - 1]
            case .value(let value):
                throw alreadyValue(KeyText.render(path), entry: entry, value: value, at: part.position)
            }
        }
        return current
    }

    /// Follows one parent component of a dotted key, creating a dotted table when missing.
    private mutating func walkDotted(_ part: KeyPart, from table: Int, path: [String]) throws(ParseFailure) -> Int {
        let rendered = KeyText.render(path)
        guard let existing = nodes[table].index[part.name] else {
            let child = newTable(origin: .dotted, at: part.position)
            add(Entry(key: part.name, keyPosition: part.position, slot: .table(child)), to: table)
            return child
        }
        let entry = nodes[table].entries[existing]
        switch entry.slot {
        case .table(let child) where nodes[child].origin == .dotted:
            return child
        case .table, .tableArray:
            throw ParseFailure(
                .duplicate, at: part.position, keyPath: rendered,
                "table [\(rendered)] is defined by a header (line \(entry.keyPosition.line)); "
                    + "dotted keys cannot add to it from here",
                hint: "write the key inside the [\(rendered)] section")
        case .value(let value):
            throw alreadyValue(rendered, entry: entry, value: value, at: part.position)
        }
    }

    private func alreadyValue(
        _ rendered: String, entry: Entry, value: ConfigValue, at position: SourcePosition
    ) -> ParseFailure {
        if case .table = value.content {
            return ParseFailure(
                .duplicate, at: position, keyPath: rendered,
                "\"\(rendered)\" is an inline table (line \(entry.keyPosition.line)) and cannot be extended",
                hint: "move its keys into a [\(rendered)] section")
        }
        return ParseFailure(
            .duplicate, at: position, keyPath: rendered,
            "\"\(rendered)\" is already set to \(value.kindDescription) at line \(entry.keyPosition.line), "
                + "so it cannot hold keys",
            hint: "rename one of them")
    }
}
