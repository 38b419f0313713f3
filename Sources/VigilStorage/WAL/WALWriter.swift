#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The store's single write-ahead log writer: appenders enqueue framed records and wait for
/// a ticket; one dedicated thread writes everything queued so far with one `write` and one
/// `fdatasync` (group commit) and then resumes every waiter whose ticket that covered.
///
/// Fsync runs on the writer's own thread, never on Swift's cooperative pool. Records never
/// span segments: a new segment starts when the next write would pass `segmentBytes`.
/// After a failed write or fsync the writer stops accepting: every waiter and later
/// `waitDurable` fails with `.walFailed`, and the store must be reopened (replay then cuts
/// whatever partial record the failure left).
final class WALWriter: @unchecked Sendable {
    private struct Waiter {
        let ticket: UInt64
        let continuation: CheckedContinuation<Result<Void, StorageError>, Never>
    }

    let directory: String
    private let segmentBytes: Int
    let fsyncEnabled: Bool
    /// Bytes in all segment files, readable without the lock.
    private let totalBytes: Atomic<Int>

    // Guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [UInt8] = []
    /// Write generations: `submitted` was handed to the thread, `durable` is on disk.
    private var submitted: UInt64 = 0
    private var durable: UInt64 = 0
    private var waiters: [Waiter] = []
    private var failure: StorageError?
    private var closing = false
    private var thread: pthread_t?
    /// The index of the segment being written (mirrors `segment.index` for other threads).
    private var currentIndex: Int
    /// Set by `roll()`: the next write starts a new segment.
    private var rollRequested = false

    // Owned by the writer thread once started.
    private var writing: [UInt8] = []
    private var segment: (index: Int, file: POSIXFile, size: Int)

    /// Opens the WAL for appending after replay: continues `last` (its valid size, possibly 0
    /// when even the header was torn), or starts segment `firstIndex` when there is none.
    init(directory: String, last: (index: Int, size: Int)?, firstIndex: Int, existingBytes: Int,
         segmentBytes: Int, fsync: Bool) throws(StorageError) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.fsyncEnabled = fsync
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        if let last, last.size > 0 {
            let path = directory + "/" + WALFormat.segmentName(last.index)
            segment = (last.index, try POSIXFile(path: path, flags: O_WRONLY | O_APPEND), last.size)
            currentIndex = last.index
            totalBytes = Atomic(existingBytes)
        } else {
            let index = last?.index ?? firstIndex
            let file = try Self.createSegment(directory: directory, index: index, fsync: fsync)
            segment = (index, file, WALFormat.segmentHeaderBytes)
            currentIndex = index
            totalBytes = Atomic(existingBytes + WALFormat.segmentHeaderBytes)
        }
    }

    deinit {
        segment.file.close()
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    var bytesOnDisk: Int { totalBytes.load(ordering: .relaxed) }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let writer = Unmanaged<WALWriter>.fromOpaque(raw!).takeRetainedValue()
            writer.run()
            return nil
        }, context)
        precondition(result == 0, "cannot start the WAL writer thread: pthread_create returned \(result)")
        locked { thread = handle }
    }

    /// Writes everything queued, stops the thread and returns once it has exited.
    func close() {
        let handle: pthread_t? = locked {
            closing = true
            pthread_cond_signal(wake)
            defer { thread = nil }
            return thread
        }
        if let handle { pthread_join(handle, nil) }
    }

    /// Queues framed records (series records first) and returns the ticket to wait for.
    func enqueue(_ first: [UInt8], _ second: [UInt8]) -> UInt64 {
        locked {
            pending.append(contentsOf: first)
            pending.append(contentsOf: second)
            pthread_cond_signal(wake)
            return submitted + 1
        }
    }

    /// Makes every record queued after this call go into a segment numbered at least the
    /// returned index, so the segments before it can be replaced by a checkpoint once the
    /// state they hold is persisted elsewhere. The new segment is created by the next write.
    func roll() -> Int {
        locked {
            rollRequested = true
            return currentIndex + 1
        }
    }

    /// A ticket covering everything queued so far, for calls that queued nothing themselves.
    func currentTicket() -> UInt64 {
        locked { pending.isEmpty ? submitted : submitted + 1 }
    }

    /// The error that stopped the writer, if any.
    var failed: StorageError? { locked { failure } }

    /// Returns once the write generation `ticket` is on disk; throws if the WAL failed first.
    func waitDurable(_ ticket: UInt64) async throws(StorageError) {
        let immediate: Result<Void, StorageError>? = locked {
            if ticket <= durable { return .success(()) }
            if let failure { return .failure(failure) }
            return nil
        }
        if let immediate { return try immediate.get() }
        let result: Result<Void, StorageError> = await withCheckedContinuation { continuation in
            let now: Result<Void, StorageError>? = locked {
                if ticket <= durable { return .success(()) }
                if let failure { return .failure(failure) }
                waiters.append(Waiter(ticket: ticket, continuation: continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        try result.get()
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            while pending.isEmpty, !closing { pthread_cond_wait(wake, mutex) }
            if pending.isEmpty { break }
            swap(&pending, &writing)
            submitted += 1
            let generation = submitted
            let alreadyFailed = failure
            let roll = rollRequested
            rollRequested = false
            pthread_mutex_unlock(mutex)

            let error = alreadyFailed ?? persist(writing, roll: roll)
            writing.removeAll(keepingCapacity: true)

            pthread_mutex_lock(mutex)
            var ready: [Waiter] = []
            if let error {
                failure = failure ?? error
                ready = waiters
                waiters = []
            } else {
                durable = generation
                ready = waiters.filter { $0.ticket <= generation }
                waiters.removeAll { $0.ticket <= generation }
            }
            pthread_mutex_unlock(mutex)
            let result: Result<Void, StorageError> = error.map { .failure($0) } ?? .success(())
            for waiter in ready { waiter.continuation.resume(returning: result) }
            pthread_mutex_lock(mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Writes one group commit, starting a new segment first when asked to (`roll`) or when
    /// it would overflow this one.
    private func persist(_ bytes: [UInt8], roll: Bool) -> StorageError? {
        do throws(StorageError) {
            if roll || (segment.size > WALFormat.segmentHeaderBytes && segment.size + bytes.count > segmentBytes) {
                let next = segment.index + 1
                let file = try Self.createSegment(directory: directory, index: next, fsync: fsyncEnabled)
                segment.file.close()
                segment = (next, file, WALFormat.segmentHeaderBytes)
                totalBytes.add(WALFormat.segmentHeaderBytes, ordering: .relaxed)
                locked { currentIndex = next }
            }
            try segment.file.writeAll(bytes)
            segment.size += bytes.count
            totalBytes.add(bytes.count, ordering: .relaxed)
            if fsyncEnabled { try segment.file.syncData() }
            return nil
        } catch {
            return StorageError(.walFailed, "WAL write failed, the store accepts no more appends until reopened: \(error.message)")
        }
    }

    /// Creates segment `index` holding only the header, durable together with its directory entry.
    private static func createSegment(directory: String, index: Int, fsync: Bool) throws(StorageError) -> POSIXFile {
        let path = directory + "/" + WALFormat.segmentName(index)
        let file = try POSIXFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_APPEND)
        do throws(StorageError) {
            try file.writeAll(WALFormat.segmentHeader)
            if fsync {
                try file.syncData()
                try Directory.sync(directory)
            }
        } catch {
            file.close()
            throw error
        }
        return file
    }

    /// Adds (or with a negative count subtracts) bytes of files the WAL directory gained or lost
    /// outside the writer: checkpoints written, segments deleted.
    func accountBytes(_ count: Int) {
        totalBytes.add(count, ordering: .relaxed)
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
