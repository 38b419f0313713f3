/// Bearer tokens, written inline or kept in files or environment variables that the config names.
///
/// A token is printable ASCII without spaces (it travels in an HTTP Authorization header).
/// Messages never print a token, only where it was written.
extension ConfigSection {
    /// A token read from a file, and the path it was read from.
    public struct TokenFile: Equatable, Sendable {
        /// The path as read: relative paths in the config are taken from the config file's directory.
        public var path: String
        /// The file's contents without leading and trailing whitespace.
        public var token: String

        public init(path: String, token: String) {
            self.path = path
            self.token = token
        }
    }

    /// A token read from an environment variable, and the variable's name.
    public struct TokenVariable: Equatable, Sendable {
        public var name: String
        /// The variable's value without leading and trailing whitespace.
        public var token: String

        public init(name: String, token: String) {
            self.name = name
            self.token = token
        }
    }

    /// The token at `key`; `""` when unset, empty or invalid (recorded).
    public func token(_ key: String) -> String {
        let text = string(key, default: "")
        guard !text.isEmpty, let position = position(of: key) else { return "" }
        return checkToken(text, key: key, source: render(key), at: position) ? text : ""
    }

    /// The tokens of the array at `key`; empty when unset or when any element is invalid (recorded).
    public func tokens(_ key: String) -> [String] {
        guard let elements = stringElements(key) else { return [] }
        var valid = true
        for (index, element) in elements.enumerated() {
            let source = "\(render(key))[\(index)]"
            valid = checkToken(element.text, key: key, source: source, at: element.position) && valid
        }
        return valid ? elements.map(\.text) : []
    }

    /// The token in the file named at `key`; nil when the key is unset or `""`, or when the file
    /// cannot be read or holds no valid token (recorded at the path's position).
    public func tokenFile(_ key: String) -> TokenFile? {
        named(key) { readToken($0, key: key, at: $1) }
    }

    /// The tokens in the files named by the array at `key`, one token per file; empty when unset,
    /// or when any file cannot be read or holds no valid token (recorded at that path's position).
    public func tokenFiles(_ key: String) -> [TokenFile] {
        eachNamed(key) { readToken($0, key: key, at: $1) }
    }

    /// The token in the environment variable named at `key`; nil when the key is unset or `""`,
    /// or when the variable is unset or holds no valid token (recorded at the name's position).
    public func tokenVariable(_ key: String) -> TokenVariable? {
        named(key) { readVariable($0, key: key, at: $1) }
    }

    /// The tokens in the environment variables named by the array at `key`, one token per
    /// variable; empty when unset, or when any variable is unset or invalid (recorded).
    public func tokenVariables(_ key: String) -> [TokenVariable] {
        eachNamed(key) { readVariable($0, key: key, at: $1) }
    }

    /// `read` applied to the string at `key` (a file path or variable name) and its position;
    /// nil when the key is unset or `""`.
    private func named<Token>(_ key: String, _ read: (String, SourcePosition) -> Token?) -> Token? {
        let name = string(key, default: "")
        guard !name.isEmpty, let position = position(of: key) else { return nil }
        return read(name, position)
    }

    /// `read` applied to every string of the array at `key`; empty when the key is unset or
    /// when any element gives nil (its problem recorded by `read`).
    private func eachNamed<Token>(_ key: String, _ read: (String, SourcePosition) -> Token?) -> [Token] {
        guard let elements = stringElements(key) else { return [] }
        let tokens = elements.compactMap { read($0.text, $0.position) }
        return tokens.count == elements.count ? tokens : []
    }

    private func readVariable(_ name: String, key: String, at position: SourcePosition) -> TokenVariable? {
        guard let value = log.environment.value(of: name) else {
            record(
                .invalidValue, key, at: position,
                "environment variable \(name) named by \(render(key)) is not set",
                hint: "export it in the service's environment (systemd: Environment= or EnvironmentFile=), or remove it")
            return nil
        }
        return validToken(value, from: "environment variable \(name)", emptyHint: "set it to the token", key: key, at: position)
            .map { TokenVariable(name: name, token: $0) }
    }

    private func readToken(_ path: String, key: String, at position: SourcePosition) -> TokenFile? {
        let resolved = ConfigFile.resolve(path, relativeTo: log.file)
        let contents: String
        do {
            contents = try ConfigFile.read(path: resolved)
        } catch {
            record(
                .unreadable, key, at: position,
                "cannot read token file \(KeyText.quote(resolved)) named by \(render(key)): \(error.reason)",
                hint: "create it with the token on one line, or fix the path")
            return nil
        }
        return validToken(contents, from: "token file \(KeyText.quote(resolved))", emptyHint: "write the token into it", key: key, at: position)
            .map { TokenFile(path: resolved, token: $0) }
    }

    /// `raw` without surrounding whitespace when it is one valid token; otherwise nil, with
    /// the problem recorded naming `source` (a file or a variable).
    private func validToken(
        _ raw: String, from source: String, emptyHint: String, key: String, at position: SourcePosition
    ) -> String? {
        let token = Self.trimmed(raw)
        guard !token.isEmpty else {
            record(.invalidValue, key, at: position, "\(source) is empty", hint: emptyHint)
            return nil
        }
        return checkToken(token, key: key, source: source, at: position) ? token : nil
    }

    private func checkToken(_ token: String, key: String, source: String, at position: SourcePosition) -> Bool {
        if token.isEmpty {
            record(.invalidValue, key, at: position, "\(source) is an empty token", hint: "remove it or fill it in")
            return false
        }
        guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            record(
                .invalidValue, key, at: position, "\(source) holds a space, control or non-ASCII character",
                hint: "a token is one word of printable ASCII; a token file holds one token")
            return false
        }
        return true
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        let bytes = Array(text.utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
