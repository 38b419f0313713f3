/// A place in a config file: 1-based line and 1-based column.
///
/// Columns count Unicode scalars from the start of the line, so a tab or an "é" each
/// count as one column; editors that jump to `file:line:column` land on the right character
/// for ASCII text, which is what config keys and values nearly always are.
public struct SourcePosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, as in compiler diagnostics.
    public var description: String { "\(line):\(column)" }
}
