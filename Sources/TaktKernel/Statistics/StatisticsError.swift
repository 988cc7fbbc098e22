/// A statistic that cannot be computed from what it was given.
public enum StatisticsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A confidence interval needs at least two replications.
    case tooFewObservations(needed: Int, found: Int)
    /// A probability or confidence level outside (0, 1).
    case invalidProbability(Double)
    /// An observation that is NaN or infinite.
    case nonFiniteObservation(index: Int, value: Double)
    /// GSL failed to evaluate a special function.
    case gsl(String)
    /// Control-chart constants exist for subgroups of 2 to 25.
    case invalidSubgroupSize(Int)

    public var description: String {
        switch self {
        case .tooFewObservations(let needed, let found):
            "needs at least \(needed) observations (replications); found \(found)"
        case .invalidProbability(let p):
            "probability \(p) is outside (0, 1); write e.g. 0.95 for 95%"
        case .nonFiniteObservation(let index, let value):
            "observation \(index + 1) is \(value); expected a finite number"
        case .gsl(let message):
            message
        case .invalidSubgroupSize(let n):
            "control-chart subgroups hold 2 to 25 values; found \(n)"
        }
    }
}
