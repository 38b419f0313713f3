import Glibc

/// The machine's host name, the usual value of the `host` label.
public enum HostName {
    /// gethostname(2); "localhost" when the call fails or the name is empty.
    public static func current() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return name.isEmpty ? "localhost" : name
    }
}
