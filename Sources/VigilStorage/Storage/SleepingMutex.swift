#if canImport(Glibc)
import Glibc
#endif

/// A lock around a value whose waiters sleep in the kernel straight away (glibc's default
/// pthread mutex), for critical sections long enough that spinning wastes the CPU.
///
/// `Synchronization.Mutex` uses priority-inheriting futexes on Linux, and the kernel spins a
/// waiter for as long as the owner runs on another CPU. The store's append lock is held for a
/// whole batch (tens to hundreds of microseconds), so a second appender spinning for it cost
/// about 6% of the collector's CPU under four concurrent senders on two cores; a sleeping
/// waiter costs two context switches instead. Not reentrant: `body` must not take the lock again.
final class SleepingMutex<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    // Only touched with `mutex` held.
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    @inline(__always)
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
