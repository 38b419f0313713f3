import VigilModel

extension Labels {
    /// Orders label sets pair by pair (name, then value), a shorter prefix first: the order
    /// of `select` and `series` results, as in Prometheus.
    static func precedes(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs, rhs) where left != right {
            return left < right
        }
        return lhs.count < rhs.count
    }
}
