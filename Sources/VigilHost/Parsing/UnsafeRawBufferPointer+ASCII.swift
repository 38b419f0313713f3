import Glibc

extension UnsafeRawBufferPointer {
    /// Whether these bytes are exactly the ASCII text `literal`.
    func equals(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.count == count else { return false }
        guard count > 0, let base = baseAddress else { return true }
        return memcmp(base, literal.utf8Start, count) == 0
    }

    /// Whether these bytes start with the ASCII text `literal`.
    func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.count >= count else { return false }
        guard count > 0, let base = baseAddress else { return true }
        return memcmp(base, literal.utf8Start, count) == 0
    }

    /// The bytes as a String (invalid UTF-8 repaired), for labels and messages.
    var text: String { String(decoding: self, as: UTF8.self) }
}
