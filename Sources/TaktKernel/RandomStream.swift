import CGSL

/// The GSL generator algorithm behind a ``RandomStream``.
public enum GeneratorKind: String, CaseIterable, Sendable {
    /// Tausworthe, maximally equidistributed (L'Ecuyer 1996); period 2⁸⁸. Takt's default:
    /// the fastest GSL generator measured here (see docs/performance.md).
    case taus2
    /// Mersenne Twister (Matsumoto & Nishimura 1998); period 2¹⁹⁹³⁷ − 1.
    case mt19937
    /// Four-tap lagged-fibonacci (Ziff 1998); period about 2⁹⁶⁸⁹.
    case gfsr4
    /// RANLUX, double precision, luxury level 2 (Lüscher 1994): slow, for cross-checks.
    case ranlxd2

    /// The generator Takt uses unless a scenario asks for another.
    public static let standard = GeneratorKind.taus2

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .taus2: takt_rng_taus2()
        case .mt19937: takt_rng_mt19937()
        case .gfsr4: takt_rng_gfsr4()
        case .ranlxd2: takt_rng_ranlxd2()
        }
    }

    /// GSL's own name of the generator, printed with every result.
    public var gslName: String { String(cString: gslType.pointee.name) }
}

/// An unowned reference to a stream's GSL generator, for per-event code that must not
/// retain and release a ``RandomStream`` on every draw. Valid only while its stream lives;
/// the owner of the stream keeps it alive.
@frozen
public struct GeneratorHandle {
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>

    @inlinable
    init(_ generator: UnsafeMutablePointer<gsl_rng>) { self.generator = generator }

    /// A uniform double in [0, 1).
    @inlinable
    public func uniform() -> Double { takt_rng_uniform(generator) }
}

/// One independent source of random numbers, backed by a GSL generator.
///
/// A stream is owned by one replication of one model and is not shared across threads.
/// Create it from ``StreamSeed`` parameters so its numbers depend only on
/// (scenario seed, replication, stream name).
public final class RandomStream {
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>

    /// The generator algorithm.
    public let kind: GeneratorKind
    /// The seed GSL was given.
    public let seed: UInt64
    /// The stream's name, for diagnostics.
    public let name: String

    /// Creates the stream `name` of `replication` under the scenario seed `seed`.
    public convenience init(
        seed: UInt64, replication: Int, name: String, kind: GeneratorKind = .standard
    ) {
        self.init(
            gslSeed: StreamSeed.derive(seed: seed, replication: replication, name: name),
            name: name, kind: kind)
    }

    /// Creates a stream seeded directly with `gslSeed` (GSL uses its low 32 bits).
    public init(gslSeed: UInt64, name: String = "", kind: GeneratorKind = .standard) {
        GSLLibrary.prepare()
        guard let generator = gsl_rng_alloc(kind.gslType) else {
            fatalError("GSL could not allocate a \(kind.rawValue) generator: out of memory")
        }
        gsl_rng_set(generator, UInt(truncatingIfNeeded: gslSeed))
        self.generator = generator
        self.kind = kind
        self.seed = gslSeed
        self.name = name
    }

    deinit { gsl_rng_free(generator) }

    /// A uniform double in [0, 1).
    @inlinable
    public func uniform() -> Double { takt_rng_uniform(generator) }

    /// An unowned handle to the generator (see ``GeneratorHandle``).
    @inlinable
    public var handle: GeneratorHandle { GeneratorHandle(generator) }

    /// A uniform double in (0, 1), for transforms that take a logarithm.
    @inlinable
    public func uniformPositive() -> Double { takt_rng_uniform_pos(generator) }

    /// An exponential variate with the given mean (GSL `gsl_ran_exponential`).
    @inlinable
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(generator, mean) }

    /// A normal variate with mean 0 and standard deviation `sd` (GSL's ziggurat method).
    @inlinable
    public func gaussian(sd: Double) -> Double { gsl_ran_gaussian_ziggurat(generator, sd) }

    /// A uniform integer in 0 ..< `bound` (GSL `gsl_rng_uniform_int`); `bound` must be positive.
    @inlinable
    public func index(below bound: Int) -> Int {
        Int(gsl_rng_uniform_int(generator, UInt(bound)))
    }

    /// The raw GSL generator, for distributions in this module.
    @inlinable
    var gsl: UnsafeMutablePointer<gsl_rng> { generator }
}
