/// One configured log counter: lines of `file` that `pattern` matches increment the counter
/// `name`, labelled with the named captures listed in `labels`.
///
/// The pattern is Swift Regex syntax (PCRE-like, named captures as `(?<status>\d+)`) and is
/// searched for anywhere in the line (add `^`/`$` to anchor it). A listed capture that did
/// not take part in the match gives an empty value, which drops that label.
public struct LogCounterRule: Equatable, Sendable {
    /// The metric name, such as `http_requests_total`.
    public var name: String
    public var pattern: String
    /// Names of captures in `pattern` that become labels, in any order.
    public var labels: [String]
    /// Absolute path of the tailed file.
    public var file: String

    public init(name: String, pattern: String, labels: [String], file: String) {
        self.name = name
        self.pattern = pattern
        self.labels = labels
        self.file = file
    }
}
