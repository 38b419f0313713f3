/// The four PromQL value types.
enum ValueType: Sendable, Equatable {
    case scalar
    case string
    case vector
    case matrix

    /// The names Prometheus uses in messages: "scalar", "string", "instant vector", "range vector".
    var documentedName: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "instant vector"
        case .matrix: return "range vector"
        }
    }
}
