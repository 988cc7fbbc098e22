import TaktKernel

/// The control charts an MES keeps: Shewhart charts on a measured characteristic, the
/// time-weighted EWMA and CUSUM charts for slow drifts (Montgomery, *Introduction to
/// Statistical Quality Control*, ch. 9), and attribute charts on an inspection's calls
/// (ch. 7).
public enum ControlChartKind: Sendable, Equatable, Codable {
    /// Subgroup means and ranges (subgroups of 2 to 25).
    case xBarR(subgroupSize: Int)
    /// Subgroup means and standard deviations.
    case xBarS(subgroupSize: Int)
    /// Individual values and moving ranges of two.
    case individuals
    /// Exponentially weighted moving average of subgroup means (n = 1: of values),
    /// zᵢ = λx̄ᵢ + (1 − λ)zᵢ₋₁, with limits μ₀ ± Lσ_x̄√(λ/(2 − λ)·(1 − (1 − λ)²ⁱ)).
    case ewma(subgroupSize: Int, lambda: Double, width: Double)
    /// Tabular CUSUM of subgroup means: C⁺ and C⁻ with reference value K = kσ_x̄ and decision
    /// interval H = hσ_x̄.
    case cusum(subgroupSize: Int, k: Double, h: Double)
    /// Fraction nonconforming per subgroup (the inspection's rejects over units inspected).
    case p(AttributeSubgroup)
    /// Number nonconforming in subgroups of a fixed number of units.
    case np(units: Int)
    /// Nonconformities (defects found) in inspection units of a fixed number of units.
    case c(units: Int)
    /// Nonconformities per unit inspected.
    case u(AttributeSubgroup)

    /// Values per plotted point (0 for an attribute chart).
    public var subgroupSize: Int {
        switch self {
        case .xBarR(let n), .xBarS(let n), .ewma(let n, _, _), .cusum(let n, _, _): n
        case .individuals: 1
        case .p, .np, .c, .u: 0
        }
    }

    /// Whether the chart counts an inspection's calls rather than measured values.
    public var isAttribute: Bool {
        switch self {
        case .p, .np, .c, .u: true
        default: false
        }
    }

    /// Whether the chart is EWMA or CUSUM, whose points are not independent (so the
    /// Shewhart run rules do not apply to them).
    public var isTimeWeighted: Bool {
        switch self {
        case .ewma, .cusum: true
        default: false
        }
    }

    /// How the report and the audit trail name the chart: `X̄–R (subgroups of 5)`.
    public var title: String {
        switch self {
        case .xBarR(let n): "X̄–R (subgroups of \(n))"
        case .xBarS(let n): "X̄–S (subgroups of \(n))"
        case .individuals: "individuals"
        case .ewma(let n, let lambda, let width):
            "EWMA (\(n == 1 ? "individual values" : "subgroups of \(n)"), λ = \(lambda), L = \(width))"
        case .cusum(let n, let k, let h):
            "CUSUM (\(n == 1 ? "individual values" : "subgroups of \(n)"), k = \(k), h = \(h))"
        case .p(let subgroup): "p chart (\(subgroup))"
        case .np(let n): "np chart (subgroups of \(n) units)"
        case .c(let n): "c chart (inspection units of \(n) units)"
        case .u(let subgroup): "u chart (\(subgroup))"
        }
    }
}

/// What makes one subgroup of an attribute chart: a fixed number of units inspected, or the
/// units inspected in a fixed period (so the subgroup size varies, and the limits with it).
public enum AttributeSubgroup: Sendable, Equatable, Codable, CustomStringConvertible {
    case units(Int)
    case period(seconds: Double)

    public var description: String {
        switch self {
        case .units(let n): "subgroups of \(n) units"
        case .period(let seconds):
            seconds.truncatingRemainder(dividingBy: 3_600) == 0
                ? "one subgroup per \(Int(seconds / 3_600)) h" : "one subgroup per \(seconds / 60) min"
        }
    }
}

/// A control chart with limits set from a baseline period: a location chart (X̄ or X) and a
/// dispersion chart (R, S or moving range), each with its centre line and 3σ limits.
public struct ControlChart: Sendable, Equatable, Codable {
    /// Centre line and limits of one chart.
    public struct Limits: Sendable, Equatable, Codable {
        public var lower: Double
        public var centre: Double
        public var upper: Double
        /// One sigma of the plotted statistic: (upper − centre) / 3.
        public var sigma: Double { (upper - centre) / 3 }
    }

    public let kind: ControlChartKind
    /// The X̄ (or X) chart.
    public let location: Limits
    /// The R, S or moving-range chart.
    public let dispersion: Limits
    /// The process standard deviation estimated within subgroups (R̄/d2, S̄/c4 or MR̄/d2(2)).
    public let processSigma: Double

    /// Limits from baseline subgroups (for individuals: one value each, in time order).
    ///
    /// - Throws: ``StatisticsError`` when the baseline is too short: at least two subgroups
    ///   (three values for individuals), each of the chart's size.
    public init(_ kind: ControlChartKind, baseline: [[Double]]) throws(StatisticsError) {
        self.kind = kind
        // EWMA and CUSUM take μ₀ and σ from the baseline as an X̄–R (or individuals) chart would.
        var estimate = kind
        if case .ewma(let n, _, _) = kind { estimate = n == 1 ? .individuals : .xBarR(subgroupSize: n) }
        if case .cusum(let n, _, _) = kind { estimate = n == 1 ? .individuals : .xBarR(subgroupSize: n) }
        switch estimate {
        case .p, .np, .c, .u, .ewma, .cusum:
            throw .invalidSubgroupSize(0)
        case .xBarR(let n), .xBarS(let n):
            guard baseline.count >= 2, baseline.allSatisfy({ $0.count == n }) else {
                throw .tooFewObservations(needed: 2 * n, found: baseline.reduce(0) { $0 + $1.count })
            }
            let constants = try ControlChartConstants.cached(subgroupSize: n)
            let grandMean = baseline.map(Self.mean).reduce(0, +) / Double(baseline.count)
            if case .xBarR = estimate {
                let meanRange = baseline.map(Self.range).reduce(0, +) / Double(baseline.count)
                location = Limits(
                    lower: grandMean - constants.a2 * meanRange, centre: grandMean,
                    upper: grandMean + constants.a2 * meanRange)
                dispersion = Limits(
                    lower: constants.d3Factor * meanRange, centre: meanRange, upper: constants.d4Factor * meanRange)
                processSigma = meanRange / constants.d2
            } else {
                let meanDeviation = baseline.map(Self.standardDeviation).reduce(0, +) / Double(baseline.count)
                location = Limits(
                    lower: grandMean - constants.a3 * meanDeviation, centre: grandMean,
                    upper: grandMean + constants.a3 * meanDeviation)
                dispersion = Limits(
                    lower: constants.b3 * meanDeviation, centre: meanDeviation, upper: constants.b4 * meanDeviation)
                processSigma = meanDeviation / constants.c4
            }
        case .individuals:
            let values = baseline.flatMap { $0 }
            guard values.count >= 3 else { throw .tooFewObservations(needed: 3, found: values.count) }
            let constants = try ControlChartConstants.cached(subgroupSize: 2)
            let mean = Self.mean(values)
            let movingRanges = zip(values.dropFirst(), values).map { abs($0 - $1) }
            let meanMovingRange = Self.mean(movingRanges)
            let sigma = meanMovingRange / constants.d2
            location = Limits(lower: mean - 3 * sigma, centre: mean, upper: mean + 3 * sigma)
            dispersion = Limits(lower: 0, centre: meanMovingRange, upper: constants.d4Factor * meanMovingRange)
            processSigma = sigma
        }
    }

    /// Limits from a known process mean and standard deviation (Montgomery §6.2.4, "standard
    /// given"): X̄ at μ ± Aσ (A = 3/√n); R at D1σ, d2σ, D2σ (D1,2 = d2 ∓ 3d3, D1 ≥ 0); S at
    /// B5σ, c4σ, B6σ (B5,6 = c4 ∓ 3√(1 − c4²), B5 ≥ 0); individuals at μ ± 3σ with the moving
    /// range of two at 0, d2σ, D2σ.
    ///
    /// - Throws: ``StatisticsError`` for a sigma that is not positive or an attribute chart.
    public init(_ kind: ControlChartKind, mean: Double, sigma: Double) throws(StatisticsError) {
        guard !kind.isAttribute else { throw .invalidSubgroupSize(0) }
        guard sigma > 0, sigma.isFinite, mean.isFinite else {
            throw .nonFiniteObservation(index: 0, value: sigma > 0 ? mean : sigma)
        }
        self.kind = kind
        processSigma = sigma
        let n = max(kind.subgroupSize, 1)
        let spread = 3 * sigma / Double(n).squareRoot()
        location = Limits(lower: mean - spread, centre: mean, upper: mean + spread)
        let constants = try ControlChartConstants.cached(subgroupSize: max(n, 2))
        if case .xBarS = kind {
            let width = 3 * (1 - constants.c4 * constants.c4).squareRoot()
            dispersion = Limits(
                lower: max(0, constants.c4 - width) * sigma, centre: constants.c4 * sigma,
                upper: (constants.c4 + width) * sigma)
        } else {
            dispersion = Limits(
                lower: n == 1 ? 0 : max(0, constants.d2 - 3 * constants.d3) * sigma, centre: constants.d2 * sigma,
                upper: (constants.d2 + 3 * constants.d3) * sigma)
        }
    }

    /// The location statistic of a subgroup (its mean; the value itself for individuals).
    public func locationStatistic(_ subgroup: [Double]) -> Double { Self.mean(subgroup) }

    /// The dispersion statistic of a subgroup: its range or standard deviation; for
    /// individuals the moving range from `previous` (0 for the first value).
    public func dispersionStatistic(_ subgroup: [Double], previous: Double?) -> Double {
        switch kind {
        case .xBarR: Self.range(subgroup)
        case .xBarS: Self.standardDeviation(subgroup)
        case .individuals: previous.map { abs(subgroup[0] - $0) } ?? 0
        case .ewma, .cusum, .p, .np, .c, .u:
            subgroup.count == 1 ? previous.map { abs(subgroup[0] - $0) } ?? 0 : Self.range(subgroup)
        }
    }

    /// Process capability against specification limits, from the within-subgroup sigma:
    /// Cp = (USL − LSL) / 6σ, Cpk = min(USL − μ, μ − LSL) / 3σ, μ the centre line.
    public func capability(lower: Double, upper: Double) -> (cp: Double, cpk: Double) {
        let sigma = processSigma
        return (
            (upper - lower) / (6 * sigma), min(upper - location.centre, location.centre - lower) / (3 * sigma)
        )
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    static func range(_ values: [Double]) -> Double { (values.max() ?? 0) - (values.min() ?? 0) }

    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}
