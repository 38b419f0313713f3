/// Splits the steps of a range query into contiguous blocks evaluated in parallel, each
/// loading only the samples its own steps need, so memory follows the block, not the query.
///
/// There are at least as many blocks as processors, and more for long ranges: a block spans
/// about six hours of steps, or four times the furthest any selector looks back
/// (`rate(x[1d])`), whichever is longer, so the samples two blocks both load (and the chunks
/// both decode) stay a small share.
struct RangeChunks {
    let ranges: [Range<Int>]

    init(stepCount: Int, step: Int64, lookbehind: Int64, processors: Int) {
        // Small queries are not worth a thread hop.
        guard stepCount >= 16 else {
            ranges = [0..<stepCount]
            return
        }
        let blockSpan = Swift.max(6 * 3_600_000, lookbehind.multipliedReportingOverflow(by: 4).partialValue)
        let stepsPerSpan = Int(Swift.max(1, Swift.min(Int64(stepCount), blockSpan / step)))
        let blockCount = Swift.min(stepCount, Swift.max(processors, (stepCount + stepsPerSpan - 1) / stepsPerSpan))
        let size = (stepCount + blockCount - 1) / blockCount
        ranges = stride(from: 0, to: stepCount, by: size).map { $0..<Swift.min(stepCount, $0 + size) }
    }

    func run<T: Sendable>(_ body: @Sendable (Range<Int>) -> T) -> [T] {
        let ranges = self.ranges
        return ParallelMap.map(ranges.count) { body(ranges[$0]) }
    }
}
