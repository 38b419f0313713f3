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

extension Directory {
    /// Renames `from` to `to` (replacing an empty directory or a file at `to`).
    static func rename(_ from: String, to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else { throw POSIXFile.error("rename", from + " -> " + to) }
    }

    /// Removes `path` and everything below it; a missing path is not an error.
    static func removeTree(_ path: String) throws(StorageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw POSIXFile.error("lstat", path)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw POSIXFile.error("rmdir", path) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw POSIXFile.error("unlink", path) }
        }
    }

    /// Removes one file; a missing file is not an error.
    static func removeFile(_ path: String) throws(StorageError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw POSIXFile.error("unlink", path) }
    }

    /// The size of the file at `path` in bytes.
    static func fileSize(_ path: String) throws(StorageError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXFile.error("stat", path) }
        return Int(info.st_size)
    }

    /// Whether `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}
