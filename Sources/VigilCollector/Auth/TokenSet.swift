/// A set of bearer tokens of one scope, checked in constant time.
///
/// `accepts` and `index(of:)` compare the presented token with every configured token over
/// the full length of the longer of the two, so neither the position of a mismatch nor which
/// token matched shows in the response time.
public struct TokenSet: Sendable {
    private let tokens: [[UInt8]]

    /// Empty strings are dropped; the order of the others is kept (see `index(of:)`).
    public init(_ tokens: [String]) {
        self.tokens = tokens.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    public var isEmpty: Bool { tokens.isEmpty }

    /// Whether `presented` equals one of the tokens.
    public func accepts(_ presented: some StringProtocol) -> Bool {
        index(of: presented) != nil
    }

    /// The position of `presented` among the non-empty tokens given to `init`, or nil.
    public func index(of presented: some StringProtocol) -> Int? {
        let candidate = Array(presented.utf8)
        var found = -1
        for (position, token) in tokens.enumerated() {
            let equal = Int(Self.constantTimeEqual(token, candidate))
            // Branch-free select: keeps the first match without an early exit.
            let take = equal & (found < 0 ? 1 : 0)
            found = take * position + (1 - take) * found
        }
        return found < 0 ? nil : found
    }

    /// 1 when equal, 0 otherwise; the work depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> UInt8 {
        let length = max(a.count, b.count)
        var difference: UInt = a.count == b.count ? 0 : 1
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= UInt(x ^ y)
        }
        return difference == 0 ? 1 : 0
    }
}
