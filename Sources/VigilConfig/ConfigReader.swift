/// Binds a parsed document to typed values and collects every problem on the way.
///
/// Use: read each key through `root` and the sections it hands out (each getter returns the
/// file's value or the default, and records a problem instead of throwing), report cross-field
/// problems with `report(_:)`, then call `finish()`, which adds an error for every key nobody
/// asked for and throws them all together.
///
/// Not thread-safe: one reader binds one document on one task.
public final class ConfigReader {
    public let document: ConfigDocument
    /// The top-level table.
    public let root: ConfigSection
    let log: ErrorLog

    /// - Parameter environment: where keys that name environment variables are looked up.
    public init(_ document: ConfigDocument, environment: ConfigEnvironment = .process) {
        self.document = document
        log = ErrorLog(file: document.file, environment: environment)
        root = ConfigSection(table: document.root, path: [], log: log)
    }

    /// The problems recorded so far, in the order found.
    public var errors: [ConfigError] { log.errors }

    /// Records `problem` at the position of the value at its key path, or without a position
    /// when the file does not set that key (the problem then concerns a default).
    public func report(_ problem: ConfigProblem) {
        log.errors.append(ConfigError(
            .invalidValue, file: document.file, position: document.value(at: problem.keyPath)?.position,
            keyPath: KeyText.render(problem.keyPath), message: problem.message, hint: problem.hint))
    }

    /// Adds an `.unknownKey` error for every key in a read section that no getter asked for
    /// (and for every table no `section(_:)` call opened), then throws all errors, ordered by
    /// position. Call once, after all reads.
    public func finish() throws(ConfigErrors) {
        root.reportUnknownKeys()
        guard !log.errors.isEmpty else { return }
        let ordered = log.errors.enumerated().sorted { lhs, rhs in
            switch (lhs.element.position, rhs.element.position) {
            case (nil, nil): lhs.offset < rhs.offset
            case (nil, _): true
            case (_, nil): false
            case (let left?, let right?): left < right || (left == right && lhs.offset < rhs.offset)
            }
        }
        throw ConfigErrors(ordered.map(\.element))
    }
}

@available(*, unavailable)
extension ConfigReader: Sendable {}

/// Where sections record problems; shared by a reader and all its sections.
final class ErrorLog {
    let file: String
    /// Not an error source, but shared the same way: every section of one reader looks up
    /// environment variables in the same place.
    let environment: ConfigEnvironment
    var errors: [ConfigError] = []

    init(file: String, environment: ConfigEnvironment) {
        self.file = file
        self.environment = environment
    }
}
