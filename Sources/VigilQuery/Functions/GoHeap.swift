/// The bounded heap of Prometheus' topk/bottomk, with Go's container/heap operations, so that
/// ties and NaNs pick the same series as Prometheus does.
///
/// topk keeps the smallest kept value at the root (NaN counts as smallest); bottomk
/// (`descending`) keeps the largest (NaN counts as largest to evict first).
struct GoHeap {
    var elements: [VectorElement] = []
    let descending: Bool

    init(descending: Bool) {
        self.descending = descending
    }

    /// Prometheus' heap order: a NaN sorts first; then ascending (topk) or descending (bottomk).
    private func less(_ i: Int, _ j: Int) -> Bool {
        Self.less(elements[i].value, elements[j].value, descending: descending)
    }

    static func less(_ a: Double, _ b: Double, descending: Bool) -> Bool {
        if a.isNaN { return true }
        return descending ? a > b : a < b
    }

    /// Adds `element` if the heap holds fewer than `k` or it beats the root.
    mutating func offer(_ element: VectorElement, k: Int) {
        let root = elements[0].value
        let beats = descending ? root > element.value : root < element.value
        guard elements.count < k || beats || root.isNaN else { return }
        if elements.count == k {
            if k == 1 {
                elements[0] = element
                return
            }
            pop()
        }
        push(element)
    }

    private mutating func push(_ element: VectorElement) {
        elements.append(element)
        up(elements.count - 1)
    }

    private mutating func pop() {
        let last = elements.count - 1
        elements.swapAt(0, last)
        down(0, last)
        elements.removeLast()
    }

    private mutating func up(_ start: Int) {
        var j = start
        while j > 0 {
            let parent = (j - 1) / 2
            guard less(j, parent) else { break }
            elements.swapAt(parent, j)
            j = parent
        }
    }

    private mutating func down(_ start: Int, _ count: Int) {
        var i = start
        while true {
            let left = 2 * i + 1
            guard left < count else { break }
            var j = left
            if left + 1 < count && less(left + 1, left) { j = left + 1 }
            guard less(j, i) else { break }
            elements.swapAt(i, j)
            i = j
        }
    }

    /// The kept elements, best first: Go's `sort.Sort(sort.Reverse(heap))`.
    func sortedForOutput() -> [VectorElement] {
        guard elements.count > 1 else { return elements }
        return GoSort.sort(elements) { a, b in Self.less(b.value, a.value, descending: descending) }
    }
}
