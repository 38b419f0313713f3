#if canImport(Glibc)
import Glibc
#endif

/// A plain POSIX thread running one closure. The agent uses two (sampler on the main
/// thread, shipper here) so a slow collector never delays sampling, without the
/// cooperative thread pool that blocking socket calls would starve.
final class AgentThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let finished = StopFlag()

    init(_ body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        let box = Unmanaged.passRetained(ClosureBox {
            body()
            finished.requestStop()
        }).toOpaque()
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<ClosureBox>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed with \(result): the agent cannot start its shipper thread")
    }

    /// Waits until the closure has returned or the monotonic `deadline` (ns) passed; returns
    /// whether it returned. A thread still running at exit ends with the process.
    func join(until deadline: Int64) -> Bool {
        guard finished.sleep(until: deadline) else { return false }
        pthread_join(thread, nil)
        return true
    }

    private final class ClosureBox {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// A stop request shared by the agent's threads, with an interruptible sleep.
final class StopFlag: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stopped = false

    var isStopped: Bool { lock.withLock { stopped } }

    func requestStop() {
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
    }

    /// Sleeps until the monotonic deadline (ns) or a stop request; returns true if stopped.
    func sleep(until deadline: Int64) -> Bool {
        lock.withLock {
            while !stopped {
                if !lock.wait(until: deadline) { break }
            }
            return stopped
        }
    }
}
