import CGSL

/// A Student-t confidence interval for a mean, from independent replications.
///
/// Each replication of a scenario gives one value of a KPI; the replications are
/// independent and (by the central limit theorem) their mean is close to normal, so
/// mean ± t(1 − α/2, R − 1) · s / √R covers the true value with probability 1 − α.
/// The t quantile comes from GSL (`gsl_cdf_tdist_Pinv`).
public struct ConfidenceInterval: Sendable, Equatable, CustomStringConvertible {
    /// The sample mean.
    public let mean: Double
    /// Half the interval's width.
    public let halfWidth: Double
    /// The coverage probability, e.g. 0.95.
    public let level: Double
    /// The number of replications.
    public let count: Int
    /// The sample standard deviation of the replications.
    public let standardDeviation: Double

    /// The interval's lower end.
    public var lower: Double { mean - halfWidth }
    /// The interval's upper end.
    public var upper: Double { mean + halfWidth }
    /// The standard error of the mean, s / √R.
    public var standardError: Double { standardDeviation / Double(count).squareRoot() }

    /// Builds the interval from one value per replication.
    public init(values: [Double], level: Double = 0.95) throws(StatisticsError) {
        var tally = Tally()
        for (index, value) in values.enumerated() {
            guard value.isFinite else { throw .nonFiniteObservation(index: index, value: value) }
            tally.add(value)
        }
        try self.init(tally: tally, level: level)
    }

    /// Builds the interval from a tally of one value per replication.
    public init(tally: Tally, level: Double = 0.95) throws(StatisticsError) {
        guard level > 0, level < 1 else { throw .invalidProbability(level) }
        guard tally.count >= 2 else { throw .tooFewObservations(needed: 2, found: tally.count) }
        let t = try Self.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: tally.count - 1)
        mean = tally.mean
        standardDeviation = tally.standardDeviation
        halfWidth = t * tally.standardDeviation / Double(tally.count).squareRoot()
        self.level = level
        count = tally.count
    }

    /// Whether `value` lies inside the closed interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// The `p` quantile of Student's t with `degreesOfFreedom` (GSL `gsl_cdf_tdist_Pinv`).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom: Int) throws(StatisticsError) -> Double {
        guard p > 0, p < 1 else { throw .invalidProbability(p) }
        guard degreesOfFreedom >= 1 else { throw .tooFewObservations(needed: 2, found: degreesOfFreedom + 1) }
        GSLLibrary.prepare()
        let t = gsl_cdf_tdist_Pinv(p, Double(degreesOfFreedom))
        guard t.isFinite else {
            throw .gsl("GSL could not evaluate the t quantile for p = \(p), \(degreesOfFreedom) degrees of freedom")
        }
        return t
    }

    public var description: String {
        "\(mean) ± \(halfWidth) (\(Int((level * 100).rounded()))% CI, n = \(count))"
    }
}
