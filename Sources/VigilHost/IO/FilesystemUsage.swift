import Glibc

/// Space and inode counts of a mounted file system, from statfs(2), in node_exporter's units.
struct FilesystemUsage: Equatable, Sendable {
    /// Blocks × block size, in bytes.
    var size: Double
    var free: Double
    /// Free bytes available to unprivileged users.
    var available: Double
    var files: Double
    var filesFree: Double

    /// statfs(2) of `path` (through glibc's statvfs, which copies `f_bsize` and the counts
    /// unchanged, so the products equal node_exporter's `Blocks * Bsize`), or the errno when
    /// it fails. Blocks for as long as the file system takes to answer (a hung network mount
    /// blocks the caller).
    static func read(_ path: CPath) -> Result<FilesystemUsage, FilesystemUsageError> {
        var buffer = statvfs()
        guard path.withCString({ statvfs($0, &buffer) }) == 0 else { return .failure(FilesystemUsageError(errno: errno)) }
        let blockSize = Double(buffer.f_bsize)
        return .success(FilesystemUsage(
            size: Double(buffer.f_blocks) * blockSize,
            free: Double(buffer.f_bfree) * blockSize,
            available: Double(buffer.f_bavail) * blockSize,
            files: Double(buffer.f_files),
            filesFree: Double(buffer.f_ffree)))
    }
}

/// statfs(2) failed with `errno`.
struct FilesystemUsageError: Error, Equatable {
    let errno: Int32
}
