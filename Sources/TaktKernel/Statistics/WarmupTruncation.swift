/// How many initial observations to delete before averaging, by MSER-5
/// (White 1997; White, Cobb & Spratt 2000; Franklin & White 2008).
///
/// The output series (e.g. WIP sampled at equal intervals, or lead times in completion
/// order) is grouped into batch means of five; the truncation point d minimises the
/// marginal standard error MSER(d) = Σ_{j ≥ d} (Zⱼ − Z̄_d)² / (k − d)² over the k batch
/// means, searching d in the first half of the series. A minimum in the second half is
/// reported as not reliable: the run is too short to have settled.
public struct WarmupTruncation: Sendable, Equatable {
    /// Observations to delete from the start of the series.
    public let truncatedObservations: Int
    /// Batch means the series made.
    public let batches: Int
    /// Whether the minimum lay inside the searched first half (otherwise: run longer).
    public let isReliable: Bool

    /// The batch size of MSER-5.
    public static let batchSize = 5

    /// Computes the MSER-5 truncation point of `series`; needs at least two batches (10 values).
    public init(mser5 series: [Double]) throws(StatisticsError) {
        let b = Self.batchSize
        let k = series.count / b
        guard k >= 2 else { throw .tooFewObservations(needed: 2 * b, found: series.count) }
        for (index, value) in series.enumerated() where !value.isFinite {
            throw .nonFiniteObservation(index: index, value: value)
        }
        var means = [Double](repeating: 0, count: k)
        for j in 0..<k {
            var sum = 0.0
            for i in (j * b)..<(j * b + b) { sum += series[i] }
            means[j] = sum / Double(b)
        }
        // Centre the batch means so the suffix sums below do not cancel catastrophically.
        let centre = means.reduce(0, +) / Double(k)
        for j in 0..<k { means[j] -= centre }
        // Suffix sums give each MSER(d) in O(1).
        var suffixSum = [Double](repeating: 0, count: k + 1)
        var suffixSquares = [Double](repeating: 0, count: k + 1)
        for j in stride(from: k - 1, through: 0, by: -1) {
            suffixSum[j] = suffixSum[j + 1] + means[j]
            suffixSquares[j] = suffixSquares[j + 1] + means[j] * means[j]
        }
        let limit = k / 2
        var best = 0
        var bestValue = Double.infinity
        for d in 0...limit {
            let m = Double(k - d)
            let sumOfSquares = Swift.max(0, suffixSquares[d] - suffixSum[d] * suffixSum[d] / m)
            let value = sumOfSquares / (m * m)
            if value < bestValue {
                bestValue = value
                best = d
            }
        }
        truncatedObservations = best * b
        batches = k
        isReliable = best < limit
    }
}
