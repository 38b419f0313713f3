/// A fully anchored regular expression over label values, with a fast path for literals
/// and alternations of literals (`a|b|c`), which are most regex matchers in practice.
struct AnchoredPattern: @unchecked Sendable {
    // Regex is immutable once built; matching does not mutate it.
    private let regex: Regex<AnyRegexOutput>?
    private let literals: Set<String>?

    init(_ pattern: String) throws {
        let metacharacters = Set("\\^$.[]()*+?{}")
        let isLiteralAlternation = !pattern.contains { metacharacters.contains($0) }
        if isLiteralAlternation {
            literals = Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
            regex = nil
        } else {
            regex = try Regex("^(?:\(pattern))$")
            literals = nil
        }
    }

    func matches(_ value: String) -> Bool {
        if let literals { return literals.contains(value) }
        return (try? regex!.wholeMatch(in: value)) != nil
    }
}
