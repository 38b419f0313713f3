#if canImport(Glibc)
import Glibc
#endif

/// The spool's directory: created on demand, locked against a second agent, listed for
/// segments, and synced after files appear or vanish.
struct SpoolDirectory {
    let path: String
    private var lockDescriptor: Int32 = -1

    /// Creates `path` and its parents (mode 0755) and takes an exclusive lock on `path/lock`,
    /// held until `unlock()` or the process ends (so a SIGKILLed agent never blocks its successor).
    init(creating path: String) throws(SpoolError) {
        self.path = path
        try Self.makeDirectories(path)
        let lockPath = path + "/lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .system(.directory, "open", path: lockPath, errno: errno, hint: SpoolFile.hintForAccess)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = close(descriptor)
            if code == EWOULDBLOCK {
                throw SpoolError(
                    .locked, path: path, "spool directory \(path) is in use by another vigil-agent",
                    hint: "give each agent its own [spool] dir (or --spool), or stop the other agent")
            }
            throw .system(.directory, "lock", path: lockPath, errno: code, hint: SpoolFile.hintForAccess)
        }
        lockDescriptor = descriptor
    }

    mutating func unlock() {
        if lockDescriptor >= 0 { _ = close(lockDescriptor) }
        lockDescriptor = -1
    }

    func segmentPath(_ index: UInt64) -> String {
        path + "/" + SpoolFormat.segmentName(index)
    }

    /// Indices of the segment files present, ascending; other files are ignored.
    func segmentIndices() throws(SpoolError) -> [UInt64] {
        guard let stream = opendir(path) else {
            throw .system(.directory, "list", path: path, errno: errno, hint: SpoolFile.hintForAccess)
        }
        defer { closedir(stream) }
        var indices: [UInt64] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let index = SpoolFormat.segmentIndex(name) { indices.append(index) }
        }
        return indices.sorted()
    }

    /// Makes a created or removed file's directory entry durable.
    func sync() throws(SpoolError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .system(.directory, "open", path: path, errno: errno, hint: SpoolFile.hintForAccess)
        }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw .system(.directory, "sync", path: path, errno: errno, hint: SpoolFile.hintForAccess)
        }
    }

    func remove(segment index: UInt64) throws(SpoolError) {
        let file = segmentPath(index)
        guard unlink(file) == 0 || errno == ENOENT else {
            throw .system(.io, "remove", path: file, errno: errno, hint: SpoolFile.hintForAccess)
        }
    }

    private static func makeDirectories(_ path: String) throws(SpoolError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .system(
                    .directory, "create", path: prefix, errno: errno,
                    hint: "set [spool] dir or --spool to a directory the agent may write")
            }
        }
    }
}
