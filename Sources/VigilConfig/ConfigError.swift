/// One problem with a config file: what is wrong, where, and what to do about it.
///
/// `description` is the line printed to the user, in the form compilers use so editors can
/// jump to it: `agent.conf:12:1: unknown key "intervall" in [collector]; did you mean "interval"?`
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The file (or a file it names, such as a token file) could not be read.
        case unreadable
        /// The text is not valid in the accepted TOML subset.
        case syntax
        /// Valid TOML that this reader does not accept (dates, multi-line strings).
        case unsupported
        /// A key or table defined twice.
        case duplicate
        /// A key the program does not know.
        case unknownKey
        /// A value of the wrong kind, such as an integer where a duration string belongs.
        case wrongType
        /// A number, duration or size outside the accepted range.
        case outOfRange
        /// A value of the right kind that is still not acceptable (bad duration, unknown name).
        case invalidValue
    }

    public var kind: Kind
    /// The config file as named by the caller; empty for problems with command-line values.
    public var file: String
    /// Where the offending key or value starts; nil for problems with the file as a whole or
    /// with values that did not come from the file.
    public var position: SourcePosition?
    /// Dotted path of the key concerned (`collector.url`), empty when no key is involved.
    public var keyPath: String
    /// What is wrong, naming the key: `unknown key "intervall" in [collector]`.
    public var message: String
    /// What to do: `did you mean "interval"?`.
    public var hint: String?

    public init(
        _ kind: Kind, file: String, position: SourcePosition?, keyPath: String,
        message: String, hint: String?
    ) {
        self.kind = kind
        self.file = file
        self.position = position
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = ""
        if !file.isEmpty {
            text += file
            if let position { text += ":\(position.line):\(position.column)" }
            text += ": "
        }
        text += message
        if let hint { text += "; " + hint }
        return text
    }
}

/// Every problem found in one config, thrown together so the user can fix them in one pass.
public struct ConfigErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parser stops collecting after this many errors; past that the file is likely not a
    /// config file at all.
    public static let limit = 50

    /// Never empty when thrown; ordered by file and position, problems without one first.
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

/// A problem found by checking a whole config value, before it is tied to a file position.
///
/// Config types return these from their cross-field checks; `ConfigReader.report(_:)` places
/// them in the file, and `ConfigErrors(problems:)` turns them into errors for values that came
/// from elsewhere (command-line flags).
public struct ConfigProblem: Equatable, Sendable {
    /// Keys from the root, such as `["collector", "url"]`.
    public var keyPath: [String]
    public var message: String
    public var hint: String?

    public init(_ keyPath: [String], _ message: String, hint: String?) {
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }
}

extension ConfigErrors {
    /// Errors without file or position, for problems with values overridden after loading.
    public init(problems: [ConfigProblem]) {
        self.init(problems.map {
            ConfigError(
                .invalidValue, file: "", position: nil, keyPath: KeyText.render($0.keyPath),
                message: $0.message, hint: $0.hint)
        })
    }
}
