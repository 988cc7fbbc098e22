import CGSL

/// Process-wide set-up of the GNU Scientific Library, done once before Takt first calls it.
///
/// GSL's default error handler aborts the process. Takt replaces it (`gsl_set_error_handler`)
/// with one that notes the error on the calling thread and returns; GSL then hands back its
/// error value (a NaN, an infinity, a NULL table), and Takt checks what each GSL function
/// returns, turning failures into Swift errors such as ``DistributionError`` and
/// ``StatisticsError``. ``takeError()`` reads (and clears) what was noted.
public enum GSLLibrary {
    private static let configured: Void = { takt_gsl_install_handler() }()

    /// Installs Takt's error handler in place of GSL's aborting one; idempotent and thread-safe.
    public static func prepare() { _ = configured }

    /// The GSL error noted on this thread since the last call, cleared; `nil` when none was.
    public static func takeError() -> (code: Int32, reason: String)? {
        let code = takt_gsl_take_errno()
        guard code != 0 else { return nil }
        return (code, takt_gsl_last_reason().map { String(cString: $0) } ?? "error \(code)")
    }

    /// The version of GSL Takt was built against, e.g. "2.7.1"; printed with every result.
    public static var version: String { String(cString: takt_gsl_version()) }
}
