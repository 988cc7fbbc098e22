/// An impossible distribution parameter, explained for the person who wrote it.
public struct DistributionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The distribution, as a scenario writes it (`normal`, `triangular`, …).
    public let distribution: String
    /// What is wrong and what was expected.
    public let problem: String

    /// Creates an error for `distribution`.
    public init(_ distribution: String, _ problem: String) {
        self.distribution = distribution
        self.problem = problem
    }

    public var description: String { "\(distribution): \(problem)" }
}
