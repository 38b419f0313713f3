import Dispatch

/// Runs independent pieces of work on all processors and returns their results in order.
/// Evaluation and the HTTP layer's answer writing share it.
public enum ParallelMap {
    /// Calls `body(0)` ... `body(count - 1)`, concurrently on up to all processors, and returns
    /// their results in index order. Blocks the calling thread until all are done; run it off
    /// Swift's cooperative pool.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        let results = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, body(index))
        }
        return results.values()
    }
}

/// Write-once slots filled from concurrent iterations, each slot by exactly one of them.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    // Each slot is written by one iteration through the raw pointer (no shared array
    // bookkeeping) and read after concurrentPerform returns, which orders writes before reads.
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: T) {
        slots[index] = value
    }

    func values() -> [T] {
        slots.map { $0! }
    }
}
