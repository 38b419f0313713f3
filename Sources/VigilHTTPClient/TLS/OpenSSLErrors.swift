import COpenSSL

/// OpenSSL's thread-local error queue as text for messages.
enum OpenSSLErrors {
    /// Every queued error as `error:0A000086:SSL routines::certificate verify failed`, joined by
    /// "; ", and the reason code of the first one (0 when the queue was empty). Empties the queue.
    static func drainWithReason() -> (text: String, reason: Int32) {
        var texts: [String] = []
        var firstReason: Int32 = 0
        var buffer = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            if firstReason == 0 { firstReason = ERR_GET_REASON(code) }
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if !texts.contains(text) { texts.append(text) }
        }
        return (texts.joined(separator: "; "), firstReason)
    }

    /// The queued errors as text; empties the queue.
    static func drain() -> String { drainWithReason().text }
}
