/// A complete response: status, headers in the order received (names as the server spelled
/// them) and the whole body, already de-chunked.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name`, compared case-insensitively (ASCII), or nil.
    public func header(_ name: String) -> String? {
        headers.first { HeaderName.equal($0.name, name) }?.value
    }

    /// The body decoded as UTF-8; invalid sequences become U+FFFD.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
