import Foundation

/// Everything a child process writes to stdout and stderr, collected as it arrives, for
/// tests that wait for a log line or print the log when they fail.
final class ProcessOutput: @unchecked Sendable {
    private let pipe = Pipe()
    private let lock = NSLock()
    private var text = ""

    /// Sends `process`'s stdout and stderr here; call before `process.run()`.
    init(capturing process: Process) {
        process.standardError = pipe
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.text += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
    }

    /// What was written so far.
    var contents: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }
}
