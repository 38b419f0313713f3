/// A file path held both as text, for messages, and as a NUL-terminated C string converted
/// once, so that system calls on a path read every tick allocate nothing. (Passing a String to
/// a C function copies it into a fresh buffer on each call.)
struct CPath: Sendable, Hashable, CustomStringConvertible {
    let text: String
    private let cString: [CChar]

    init(_ text: String) {
        self.text = text
        cString = Array(text.utf8CString)
    }

    /// `relative` under the configured root (`/proc`, `/host/sys`, `/`).
    init(root: String, _ relative: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.init(root == "/" ? "/" + relative : root + "/" + relative)
    }

    /// Calls `body` with the NUL-terminated path.
    func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        cString.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    var description: String { text }
}
