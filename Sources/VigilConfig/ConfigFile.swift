#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading config files and the files they name (token files), with Glibc only.
public enum ConfigFile {
    /// Files larger than this are refused: a config or token file this big is a wrong path.
    public static let maxSize = 16 << 20

    /// Why a file could not be read, with the path and the system's reason.
    public struct ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        /// The `errno` value, or 0 when the file was read but refused (too large, not UTF-8).
        public var code: Int32
        /// The system's wording for `code`, or why the contents were refused.
        public var reason: String

        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// The contents of the regular file at `path` as UTF-8 text.
    /// - Throws: `ReadError` when the file cannot be opened or read, is not a regular file,
    ///   is larger than `maxSize` or is not valid UTF-8.
    public static func read(path: String) throws(ReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError(path) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            let isDirectory = status.st_mode & S_IFMT == S_IFDIR
            throw ReadError(path: path, code: 0, reason: isDirectory ? "it is a directory" : "it is not a regular file")
        }
        let bytes: [UInt8]
        switch readAll(descriptor, limit: maxSize) {
        case .success(let all): bytes = all
        case .failure(.tooLarge):
            throw ReadError(path: path, code: 0, reason: "it is larger than \(ByteSizeText.format(maxSize))")
        case .failure(.system(let code)):
            throw ReadError(path: path, code: code, reason: String(cString: strerror(code)))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(path: path, code: 0, reason: "it is not UTF-8 text")
        }
        return text
    }

    /// Reads and parses the config file at `path`; messages name the file by `path`.
    /// - Throws: `ConfigErrors` holding one `.unreadable` error when the file cannot be read,
    ///   else the parse errors.
    public static func load(path: String) throws(ConfigErrors) -> ConfigDocument {
        try ConfigDocument.parse(try text(path: path), file: path)
    }

    /// `read(path:)` with its failure as `ConfigErrors`, for the `load(path:)` of config types.
    public static func text(path: String) throws(ConfigErrors) -> String {
        do {
            return try read(path: path)
        } catch {
            throw ConfigErrors([
                ConfigError(
                    .unreadable, file: path, position: nil, keyPath: "",
                    message: "cannot read the config file: \(error.reason)",
                    hint: "check the path and that this user may read it"),
            ])
        }
    }

    /// `path` itself when absolute, else `path` taken relative to the directory of `file`.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        guard !path.hasPrefix("/"), let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(file[...slash]) + path
    }

    private static func systemError(_ path: String) -> ReadError {
        let code = errno
        return ReadError(path: path, code: code, reason: String(cString: strerror(code)))
    }
}

/// Everything readable from `descriptor`, retrying on EINTR. A free function so that `read`
/// means the system call, not `ConfigFile.read(path:)`.
private func readAll(_ descriptor: Int32, limit: Int) -> Result<[UInt8], ReadFailure> {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            return .failure(.system(errno))
        }
        if count == 0 { return .success(bytes) }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > limit { return .failure(.tooLarge) }
    }
}

private enum ReadFailure: Error {
    case system(Int32)
    case tooLarge
}
