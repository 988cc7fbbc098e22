/// Count, mean, variance, minimum and maximum of observations, updated in O(1).
///
/// Uses Welford's (1962) update, which stays accurate where the textbook
/// sum-of-squares formula cancels catastrophically (long runs of near-equal lead times).
@frozen
public struct Tally: Sendable, Equatable {
    @usableFromInline var n: Int
    @usableFromInline var runningMean: Double
    @usableFromInline var sumOfSquaredDeviations: Double
    @usableFromInline var low: Double
    @usableFromInline var high: Double

    /// The number of observations.
    @inlinable public var count: Int { n }
    /// Their mean (0 when empty).
    @inlinable public var mean: Double { runningMean }
    /// The smallest observation (+∞ when empty).
    @inlinable public var minimum: Double { low }
    /// The largest observation (−∞ when empty).
    @inlinable public var maximum: Double { high }

    /// An empty tally.
    @inlinable
    public init() {
        n = 0
        runningMean = 0
        sumOfSquaredDeviations = 0
        low = .infinity
        high = -.infinity
    }

    /// Records one observation.
    @inlinable
    public mutating func add(_ value: Double) {
        n += 1
        let delta = value - runningMean
        runningMean += delta / Double(n)
        sumOfSquaredDeviations += delta * (value - runningMean)
        if value < low { low = value }
        if value > high { high = value }
    }

    /// The sample variance (divisor n − 1); 0 with fewer than two observations.
    @inlinable
    public var variance: Double { count > 1 ? sumOfSquaredDeviations / Double(count - 1) : 0 }

    /// The sample standard deviation.
    @inlinable
    public var standardDeviation: Double { variance.squareRoot() }

    /// Adds another tally's observations (Chan, Golub & LeVeque 1979), e.g. across shards.
    public mutating func merge(_ other: Tally) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = n + other.n
        let delta = other.runningMean - runningMean
        runningMean += delta * Double(other.n) / Double(total)
        sumOfSquaredDeviations +=
            other.sumOfSquaredDeviations
            + delta * delta * Double(n) * Double(other.n) / Double(total)
        n = total
        low = Swift.min(low, other.low)
        high = Swift.max(high, other.high)
    }
}
