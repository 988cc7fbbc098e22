import Testing
import TaktKernel
#if canImport(Glibc)
    import Glibc
#endif

/// Theoretical moments written out from textbook formulas (not from `Distribution`), using
/// the C library's tgamma and erfc, independent of GSL.
enum Theory {
    static func normalPDF(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
    static func normalUpperTail(_ x: Double) -> Double { erfc(x / 2.0.squareRoot()) / 2 }
}

struct MomentCase: CustomTestStringConvertible, Sendable {
    let label: String
    let make: @Sendable () throws -> Distribution
    let mean: Double
    let variance: Double
    var testDescription: String { label }
}

@Suite("Distributions")
struct DistributionTests {
    static let draws = 400_000

    static let cases: [MomentCase] = [
        MomentCase(label: "const(30)", make: { try .constant(30) }, mean: 30, variance: 0),
        MomentCase(
            label: "uniform(200, 800)", make: { try .uniform(min: 200, max: 800) },
            mean: 500, variance: 600 * 600 / 12),
        MomentCase(
            label: "exp(mean 9h)", make: { try .exponential(mean: 32_400) },
            mean: 32_400, variance: 32_400 * 32_400),
        MomentCase(label: "normal(22, 1.5)", make: { try .normal(mean: 22, sd: 1.5) }, mean: 22, variance: 2.25),
        {
            // Truncated at zero with mean 1, sd 2: α = −0.5, λ = φ(α)/(1 − Φ(α)).
            let alpha = -0.5, lambda = Theory.normalPDF(alpha) / Theory.normalUpperTail(alpha)
            return MomentCase(
                label: "normal(1, 2) truncated at 0",
                make: { try .normalTruncatedAtZero(mean: 1, sd: 2) },
                mean: 1 + 2 * lambda, variance: 4 * (1 + alpha * lambda - lambda * lambda))
        }(),
        MomentCase(
            label: "lognormal(mean 20m, sd 10m)", make: { try .lognormal(mean: 1200, sd: 600) },
            mean: 1200, variance: 600 * 600),
        MomentCase(
            label: "gamma(shape 2, mean 30)", make: { try .gamma(shape: 2, mean: 30) },
            mean: 30, variance: 2 * 15 * 15),
        MomentCase(
            label: "erlang(3 phases, mean 6)", make: { try .erlang(phases: 3, mean: 6) },
            mean: 6, variance: 3 * 2 * 2),
        MomentCase(
            label: "weibull(shape 1.5, scale 40h)", make: { try .weibull(shape: 1.5, scale: 144_000) },
            mean: 144_000 * tgamma(1 + 1 / 1.5),
            variance: 144_000 * 144_000 * (tgamma(1 + 2 / 1.5) - pow(tgamma(1 + 1 / 1.5), 2))),
        MomentCase(
            label: "triangular(10, 12, 20)", make: { try .triangular(min: 10, mode: 12, max: 20) },
            mean: 14, variance: (100 + 144 + 400 - 120 - 200 - 240) / 18.0),
        MomentCase(
            label: "beta(2, 5) on [0, 1]", make: { try .beta(alpha: 2, beta: 5) },
            mean: 2.0 / 7, variance: 10.0 / (49 * 8)),
        {
            // PERT(0, 3, 12): α = 1 + 4·3/12 = 2, β = 1 + 4·9/12 = 4; mean (0 + 12 + 12)/6 = 4.
            let alpha = 2.0, beta = 4.0, s = alpha + beta
            return MomentCase(
                label: "pert(0, 3, 12)", make: { try .pert(min: 0, mode: 3, max: 12) },
                mean: 4, variance: 144 * alpha * beta / (s * s * (s + 1)))
        }(),
        MomentCase(
            label: "discrete(1, 2, 10 with 0.5, 0.3, 0.2)",
            make: { try .discrete(values: [1, 2, 10], probabilities: [0.5, 0.3, 0.2]) },
            mean: 0.5 + 0.6 + 2, variance: 0.5 * 1 + 0.3 * 4 + 0.2 * 100 - 3.1 * 3.1),
        MomentCase(
            label: "empirical resample of 1, 2, 3, 10",
            make: { try .empirical(samples: [1, 2, 3, 10], method: .resample) },
            mean: 4, variance: (9 + 4 + 1 + 36) / 4.0),
        // Interpolated through sorted 0, 2, 4: uniform on [0, 4], mean 2, variance 16/12.
        MomentCase(
            label: "empirical interpolated through 4, 0, 2", make: { try .empirical(samples: [4, 0, 2]) },
            mean: 2, variance: 16.0 / 12),
    ]

    @Test("sample mean matches theory within a batch confidence interval", arguments: cases)
    func sampleMean(_ c: MomentCase) throws {
        let distribution = try c.make()
        let stream = RandomStream(seed: 11, replication: 0, name: c.label)
        let estimate = BatchEstimate(draws: Self.draws) { distribution.sample(stream) }
        #expect(
            estimate.meanAgrees(with: c.mean), "mean \(estimate.mean) ± \(estimate.meanStandardError), theory \(c.mean)"
        )
    }

    @Test("sample variance matches theory within a batch confidence interval", arguments: cases)
    func sampleVariance(_ c: MomentCase) throws {
        let distribution = try c.make()
        let stream = RandomStream(seed: 12, replication: 0, name: c.label)
        let estimate = BatchEstimate(draws: Self.draws) { distribution.sample(stream) }
        #expect(
            estimate.varianceAgrees(with: c.variance),
            "variance \(estimate.variance) ± \(estimate.varianceStandardError), theory \(c.variance)")
    }

    @Test("the reported theoretical moments equal the textbook formulas", arguments: cases)
    func reportedMoments(_ c: MomentCase) throws {
        let distribution = try c.make()
        #expect(abs(distribution.mean - c.mean) <= 1e-9 * max(1, abs(c.mean)))
        #expect(abs(distribution.variance - c.variance) <= 1e-9 * max(1, abs(c.variance)))
    }

    @Test("a duration truncated at zero is never negative")
    func truncatedNormalIsNonNegative() throws {
        let distribution = try Distribution.normalTruncatedAtZero(mean: -1, sd: 1)
        let stream = RandomStream(gslSeed: 3)
        for _ in 0..<10_000 { #expect(distribution.sample(stream) >= 0) }
    }

    @Test("resampling returns only observed values; interpolation stays within their range")
    func empiricalSupport() throws {
        let samples = [3.0, 7.5, 9.25]
        let stream = RandomStream(gslSeed: 5)
        let resample = try Distribution.empirical(samples: samples, method: .resample)
        let interpolate = try Distribution.empirical(samples: samples, method: .interpolate)
        for _ in 0..<5_000 {
            #expect(samples.contains(resample.sample(stream)))
            let x = interpolate.sample(stream)
            #expect(x >= 3 && x <= 9.25)
        }
    }

    @Test("discrete choice picks each index with its probability")
    func discreteChoiceFrequencies() throws {
        let probabilities = [0.1, 0.6, 0.3]
        let choice = try DiscreteChoice(probabilities: probabilities)
        let stream = RandomStream(gslSeed: 9)
        let n = 300_000
        var counts = [0, 0, 0]
        for _ in 0..<n { counts[choice.next(stream)] += 1 }
        for (index, p) in probabilities.enumerated() {
            // Binomial standard deviation of the count: √(n p (1 − p)); allow 4.5 of them.
            let tolerance = 4.5 * (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[index]) - Double(n) * p) <= tolerance)
        }
    }

    @Test("a discrete choice's unowned table draws exactly what the choice draws from the same stream")
    func unownedTableDrawsAsTheChoice() throws {
        let choice = try DiscreteChoice(probabilities: [0.2, 0.05, 0.5, 0.25])
        let table = choice.unownedTable
        let first = RandomStream(gslSeed: 31)
        let second = RandomStream(gslSeed: 31)
        let byChoice = (0..<10_000).map { _ in choice.next(first) }
        let byTable = (0..<10_000).map { _ in table.next(second) }
        #expect(byTable == byChoice)
        #expect(Set(byTable) == [0, 1, 2, 3])
    }
}

@Suite("Distribution parameter errors")
struct DistributionErrorTests {
    static let cases: [(String, @Sendable () throws -> Distribution, String)] = [
        ("negative sd", { try .normal(mean: 1, sd: -1) }, "normal: sd is -1.0; expected a number of at least 0"),
        ("zero exponential mean", { try .exponential(mean: 0) }, "exp: mean is 0.0; expected a number greater than 0"),
        ("min > max", { try .uniform(min: 5, max: 2) }, "uniform: min 5.0 is greater than max 2.0"),
        ("NaN constant", { try .constant(.nan) }, "const: value is nan; expected a finite number"),
        (
            "mode outside range", { try .triangular(min: 0, mode: 5, max: 4) },
            "triangular: mode 5.0 lies outside [min 0.0, max 4.0]"
        ),
        (
            "triangular min = max", { try .triangular(min: 2, mode: 2, max: 2) },
            "triangular: min 2.0 must be less than max 2.0"
        ),
        (
            "probabilities not summing to 1", { try .discrete(values: [1, 2], probabilities: [0.5, 0.6]) },
            "discrete: probabilities sum to 1.1; expected 1 (within 1e-09)"
        ),
        (
            "negative probability", { try .discrete(values: [1, 2], probabilities: [1.5, -0.5]) },
            "discrete: probability 2 is -0.5; expected a number from 0 to 1"
        ),
        (
            "value and probability counts differ", { try .discrete(values: [1, 2, 3], probabilities: [0.5, 0.5]) },
            "discrete: 3 values but 2 probabilities; expected one probability per value"
        ),
        (
            "empty sample", { try .empirical(samples: []) },
            "empirical: the sample is empty; expected at least one value"
        ),
        (
            "one sample to interpolate", { try .empirical(samples: [4]) },
            "empirical: interpolation needs at least 2 samples; found 1 (use resample)"
        ),
        (
            "infinite sample", { try .empirical(samples: [1, .infinity]) },
            "empirical: sample 2 is inf; expected a finite number"
        ),
        (
            "non-positive lognormal mean", { try .lognormal(mean: -3, sd: 1) },
            "lognormal: mean is -3.0; expected a number greater than 0"
        ),
        (
            "zero gamma shape", { try .gamma(shape: 0, mean: 1) },
            "gamma: shape is 0.0; expected a number from 0.01 to 1000"
        ),
        (
            "zero erlang phases", { try .erlang(phases: 0, mean: 1) },
            "erlang: phases is 0; expected a whole number of at least 1"
        ),
        (
            "negative weibull scale", { try .weibull(shape: 1, scale: -2) },
            "weibull: scale is -2.0; expected a number greater than 0"
        ),
        (
            "zero beta alpha", { try .beta(alpha: 0, beta: 1) },
            "beta: alpha is 0.0; expected a number from 0.01 to 1000"
        ),
        (
            "pert mode outside range", { try .pert(min: 1, mode: 0, max: 2) },
            "pert: mode 0.0 lies outside [min 1.0, max 2.0]"
        ),
        (
            "truncated normal with no mass", { try .normalTruncatedAtZero(mean: -1, sd: 0) },
            "normal: mean -1.0 with sd 0 has no value at or above zero"
        ),
    ]

    @Test("impossible parameters throw a message saying what was expected", arguments: 0..<cases.count)
    func parameterError(_ index: Int) {
        let (label, make, message) = Self.cases[index]
        do {
            _ = try make()
            Issue.record("\(label): no error thrown")
        } catch {
            #expect(String(describing: error) == message, "\(label)")
        }
    }

    @Test("an empty probability list is rejected")
    func emptyChoice() {
        #expect(throws: DistributionError("discrete", "needs at least one probability")) {
            try DiscreteChoice(probabilities: [])
        }
    }
}
