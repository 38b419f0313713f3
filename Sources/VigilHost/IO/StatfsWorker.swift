import Glibc
import Synchronization

/// statfs(2) of network and FUSE mounts on a helper thread, so that a server that stopped
/// answering (a dead NFS server) delays one tick by at most the timeout instead of stalling
/// the sampler for good.
///
/// As in node_exporter, a mount that does not answer in time is "stuck": later calls report it
/// at once, without calling statfs, until the blocked call returns. The blocked thread is left
/// behind and a new one serves the other mounts.
///
/// Not thread-safe: one reader calls `usage(of:)`.
final class StatfsWorker {
    enum Outcome: Equatable {
        case usage(FilesystemUsage)
        case failed
        /// The mount did not answer within the timeout, now or on an earlier call.
        case stuck
    }

    /// The statfs(2) call; a parameter so tests can stand in a file system that hangs.
    typealias Statfs = @Sendable (CPath) -> Result<FilesystemUsage, FilesystemUsageError>

    private let timeout: Double
    private let statfs: Statfs
    private let stuck = StuckMounts()
    private var channel: Channel?

    /// `timeout` in seconds (node_exporter's `--collector.filesystem.mount-timeout`, 5 s by default).
    init(timeout: Double, statfs: @escaping Statfs = FilesystemUsage.read) {
        self.timeout = timeout
        self.statfs = statfs
    }

    deinit {
        channel?.close()
    }

    /// statfs(2) of `path` on the helper thread, waiting at most the timeout.
    func usage(of path: CPath) -> Outcome {
        if stuck.contains(path.text) { return .stuck }
        if channel == nil {
            guard let started = Channel.start(stuck: stuck, statfs: statfs) else {
                // No thread could be started; fall back to calling statfs here.
                return Outcome(statfs(path))
            }
            channel = started
        }
        guard let result = channel!.call(path, timeout: timeout) else {
            channel = nil
            return .stuck
        }
        return Outcome(result)
    }
}

extension StatfsWorker.Outcome {
    /// The outcome of a statfs call made directly.
    init(_ result: Result<FilesystemUsage, FilesystemUsageError>) {
        switch result {
        case .success(let usage): self = .usage(usage)
        case .failure: self = .failed
        }
    }
}

/// Mount points whose statfs call has not returned, shared with the threads blocked in them.
private final class StuckMounts: Sendable {
    private let paths = Mutex<Set<String>>([])

    func contains(_ path: String) -> Bool {
        paths.withLock { $0.contains(path) }
    }

    func insert(_ path: String) {
        paths.withLock { _ = $0.insert(path) }
    }

    func remove(_ path: String) {
        paths.withLock { _ = $0.remove(path) }
    }
}

/// One helper thread and the request/response slots it shares with the caller, all guarded by
/// `lock`. The thread holds a reference to the channel until it exits.
private final class Channel: @unchecked Sendable {
    // Allocated, so the pthread objects never move.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let requestReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let responseReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var request: CPath?
    private var response: Result<FilesystemUsage, FilesystemUsageError>?
    /// Set by the caller when it stops waiting (timeout) or closes; the thread then exits.
    private var abandoned = false
    private let stuck: StuckMounts
    private let statfs: StatfsWorker.Statfs

    private init(stuck: StuckMounts, statfs: @escaping StatfsWorker.Statfs) {
        self.stuck = stuck
        self.statfs = statfs
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(requestReady, &attributes)
        pthread_cond_init(responseReady, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(requestReady)
        pthread_cond_destroy(responseReady)
        pthread_mutex_destroy(lock)
        requestReady.deallocate()
        responseReady.deallocate()
        lock.deallocate()
    }

    /// A channel with its thread running, or nil when no thread could be created.
    static func start(stuck: StuckMounts, statfs: @escaping StatfsWorker.Statfs) -> Channel? {
        let channel = Channel(stuck: stuck, statfs: statfs)
        let retained = Unmanaged.passRetained(channel).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            Unmanaged<Channel>.fromOpaque(argument!).takeRetainedValue().serve()
            return nil
        }, retained)
        guard created == 0 else {
            Unmanaged<Channel>.fromOpaque(retained).release()
            return nil
        }
        pthread_detach(thread)
        return channel
    }

    /// Hands `path` to the thread and waits up to `timeout` seconds for its answer; nil on
    /// timeout, after which `path` is stuck and this channel is abandoned. Marking the path
    /// stuck under the lock orders it before the thread's removal when its call returns.
    func call(_ path: CPath, timeout: Double) -> Result<FilesystemUsage, FilesystemUsageError>? {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + Int((timeout - timeout.rounded(.down)) * 1e9)
        deadline.tv_sec += time_t(timeout) + time_t(nanoseconds / 1_000_000_000)
        deadline.tv_nsec = nanoseconds % 1_000_000_000

        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        request = path
        response = nil
        pthread_cond_signal(requestReady)
        while response == nil {
            if pthread_cond_timedwait(responseReady, lock, &deadline) == ETIMEDOUT, response == nil {
                abandoned = true
                stuck.insert(path.text)
                return nil
            }
        }
        let result = response
        response = nil
        return result
    }

    /// Tells an idle thread to exit.
    func close() {
        pthread_mutex_lock(lock)
        abandoned = true
        pthread_cond_signal(requestReady)
        pthread_mutex_unlock(lock)
    }

    private func serve() {
        pthread_mutex_lock(lock)
        while true {
            while request == nil, !abandoned {
                pthread_cond_wait(requestReady, lock)
            }
            guard let path = request, !abandoned else { break }
            request = nil
            pthread_mutex_unlock(lock)
            let result = statfs(path)
            pthread_mutex_lock(lock)
            if abandoned {
                stuck.remove(path.text)
                break
            }
            response = result
            pthread_cond_signal(responseReady)
        }
        pthread_mutex_unlock(lock)
    }
}
