#if canImport(Glibc)
import Glibc
#endif

/// The agent's stable id: random on first start, kept in `<state_dir>/agent-id` so the
/// collector can tell restarts of one agent from two agents on one host.
/// If the state directory cannot be written, the id falls back to `host:<name>` and the
/// caller is told why (returned as `warning`).
enum AgentIdentity {
    static func load(stateDirectory: String, host: String) -> (id: String, warning: String?) {
        let path = stateDirectory + "/agent-id"
        if let existing = readSmallFile(path)?.trimmingASCIIWhitespace(), !existing.isEmpty, existing.utf8.count <= 128 {
            return (existing, nil)
        }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16).leftPadded(to: 2) }.joined()
        mkdir(stateDirectory, 0o755)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            return ("host:" + host, "cannot write \(path) (\(String(cString: strerror(errno)))); using agent id host:\(host)")
        }
        let line = id + "\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
        fsync(fd)
        close(fd)
        return (id, nil)
    }

    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
