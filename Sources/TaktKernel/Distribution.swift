import CGSL
#if canImport(Glibc)
    import Glibc
#endif

/// A probability distribution of a duration or quantity, sampled from a ``RandomStream``.
///
/// Build one with a throwing factory (`try .exponential(mean: 3600)`): each checks its
/// parameters and says what is wrong, so a bad scenario value never reaches the hot path.
/// Variates come from GSL (`gsl_ran_*`) except where GSL has no such distribution
/// (triangular, empirical), which transform GSL uniforms by inversion.
///
/// ``mean`` and ``variance`` are the theoretical moments, used by reports (ideal cycle
/// times) and for checking parameters.
public struct Distribution: Sendable, CustomStringConvertible {
    @usableFromInline
    enum Shape: Sendable {
        case constant(Double)
        case uniform(min: Double, max: Double)
        case exponential(mean: Double)
        case normal(mean: Double, sd: Double)
        case normalTruncatedAtZero(mean: Double, sd: Double)
        case lognormal(mean: Double, sd: Double, zeta: Double, sigma: Double)
        case gamma(shape: Double, scale: Double)
        case weibull(shape: Double, scale: Double)
        case triangular(min: Double, mode: Double, max: Double)
        case beta(alpha: Double, beta: Double, min: Double, max: Double)
        case discrete(values: [Double], choice: DiscreteChoice)
        case empiricalResample(samples: [Double])
        case empiricalInterpolated(sorted: [Double])
    }

    /// Which distribution; with ``p0``…``p3`` and ``table`` it is the whole value. Stored as
    /// plain numbers so that copying a distribution on the per-event path moves 40 bytes and
    /// retains at most one table, instead of copying an enum with reference-counted payloads.
    @usableFromInline
    enum Kind: UInt8, Sendable {
        // The kinds that need a table come last: `Parameters.needsTable` compares raw values.
        case constant, uniform, exponential, normal, normalTruncatedAtZero, lognormal, gamma, weibull
        case triangular, beta, discrete, empiricalResample, empiricalInterpolated
    }

    /// Observed values or discrete outcomes, for the table-based distributions.
    @usableFromInline
    final class Table: Sendable {
        @usableFromInline let values: [Double]
        @usableFromInline let choice: DiscreteChoice?

        init(values: [Double], choice: DiscreteChoice? = nil) {
            self.values = values
            self.choice = choice
        }
    }

    @usableFromInline let kind: Kind
    @usableFromInline let p0: Double
    @usableFromInline let p1: Double
    @usableFromInline let p2: Double
    @usableFromInline let p3: Double
    @usableFromInline let table: Table?

    init(_ shape: Shape) {
        var p = (0.0, 0.0, 0.0, 0.0)
        var table: Table?
        switch shape {
        case .constant(let v): kind = .constant; p.0 = v
        case .uniform(let a, let b): kind = .uniform; p = (a, b, 0, 0)
        case .exponential(let m): kind = .exponential; p.0 = m
        case .normal(let m, let sd): kind = .normal; p = (m, sd, 0, 0)
        case .normalTruncatedAtZero(let m, let sd): kind = .normalTruncatedAtZero; p = (m, sd, 0, 0)
        case .lognormal(let m, let sd, let zeta, let sigma): kind = .lognormal; p = (m, sd, zeta, sigma)
        case .gamma(let k, let scale): kind = .gamma; p = (k, scale, 0, 0)
        case .weibull(let k, let scale): kind = .weibull; p = (k, scale, 0, 0)
        case .triangular(let a, let c, let b): kind = .triangular; p = (a, c, b, 0)
        case .beta(let al, let be, let a, let b): kind = .beta; p = (al, be, a, b)
        case .discrete(let values, let choice): kind = .discrete; table = Table(values: values, choice: choice)
        case .empiricalResample(let samples): kind = .empiricalResample; table = Table(values: samples)
        case .empiricalInterpolated(let sorted): kind = .empiricalInterpolated; table = Table(values: sorted)
        }
        (p0, p1, p2, p3) = p
        self.table = table
    }

    /// The distribution as an enum, for the code that is not on the per-event path.
    var shape: Shape {
        switch kind {
        case .constant: .constant(p0)
        case .uniform: .uniform(min: p0, max: p1)
        case .exponential: .exponential(mean: p0)
        case .normal: .normal(mean: p0, sd: p1)
        case .normalTruncatedAtZero: .normalTruncatedAtZero(mean: p0, sd: p1)
        case .lognormal: .lognormal(mean: p0, sd: p1, zeta: p2, sigma: p3)
        case .gamma: .gamma(shape: p0, scale: p1)
        case .weibull: .weibull(shape: p0, scale: p1)
        case .triangular: .triangular(min: p0, mode: p1, max: p2)
        case .beta: .beta(alpha: p0, beta: p1, min: p2, max: p3)
        // Table-based kinds always carry their table (see `init(_:)`).
        case .discrete: .discrete(values: table!.values, choice: table!.choice!)
        case .empiricalResample: .empiricalResample(samples: table!.values)
        case .empiricalInterpolated: .empiricalInterpolated(sorted: table!.values)
        }
    }

    // MARK: - Factories

    /// Always `value`.
    public static func constant(_ value: Double) throws(DistributionError) -> Distribution {
        try requireFinite(value, "const", "value")
        return Distribution(.constant(value))
    }

    /// Uniform on [`min`, `max`].
    public static func uniform(min: Double, max: Double) throws(DistributionError) -> Distribution {
        try requireFinite(min, "uniform", "min")
        try requireFinite(max, "uniform", "max")
        guard min <= max else { throw DistributionError("uniform", "min \(min) is greater than max \(max)") }
        return Distribution(.uniform(min: min, max: max))
    }

    /// Exponential with the given mean (rate 1/mean).
    public static func exponential(mean: Double) throws(DistributionError) -> Distribution {
        try requirePositive(mean, "exp", "mean")
        return Distribution(.exponential(mean: mean))
    }

    /// Normal with mean and standard deviation; may yield negative values — use
    /// ``normalTruncatedAtZero(mean:sd:)`` for durations.
    public static func normal(mean: Double, sd: Double) throws(DistributionError) -> Distribution {
        try requireFinite(mean, "normal", "mean")
        try requireNonNegative(sd, "normal", "sd")
        return Distribution(.normal(mean: mean, sd: sd))
    }

    /// Normal with mean and standard deviation, conditioned on being ≥ 0 (for durations).
    ///
    /// Note that ``mean`` is the mean of the truncated distribution, slightly above `mean`
    /// when the normal puts mass below zero.
    public static func normalTruncatedAtZero(mean: Double, sd: Double) throws(DistributionError) -> Distribution {
        try requireFinite(mean, "normal", "mean")
        try requireNonNegative(sd, "normal", "sd")
        guard sd > 0 || mean >= 0 else {
            throw DistributionError("normal", "mean \(mean) with sd 0 has no value at or above zero")
        }
        guard sd == 0 || mean / sd > -30 else {
            throw DistributionError(
                "normal", "mean \(mean) is more than 30 sd below zero; nothing is left after truncation")
        }
        return Distribution(.normalTruncatedAtZero(mean: mean, sd: sd))
    }

    /// Lognormal given the mean and standard deviation of the variate itself (not of its log).
    public static func lognormal(mean: Double, sd: Double) throws(DistributionError) -> Distribution {
        try requirePositive(mean, "lognormal", "mean")
        try requireNonNegative(sd, "lognormal", "sd")
        guard sd <= 100 * mean else {
            throw DistributionError(
                "lognormal", "sd \(sd) is more than 100 times the mean \(mean); expected sd ≤ 100 × mean")
        }
        let sigma2 = log1p((sd / mean) * (sd / mean))
        return Distribution(
            .lognormal(mean: mean, sd: sd, zeta: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot()))
    }

    /// Gamma given its shape k and mean (scale = mean / k).
    public static func gamma(shape: Double, mean: Double) throws(DistributionError) -> Distribution {
        try requireShape(shape, "gamma")
        try requirePositive(mean, "gamma", "mean")
        return Distribution(.gamma(shape: shape, scale: mean / shape))
    }

    /// Erlang: the sum of `phases` exponential stages, with the given total mean.
    public static func erlang(phases: Int, mean: Double) throws(DistributionError) -> Distribution {
        guard phases >= 1 else {
            throw DistributionError("erlang", "phases is \(phases); expected a whole number of at least 1")
        }
        return try gamma(shape: Double(phases), mean: mean)
    }

    /// Weibull with shape k and scale λ: P(X > x) = exp(−(x/λ)ᵏ).
    public static func weibull(shape: Double, scale: Double) throws(DistributionError) -> Distribution {
        try requireShape(shape, "weibull")
        try requirePositive(scale, "weibull", "scale")
        return Distribution(.weibull(shape: shape, scale: scale))
    }

    /// Triangular on [`min`, `max`] with its peak at `mode`.
    public static func triangular(min: Double, mode: Double, max: Double) throws(DistributionError) -> Distribution {
        for (value, name) in [(min, "min"), (mode, "mode"), (max, "max")] {
            try requireFinite(value, "triangular", name)
        }
        guard min < max else { throw DistributionError("triangular", "min \(min) must be less than max \(max)") }
        guard min <= mode, mode <= max else {
            throw DistributionError("triangular", "mode \(mode) lies outside [min \(min), max \(max)]")
        }
        return Distribution(.triangular(min: min, mode: mode, max: max))
    }

    /// Beta with shape parameters α and β, scaled from [0, 1] to [`min`, `max`].
    public static func beta(alpha: Double, beta: Double, min: Double = 0, max: Double = 1) throws(DistributionError)
        -> Distribution
    {
        try requireShape(alpha, "beta", "alpha")
        try requireShape(beta, "beta", "beta")
        try requireFinite(min, "beta", "min")
        try requireFinite(max, "beta", "max")
        guard min < max else { throw DistributionError("beta", "min \(min) must be less than max \(max)") }
        return Distribution(.beta(alpha: alpha, beta: beta, min: min, max: max))
    }

    /// PERT: a beta on [`min`, `max`] with α = 1 + 4(mode − min)/(max − min) and
    /// β = 1 + 4(max − mode)/(max − min), so the mean is (min + 4·mode + max) / 6.
    public static func pert(min: Double, mode: Double, max: Double) throws(DistributionError) -> Distribution {
        for (value, name) in [(min, "min"), (mode, "mode"), (max, "max")] {
            try requireFinite(value, "pert", name)
        }
        guard min < max else { throw DistributionError("pert", "min \(min) must be less than max \(max)") }
        guard min <= mode, mode <= max else {
            throw DistributionError("pert", "mode \(mode) lies outside [min \(min), max \(max)]")
        }
        let range = max - min
        return Distribution(
            .beta(alpha: 1 + 4 * (mode - min) / range, beta: 1 + 4 * (max - mode) / range, min: min, max: max))
    }

    /// One of `values`, chosen with the matching `probabilities` (which must sum to 1).
    public static func discrete(values: [Double], probabilities: [Double]) throws(DistributionError) -> Distribution {
        guard values.count == probabilities.count else {
            throw DistributionError(
                "discrete",
                "\(values.count) values but \(probabilities.count) probabilities; expected one probability per value")
        }
        for value in values { try requireFinite(value, "discrete", "value") }
        return Distribution(.discrete(values: values, choice: try DiscreteChoice(probabilities: probabilities)))
    }

    /// How an empirical distribution turns observed samples into variates.
    public enum EmpiricalMethod: String, Sendable, CaseIterable {
        /// Draws one of the observed values, each equally likely (bootstrap resampling).
        case resample
        /// Inverts the piecewise-linear CDF through the sorted samples, so values between
        /// observations occur too; bounded by the smallest and largest sample.
        case interpolate
    }

    /// An empirical distribution from observed `samples` (e.g. cycle times logged on the line).
    public static func empirical(samples: [Double], method: EmpiricalMethod = .interpolate) throws(DistributionError)
        -> Distribution
    {
        guard !samples.isEmpty else {
            throw DistributionError("empirical", "the sample is empty; expected at least one value")
        }
        for (index, value) in samples.enumerated() where !value.isFinite {
            throw DistributionError("empirical", "sample \(index + 1) is \(value); expected a finite number")
        }
        switch method {
        case .resample:
            return Distribution(.empiricalResample(samples: samples))
        case .interpolate:
            guard samples.count >= 2 else {
                throw DistributionError("empirical", "interpolation needs at least 2 samples; found 1 (use resample)")
            }
            return Distribution(.empiricalInterpolated(sorted: samples.sorted()))
        }
    }

    // MARK: - Sampling

    /// Draws one variate from `stream`.
    /// The distribution's plain numbers: enough to sample every distribution that needs no
    /// table (all but discrete and empirical), and trivially copyable for per-event code.
    @frozen
    public struct Parameters: Sendable {
        @usableFromInline let kind: Kind
        @usableFromInline let p0: Double
        @usableFromInline let p1: Double
        @usableFromInline let p2: Double
        @usableFromInline let p3: Double

        @inlinable
        init(kind: Kind, p0: Double, p1: Double, p2: Double, p3: Double) {
            self.kind = kind
            self.p0 = p0
            self.p1 = p1
            self.p2 = p2
            self.p3 = p3
        }

        /// Whether ``sample(_:)`` can draw from these numbers alone.
        @inlinable
        @inline(__always)
        public var needsTable: Bool {
            kind.rawValue >= Kind.discrete.rawValue
        }

        /// Draws one variate; only for distributions whose ``needsTable`` is `false`.
        @inlinable
        public func sample(_ generator: GeneratorHandle) -> Double {
            let rng = generator.generator
            switch kind {
            case .constant:
                return p0
            case .uniform:
                return gsl_ran_flat(rng, p0, p1)
            case .exponential:
                return gsl_ran_exponential(rng, p0)
            case .normal:
                return p0 + gsl_ran_gaussian_ziggurat(rng, p1)
            case .normalTruncatedAtZero:
                if p1 == 0 { return p0 }
                // GSL's upper-tail sampler: a N(0, sd) variate conditioned on exceeding −mean.
                return p0 + gsl_ran_gaussian_tail(rng, -p0, p1)
            case .lognormal:
                return gsl_ran_lognormal(rng, p2, p3)
            case .gamma:
                return gsl_ran_gamma(rng, p0, p1)
            case .weibull:
                return gsl_ran_weibull(rng, p1, p0)
            case .triangular:
                let u = generator.uniform()
                let (min, mode, max) = (p0, p1, p2)
                let range = max - min
                return u < (mode - min) / range
                    ? min + (u * range * (mode - min)).squareRoot()
                    : max - ((1 - u) * range * (max - mode)).squareRoot()
            case .beta:
                return p2 + (p3 - p2) * gsl_ran_beta(rng, p0, p1)
            case .discrete, .empiricalResample, .empiricalInterpolated:
                preconditionFailure("a table-based distribution needs its table; use Distribution.sample")
            }
        }
    }

    /// The plain numbers of this distribution (see ``Parameters``).
    @inlinable
    public var parameters: Parameters { Parameters(kind: kind, p0: p0, p1: p1, p2: p2, p3: p3) }

    /// Draws one variate from `stream`.
    @inlinable
    public func sample(_ stream: RandomStream) -> Double {
        switch kind {
        case .discrete:
            return table.unsafelyUnwrapped.values[table.unsafelyUnwrapped.choice.unsafelyUnwrapped.next(stream)]
        case .empiricalResample:
            let samples = table.unsafelyUnwrapped.values
            return samples[stream.index(below: samples.count)]
        case .empiricalInterpolated:
            let sorted = table.unsafelyUnwrapped.values
            let position = stream.uniform() * Double(sorted.count - 1)
            let lower = Int(position)
            return sorted[lower] + (sorted[lower + 1] - sorted[lower]) * (position - Double(lower))
        default:
            return parameters.sample(stream.handle)
        }
    }

    // MARK: - Support

    /// The smallest value the distribution can take: −∞ for an untruncated normal.
    public var lowerBound: Double {
        switch shape {
        case .constant(let v): v
        case .uniform(let min, _), .triangular(let min, _, _), .beta(_, _, let min, _): min
        case .exponential, .normalTruncatedAtZero, .lognormal, .gamma, .weibull: 0
        case .normal(_, let sd): sd == 0 ? p0 : -.infinity
        case .discrete(let values, _): values.min() ?? 0
        case .empiricalResample(let samples): samples.min() ?? 0
        case .empiricalInterpolated(let sorted): sorted.first ?? 0
        }
    }

    /// The largest value the distribution can take: +∞ for one with an unbounded tail.
    public var upperBound: Double {
        switch shape {
        case .constant(let v): v
        case .uniform(_, let max), .triangular(_, _, let max), .beta(_, _, _, let max): max
        case .exponential, .normalTruncatedAtZero, .lognormal, .gamma, .weibull: .infinity
        case .normal(_, let sd): sd == 0 ? p0 : .infinity
        case .discrete(let values, _): values.max() ?? 0
        case .empiricalResample(let samples): samples.max() ?? 0
        case .empiricalInterpolated(let sorted): sorted.last ?? 0
        }
    }

    // MARK: - Moments

    /// The theoretical mean.
    public var mean: Double {
        switch shape {
        case .constant(let value): return value
        case .uniform(let min, let max): return (min + max) / 2
        case .exponential(let mean): return mean
        case .normal(let mean, _): return mean
        case .normalTruncatedAtZero(let mean, let sd):
            return sd == 0 ? mean : mean + sd * Self.inverseMillsRatio(-mean / sd)
        case .lognormal(let mean, _, _, _): return mean
        case .gamma(let shape, let scale): return shape * scale
        case .weibull(let shape, let scale): return scale * gsl_sf_gamma(1 + 1 / shape)
        case .triangular(let min, let mode, let max): return (min + mode + max) / 3
        case .beta(let alpha, let beta, let min, let max): return min + (max - min) * alpha / (alpha + beta)
        case .discrete(let values, let choice):
            return zip(values, choice.probabilities).reduce(0) { $0 + $1.0 * $1.1 }
        case .empiricalResample(let samples): return samples.reduce(0, +) / Double(samples.count)
        case .empiricalInterpolated(let sorted):
            // Each gap between neighbouring order statistics carries probability 1/(n−1).
            return zip(sorted, sorted.dropFirst()).reduce(0) { $0 + ($1.0 + $1.1) / 2 } / Double(sorted.count - 1)
        }
    }

    /// The theoretical variance.
    public var variance: Double {
        switch shape {
        case .constant: return 0
        case .uniform(let min, let max): return (max - min) * (max - min) / 12
        case .exponential(let mean): return mean * mean
        case .normal(_, let sd): return sd * sd
        case .normalTruncatedAtZero(let mean, let sd):
            if sd == 0 { return 0 }
            let alpha = -mean / sd
            let lambda = Self.inverseMillsRatio(alpha)
            return sd * sd * (1 + alpha * lambda - lambda * lambda)
        case .lognormal(_, let sd, _, _): return sd * sd
        case .gamma(let shape, let scale): return shape * scale * scale
        case .weibull(let shape, let scale):
            let g1 = gsl_sf_gamma(1 + 1 / shape)
            return scale * scale * (gsl_sf_gamma(1 + 2 / shape) - g1 * g1)
        case .triangular(let a, let c, let b):
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case .beta(let alpha, let beta, let min, let max):
            let s = alpha + beta
            return (max - min) * (max - min) * alpha * beta / (s * s * (s + 1))
        case .discrete(let values, let choice):
            let m = mean
            return zip(values, choice.probabilities).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
        case .empiricalResample(let samples):
            let m = mean
            return samples.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(samples.count)
        case .empiricalInterpolated(let sorted):
            let second =
                zip(sorted, sorted.dropFirst()).reduce(0) { $0 + ($1.0 * $1.0 + $1.0 * $1.1 + $1.1 * $1.1) / 3 }
                / Double(sorted.count - 1)
            let m = mean
            return second - m * m
        }
    }

    /// φ(α) / (1 − Φ(α)) for the standard normal, computed stably by GSL.
    static func inverseMillsRatio(_ alpha: Double) -> Double {
        gsl_sf_hazard(alpha)
    }

    /// The distribution in scenario notation, with times in seconds.
    public var description: String {
        switch shape {
        case .constant(let v): "const(\(v))"
        case .uniform(let a, let b): "uniform(\(a), \(b))"
        case .exponential(let m): "exp(\(m))"
        case .normal(let m, let s): "normal(\(m), \(s))"
        case .normalTruncatedAtZero(let m, let s): "normal(\(m), \(s), truncate: 0)"
        case .lognormal(let m, let s, _, _): "lognormal(mean: \(m), sd: \(s))"
        case .gamma(let k, let scale): "gamma(shape: \(k), mean: \(k * scale))"
        case .weibull(let k, let scale): "weibull(shape: \(k), scale: \(scale))"
        case .triangular(let a, let c, let b): "triangular(\(a), \(c), \(b))"
        case .beta(let al, let be, let a, let b): "beta(\(al), \(be), min: \(a), max: \(b))"
        case .discrete(let values, let choice): "discrete(values: \(values), p: \(choice.probabilities))"
        case .empiricalResample(let s): "empirical(\(s.count) samples, resample)"
        case .empiricalInterpolated(let s): "empirical(\(s.count) samples, interpolate)"
        }
    }

    // MARK: - Parameter checks

    static func requireFinite(_ value: Double, _ name: String, _ parameter: String) throws(DistributionError) {
        guard value.isFinite else {
            throw DistributionError(name, "\(parameter) is \(value); expected a finite number")
        }
    }

    static func requirePositive(_ value: Double, _ name: String, _ parameter: String) throws(DistributionError) {
        guard value.isFinite, value > 0 else {
            throw DistributionError(name, "\(parameter) is \(value); expected a number greater than 0")
        }
    }

    /// The range a shape parameter may take: outside it, nearly all of the probability sits at
    /// one point, or the moments overflow a double.
    public static let shapeRange: ClosedRange<Double> = 0.01...1_000

    static func requireShape(_ value: Double, _ name: String, _ parameter: String = "shape") throws(DistributionError) {
        guard value.isFinite, shapeRange.contains(value) else {
            throw DistributionError(
                name,
                "\(parameter) is \(value); expected a number from \(shapeRange.lowerBound) to \(Int(shapeRange.upperBound))"
            )
        }
    }

    static func requireNonNegative(_ value: Double, _ name: String, _ parameter: String) throws(DistributionError) {
        guard value.isFinite, value >= 0 else {
            throw DistributionError(name, "\(parameter) is \(value); expected a number of at least 0")
        }
    }
}
