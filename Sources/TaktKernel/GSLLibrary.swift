import CGSL

/// Process-wide set-up of the GNU Scientific Library, done once before Takt first calls it.
///
/// GSL's default error handler aborts the process. Takt switches it off and checks what each
/// GSL function returns instead (a NULL table, a NaN quantile), turning failures into Swift
/// errors such as ``DistributionError`` and ``StatisticsError``.
public enum GSLLibrary {
    private static let configured: Void = { takt_gsl_errors_off() }()

    /// Switches GSL's abort-on-error handler off; idempotent and thread-safe.
    public static func prepare() { _ = configured }

    /// The version of GSL Takt was built against, e.g. "2.7.1"; printed with every result.
    public static var version: String { String(cString: takt_gsl_version()) }
}
