/// An array type that reports its capacity, so the head can choose how it grows.
protocol CapacityReportingArray: RangeReplaceableCollection {
    var capacity: Int { get }
}

extension Array: CapacityReportingArray {}
extension ContiguousArray: CapacityReportingArray {}

extension CapacityReportingArray {
    /// Makes room for `extra` more elements, growing a full array by a quarter (at least 4
    /// elements) instead of the standard library's doubling.
    ///
    /// Head tables live for hours, so their slack is resident memory: a quarter bounds it to
    /// 20% of the array (doubling: 50%), for at most four copies per element instead of two.
    /// Call it before each append that should grow this way.
    @inline(__always)
    mutating func reserveQuarterGrowth(for extra: Int = 1) {
        guard count + extra > capacity else { return }
        reserveCapacity(Swift.max(count + extra, count + Swift.max(count / 4, 4)))
    }
}
