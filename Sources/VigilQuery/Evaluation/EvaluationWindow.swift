/// The time frame and limits of one evaluator's work.
struct EvaluationWindow: Sendable {
    /// The query's first and last evaluation time (ms), which `@ start()` and `@ end()` name.
    var queryStart: Int64
    var queryEnd: Int64
    /// The first and last evaluation time (ms) this evaluator covers: the whole query, or one
    /// block of a range query's steps. Selectors load the samples these times need.
    var start: Int64
    var end: Int64
    /// How far back an instant selector looks for a sample (ms).
    var lookback: Int64
    /// The step of subqueries written without one, `[5m:]` (ms).
    var defaultSubqueryStep: Int64
    /// The most samples an evaluator may hold in memory.
    var maxSamples: Int

    /// The time an `@` modifier pins evaluation to.
    func resolve(_ at: AtModifier) -> Int64 {
        switch at {
        case .timestamp(let milliseconds): return milliseconds
        case .start: return queryStart
        case .end: return queryEnd
        }
    }
}
