#if canImport(Glibc)
import Glibc
#endif

/// Follows one log file by path: reads what was appended since the last call, hands out
/// complete lines, and follows rotation and truncation.
///
/// - Rename rotation (the path now names another inode): the open file is read to its end,
///   then the file at the path is opened and read from offset 0.
/// - Truncation and copytruncate (the open file is shorter than the offset): reading restarts
///   at 0 and a partial line held back is dropped. A file that grew past the old offset again
///   before the next read is not detected (the usual copytruncate race).
/// - A partial last line waits for its newline. A line longer than `maxLineBytes` is cut: its
///   first `maxLineBytes` bytes are handed out, the rest up to the newline is skipped.
///
/// Not thread-safe: one tail is read by one thread.
final class LogTail {
    /// Where the tail stands: the inode of the open file and the offset of the first byte not
    /// yet handed out as (part of) a line.
    struct Position: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var offset: Int64
    }

    let path: String
    let maxLineBytes: Int
    private var descriptor: Int32 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    /// Offset of the next byte to read.
    private var readOffset: Int64 = 0
    /// The start of a line waiting for its newline (at most `maxLineBytes`).
    private var pending: [UInt8] = []
    /// True while the rest of an over-long line is skipped.
    private var skipping = false
    private var buffer: UnsafeMutableRawBufferPointer
    /// Where to resume when the file is first opened; used once.
    private var resume: Position?
    private var startAtEnd: Bool

    /// Lines cut at `maxLineBytes`.
    private(set) var cutLines: UInt64 = 0
    /// Times reading restarted at 0 because the file shrank.
    private(set) var truncations: UInt64 = 0
    /// Times the path was found to name a new file.
    private(set) var rotations: UInt64 = 0

    /// - Parameters:
    ///   - resume: a saved position; used when the file at `path` has the same device and
    ///     inode and is at least `offset` long, otherwise the file is read from 0.
    ///   - startAtEnd: without a usable `resume`, skip what the file at `path` holds when it
    ///     is first opened (a file that appears later, or after rotation, is read from 0).
    init(path: String, maxLineBytes: Int, readSize: Int, resume: Position?, startAtEnd: Bool) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.resume = resume
        self.startAtEnd = startAtEnd
        buffer = .allocate(byteCount: readSize, alignment: 16)
        pending.reserveCapacity(256)
    }

    deinit {
        buffer.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// The position to save: the open file and the start of the line not yet complete. Nil
    /// before the file was ever opened.
    var position: Position? {
        guard descriptor >= 0 else { return resume }
        let held = skipping ? 0 : pending.count
        return Position(device: device, inode: inode, offset: readOffset - Int64(held))
    }

    /// Reads at most `maxBytes` new bytes and calls `line` with each complete line (without
    /// its newline); the buffer is valid only during the call. A missing file is not an error:
    /// it is looked for again on the next call.
    func read(maxBytes: Int, line: (UnsafeRawBufferPointer) -> Void) {
        if descriptor < 0 && !open() { return }
        var budget = maxBytes
        while budget > 0 {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return }
            if Int64(status.st_size) < readOffset {
                truncations += 1
                readOffset = 0
                pending.removeAll(keepingCapacity: true)
                skipping = false
            }
            let consumed = readAvailable(size: Int64(status.st_size), budget: budget, line: line)
            budget -= consumed
            if readOffset < Int64(status.st_size) { return }
            guard pathNamesOtherFile() else { return }
            rotations += 1
            close(descriptor)
            descriptor = -1
            pending.removeAll(keepingCapacity: true)
            skipping = false
            startAtEnd = false
            if !open() { return }
        }
    }

    /// Reads from `readOffset` up to `size` or `budget` bytes; returns the bytes read.
    private func readAvailable(size: Int64, budget: Int, line: (UnsafeRawBufferPointer) -> Void) -> Int {
        var total = 0
        while readOffset < size && total < budget {
            let want = min(buffer.count, budget - total, Int(size - readOffset))
            let count = pread(descriptor, buffer.baseAddress, want, off_t(readOffset))
            if count <= 0 { break }
            readOffset += Int64(count)
            total += count
            split(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), line: line)
        }
        return total
    }

    /// Hands out the complete lines in `chunk`, joining with what was held back.
    private func split(_ chunk: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Void) {
        let base = chunk.baseAddress!
        var start = 0
        while start < chunk.count {
            let rest = chunk.count - start
            guard let found = memchr(base + start, 0x0A, rest) else {
                hold(UnsafeRawBufferPointer(start: base + start, count: rest), line: line)
                return
            }
            let end = UnsafeRawPointer(found) - base
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if skipping {
                skipping = false
            } else if pending.isEmpty {
                if piece.count > maxLineBytes {
                    cutLines += 1
                    line(UnsafeRawBufferPointer(rebasing: piece[0..<maxLineBytes]))
                } else {
                    line(piece)
                }
            } else {
                hold(piece, line: line)
                if !skipping {
                    pending.withUnsafeBytes { line($0) }
                }
                pending.removeAll(keepingCapacity: true)
                skipping = false
            }
            start = end + 1
        }
    }

    /// Keeps `piece` as the start of a line; cuts the line once it passes `maxLineBytes`.
    private func hold(_ piece: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Void) {
        if skipping { return }
        let room = maxLineBytes - pending.count
        if piece.count <= room {
            pending.append(contentsOf: piece)
            return
        }
        pending.append(contentsOf: piece[0..<room])
        cutLines += 1
        pending.withUnsafeBytes { line($0) }
        pending.removeAll(keepingCapacity: true)
        skipping = true
    }

    /// Opens the file at `path` and chooses where to start; false when it does not exist.
    private func open() -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            return false
        }
        descriptor = fd
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        let size = Int64(status.st_size)
        if let saved = resume, saved.device == device, saved.inode == inode, saved.offset <= size {
            readOffset = saved.offset
        } else {
            readOffset = startAtEnd && resume == nil ? size : 0
        }
        resume = nil
        startAtEnd = false
        return true
    }

    /// True when `path` now names a file other than the open one (rename rotation).
    private func pathNamesOtherFile() -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return UInt64(status.st_ino) != inode || UInt64(status.st_dev) != device
    }
}
