import CGSL

/// A failure reported by the GNU Scientific Library, with GSL's own explanation.
public struct GSLError: Error, Equatable, CustomStringConvertible, Sendable {
    /// GSL's status code (`GSL_EDOM`, `GSL_EINVAL`, …).
    public let code: Int32
    /// What Takt was doing when GSL failed.
    public let operation: String
    /// GSL's message for `code`.
    public var reason: String { String(cString: gsl_strerror(code)) }

    /// Wraps a GSL status code.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String { "GSL error in \(operation): \(reason) (code \(code))" }
}

/// Process-wide GSL set-up, done once before Takt first calls into GSL.
enum GSLRuntime {
    /// Switches GSL's abort-on-error handler off; Takt checks return values instead.
    static let configured: Void = { takt_gsl_errors_off() }()

    /// The GSL version Takt is linked against, e.g. "2.7.1".
    static var version: String { String(cString: takt_gsl_version()) }
}
