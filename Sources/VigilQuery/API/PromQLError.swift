/// Why a query failed, with the error type Prometheus' HTTP API reports for it.
///
/// Parse and type errors are `.badData` with Prometheus' text, `"1:17: parse error: unexpected
/// \"}\" in label matching, expected string"` (line and column are 1-based, the column in bytes).
/// Prometheus' `/api/v1/query` prefixes parse errors with `invalid parameter "query": `;
/// `/api/v1/query_range` does not. Everything that fails while evaluating is `.execution`.
public struct PromQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The query (or a parameter) is malformed: Prometheus' `bad_data`.
        case badData = "bad_data"
        /// The query is well-formed but its evaluation failed: Prometheus' `execution`.
        case execution
    }

    public let kind: Kind
    public let message: String
    /// For parse errors, the byte offset into the query of the problem.
    public let offset: Int?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { message }

    /// A parse error at byte `offset` of `query`, formatted as Prometheus does.
    static func parse(_ message: String, at offset: Int, in query: String) -> PromQLError {
        var line = 1
        var lastLineBreak = -1
        for (index, byte) in query.utf8.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lastLineBreak = index
        }
        return PromQLError(.badData, "\(line):\(offset - lastLineBreak): parse error: \(message)", offset: offset)
    }

    static func execution(_ message: String) -> PromQLError {
        PromQLError(.execution, message)
    }
}
