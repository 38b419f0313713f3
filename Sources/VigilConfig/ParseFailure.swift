/// An error found while parsing, before the file name is attached.
struct ParseFailure: Error {
    var kind: ConfigError.Kind
    var position: SourcePosition
    var keyPath: String
    var message: String
    var hint: String?

    init(
        _ kind: ConfigError.Kind, at position: SourcePosition, keyPath: String = "",
        _ message: String, hint: String?
    ) {
        self.kind = kind
        self.position = position
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    func error(file: String) -> ConfigError {
        ConfigError(kind, file: file, position: position, keyPath: keyPath, message: message, hint: hint)
    }
}

/// One component of a dotted key or table header, with where it was written.
struct KeyPart {
    var name: String
    var position: SourcePosition
}
