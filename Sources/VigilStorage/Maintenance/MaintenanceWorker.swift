#if canImport(Glibc)
import Glibc
#endif

/// The store's background thread: cuts blocks, compacts, applies retention, and runs the
/// on-demand jobs (`flush`, `compact`) one at a time, so none of that ever runs concurrently
/// with itself and none of its file I/O runs on Swift's cooperative pool.
///
/// `requestPass` asks for one automatic pass (cheap; repeated requests before the pass starts
/// count once). Jobs queued with `run` wait for their turn; a pending pass runs before them.
final class MaintenanceWorker: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [(_ cancelled: Bool) -> Void] = []
    private var passRequested = false
    private var closing = false
    private var thread: pthread_t?
    /// The automatic pass; set once before `start`.
    private var pass: (() -> Void)?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// Starts the thread; `pass` is what an automatic pass runs.
    func start(pass: @escaping () -> Void) {
        self.pass = pass
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let worker = Unmanaged<MaintenanceWorker>.fromOpaque(raw!).takeRetainedValue()
            worker.loop()
            return nil
        }, context)
        precondition(result == 0, "cannot start the storage maintenance thread: pthread_create returned \(result)")
        locked { thread = handle }
    }

    func requestPass() {
        locked {
            guard !passRequested else { return }
            passRequested = true
            pthread_cond_signal(wake)
        }
    }

    /// Runs `body` on the worker thread after the jobs queued before it; throws `.closed` if
    /// the worker is closed before its turn.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(StorageError) -> T) async throws(StorageError) -> T {
        let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
            let job: (Bool) -> Void = { cancelled in
                guard !cancelled else {
                    continuation.resume(returning: .failure(StorageError(.closed, "the store was closed before the job ran")))
                    return
                }
                do throws(StorageError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            let accepted: Bool = locked {
                guard !closing else { return false }
                jobs.append(job)
                pthread_cond_signal(wake)
                return true
            }
            if !accepted { job(true) }
        }
        return try result.get()
    }

    /// Lets the running job or pass finish, cancels queued jobs and stops the thread. When
    /// called from the worker thread itself (the store released inside a job) it does not wait.
    func close() {
        let (handle, cancelled): (pthread_t?, [(Bool) -> Void]) = locked {
            closing = true
            pthread_cond_signal(wake)
            let queued = jobs
            jobs = []
            defer { thread = nil }
            return (thread, queued)
        }
        for job in cancelled { job(true) }
        if let handle, pthread_equal(handle, pthread_self()) == 0 { pthread_join(handle, nil) }
    }

    private func loop() {
        while true {
            let next: (pass: Bool, job: ((Bool) -> Void)?)? = locked {
                while !closing, !passRequested, jobs.isEmpty { pthread_cond_wait(wake, mutex) }
                if closing { return nil }
                if passRequested {
                    passRequested = false
                    return (true, nil)
                }
                return (false, jobs.removeFirst())
            }
            guard let next else { break }
            if next.pass { pass?() }
            next.job?(false)
        }
        pass = nil
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
