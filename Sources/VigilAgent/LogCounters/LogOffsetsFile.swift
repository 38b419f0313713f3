#if canImport(Glibc)
import Glibc
#endif

/// The tails' positions across restarts: `<dir>/log-offsets`, one line per file,
/// `<device> <inode> <offset> <path>\n` in decimal, path to the end of the line.
///
/// Written whole to `log-offsets.tmp`, fsynced, then renamed over the old file, so a crash
/// leaves either the old or the new contents. Lines that do not parse are ignored on load
/// (their file is then read as if new).
enum LogOffsetsFile {
    static let name = "log-offsets"

    /// The saved positions by path; empty when the file is missing or unreadable.
    static func load(directory: String) -> [String: LogTail.Position] {
        let path = directory + "/" + name
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [:] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        var positions: [String: LogTail.Position] = [:]
        for line in bytes.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4,
                  let device = UInt64(String(decoding: fields[0], as: UTF8.self)),
                  let inode = UInt64(String(decoding: fields[1], as: UTF8.self)),
                  let offset = Int64(String(decoding: fields[2], as: UTF8.self)), offset >= 0
            else { continue }
            positions[String(decoding: fields[3], as: UTF8.self)] = LogTail.Position(
                device: device, inode: inode, offset: offset)
        }
        return positions
    }

    /// Replaces the file with `positions`, atomically.
    /// - Throws: `LogCounterError` (`.state`) naming the failed call and path.
    static func save(_ positions: [(path: String, position: LogTail.Position)], directory: String) throws(LogCounterError) {
        var text = ""
        for (path, position) in positions {
            text += "\(position.device) \(position.inode) \(position.offset) \(path)\n"
        }
        let final = directory + "/" + name
        let temporary = final + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("create", path: temporary, errno: errno) }
        var written = 0
        let total = text.utf8.count
        let failure: Int32? = text.withUTF8 { bytes in
            while written < total {
                let count = write(fd, bytes.baseAddress! + written, total - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return fsync(fd) == 0 ? nil : errno
        }
        close(fd)
        if let failure { throw .system("write", path: temporary, errno: failure) }
        guard rename(temporary, final) == 0 else { throw .system("rename to \(final)", path: temporary, errno: errno) }
    }
}
