import Glibc

/// What stat(2) says about a file that tells whether it changed: inode, size and modification
/// time. Used to re-read small, rarely changing files (udev properties) only when they change.
struct FileStamp: Equatable, Sendable {
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int64
    let modifiedNanoseconds: Int64

    /// The stamp of `path`, or nil when it cannot be stat'ed (missing, no permission).
    static func of(_ path: CPath) -> FileStamp? {
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        return FileStamp(
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modifiedSeconds: Int64(info.st_mtim.tv_sec),
            modifiedNanoseconds: Int64(info.st_mtim.tv_nsec))
    }
}
