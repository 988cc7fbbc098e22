import TaktKernel

/// Mean and variance of a sample, each with the standard error of 20 independent batches.
///
/// The tolerance of a sampling test comes from this batch confidence interval, not from a
/// guessed percentage: with 19 degrees of freedom, |estimate − truth| > 4.5 standard errors
/// happens to a correct sampler about 2.5 times in 10,000 (and the seeds are fixed, so a run
/// that passes keeps passing).
struct BatchEstimate {
    let mean: Double
    let meanStandardError: Double
    let variance: Double
    let varianceStandardError: Double

    static let batches = 20
    static let allowedStandardErrors = 4.5

    init(draws: Int, _ draw: () -> Double) {
        let perBatch = draws / Self.batches
        var means = Tally()
        var variances = Tally()
        for _ in 0..<Self.batches {
            var batch = Tally()
            for _ in 0..<perBatch { batch.add(draw()) }
            means.add(batch.mean)
            variances.add(batch.variance)
        }
        mean = means.mean
        meanStandardError = means.standardDeviation / Double(Self.batches).squareRoot()
        variance = variances.mean
        varianceStandardError = variances.standardDeviation / Double(Self.batches).squareRoot()
    }

    /// Whether the sample mean agrees with `expected` within the allowed standard errors.
    func meanAgrees(with expected: Double) -> Bool {
        abs(mean - expected) <= Self.allowedStandardErrors * meanStandardError + 1e-12 * abs(expected)
    }

    /// Whether the sample variance agrees with `expected` within the allowed standard errors.
    func varianceAgrees(with expected: Double) -> Bool {
        abs(variance - expected) <= Self.allowedStandardErrors * varianceStandardError + 1e-12 * abs(expected)
    }
}
