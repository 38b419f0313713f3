/// Go's `sort.Sort` where its outcome is fixed: up to 12 elements it is an insertion sort,
/// so equal elements keep their order exactly as in Prometheus. Longer inputs use a stable
/// sort; Go's pattern-defeating quicksort may order equal elements differently there.
enum GoSort {
    static func sort<Element>(_ input: [Element], by less: (Element, Element) -> Bool) -> [Element] {
        var items = input
        if items.count <= 12 {
            for i in 1..<Swift.max(1, items.count) {
                var j = i
                while j > 0 && less(items[j], items[j - 1]) {
                    items.swapAt(j, j - 1)
                    j -= 1
                }
            }
            return items
        }
        let indexed = items.enumerated().sorted { a, b in
            if less(a.element, b.element) { return true }
            if less(b.element, a.element) { return false }
            return a.offset < b.offset
        }
        return indexed.map(\.element)
    }
}
