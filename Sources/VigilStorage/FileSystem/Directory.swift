#if canImport(Glibc)
import Glibc
#endif

/// Directory calls: create with parents, list, fsync, and an exclusive lock file.
enum Directory {
    /// Creates `path` and any missing parents (`mkdir -p`).
    static func create(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw POSIXFile.error("mkdir", prefix)
            }
            prefix += "/"
        }
    }

    /// Names of the entries in `path`, without "." and "..".
    static func list(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else { throw POSIXFile.error("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Makes created, renamed or removed entries of `path` durable.
    static func sync(_ path: String) throws(StorageError) {
        let dir = try POSIXFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        defer { dir.close() }
        while fsync(dir.descriptor) != 0 {
            if errno != EINTR { throw POSIXFile.error("fsync", path) }
        }
    }

    /// Takes an exclusive `flock` on `path` (created if missing), so a second open of the
    /// same store, in this process or another, fails instead of corrupting the WAL.
    static func lock(_ path: String) throws(StorageError) -> POSIXFile {
        let file = try POSIXFile(path: path, flags: O_RDWR | O_CREAT)
        guard flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            file.close()
            if code == EWOULDBLOCK {
                throw StorageError(.locked,
                    "\(path) is locked: the store is already open in this or another process; close it first")
            }
            throw POSIXFile.error("flock", path, code)
        }
        return file
    }
}
