import CGSL
import Synchronization

/// The Shewhart control-chart constants for subgroups of `n`, computed rather than copied
/// from a table: d2 and d3 (mean and standard deviation of the range of n standard normal
/// values) by numerical integration with GSL's normal CDF, c4 (the bias of the sample
/// standard deviation) from GSL's log-gamma.
///
/// - d2 = ∫ [1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ] dx;
/// - E[R²] = 2 ∫∫_{x<y} [1 − Φ(y)ⁿ − (1 − Φ(x))ⁿ + (Φ(y) − Φ(x))ⁿ] dy dx, d3 = √(E[R²] − d2²);
/// - c4 = √(2 / (n − 1)) · Γ(n / 2) / Γ((n − 1) / 2).
///
/// The 3σ limits follow: A2 = 3 / (d2 √n), D3 = max(0, 1 − 3 d3 / d2), D4 = 1 + 3 d3 / d2,
/// A3 = 3 / (c4 √n), B3 = max(0, 1 − 3 √(1 − c4²) / c4), B4 = 1 + 3 √(1 − c4²) / c4.
public struct ControlChartConstants: Sendable, Equatable {
    /// The subgroup size.
    public let n: Int
    /// Mean and standard deviation of the range of n standard normal values.
    public let d2: Double
    public let d3: Double
    /// E[s] / σ for samples of n.
    public let c4: Double

    /// The constants for subgroups of `n` (2 to 25).
    public init(subgroupSize n: Int) throws(StatisticsError) {
        guard (2...25).contains(n) else { throw .invalidSubgroupSize(n) }
        GSLLibrary.prepare()
        self.n = n
        // Trapezoid rule on [−7, 7] (Φ(−7) ≈ 1e-12): the integrands are smooth, so a step of
        // 0.01 is accurate to about 1e-6.
        let step = 0.01
        let points = Int((14 / step).rounded()) + 1
        var cdf = [Double](repeating: 0, count: points)
        for i in 0..<points { cdf[i] = gsl_cdf_ugaussian_P(-7 + Double(i) * step) }
        func pow(_ base: Double, _ exponent: Int) -> Double {
            var result = 1.0
            for _ in 0..<exponent { result *= base }
            return result
        }
        let power = n
        // Φ(x)ⁿ and (1 − Φ(x))ⁿ at every point, once: the double integral below would otherwise
        // raise them to the n-th power again for each of its million pairs.
        var lower = [Double](repeating: 0, count: points)
        var upper = [Double](repeating: 0, count: points)
        for i in 0..<points {
            lower[i] = pow(cdf[i], power)
            upper[i] = pow(1 - cdf[i], power)
        }
        var d2 = 0.0
        for i in 0..<points {
            let value = 1 - lower[i] - upper[i]
            d2 += (i == 0 || i == points - 1 ? 0.5 : 1) * value
        }
        d2 *= step
        // The double integral over x < y, by the trapezoid rule in y from the diagonal (where
        // the integrand is d2's, not 0) to the upper end.
        let second = cdf.withUnsafeBufferPointer { cdf in
            lower.withUnsafeBufferPointer { lower in
                var second = 0.0
                for i in 0..<points {
                    let tail = upper[i]
                    let start = cdf[i]
                    func integrand(_ j: Int) -> Double { 1 - lower[j] - tail + pow(cdf[j] - start, power) }
                    // Half weight on the diagonal and at the upper end (one point when i is last).
                    var inner = 0.5 * integrand(i)
                    if i < points - 1 {
                        for j in (i + 1)..<(points - 1) { inner += integrand(j) }
                        inner += 0.5 * integrand(points - 1)
                    }
                    second += (i == 0 ? 0.5 : 1) * inner
                }
                return second * (2 * step * step)
            }
        }
        self.d2 = d2
        d3 = (second - d2 * d2).squareRoot()
        let size = Double(n)
        c4 = (2 / (size - 1)).squareRoot() * gsl_sf_gamma(size / 2) / gsl_sf_gamma((size - 1) / 2)
    }

    /// The constants for subgroups of `n`, computed once per process and then reused: the
    /// integration takes milliseconds, and every replication's chart asks for them.
    public static func cached(subgroupSize n: Int) throws(StatisticsError) -> ControlChartConstants {
        if let known = cache.withLock({ $0[n] }) { return known }
        let computed = try ControlChartConstants(subgroupSize: n)
        cache.withLock { $0[n] = computed }
        return computed
    }

    static let cache = Mutex<[Int: ControlChartConstants]>([:])

    /// X̄ chart limits from R̄: x̿ ± A2 · R̄.
    public var a2: Double { 3 / (d2 * Double(n).squareRoot()) }
    /// R chart limits: D3 · R̄ and D4 · R̄.
    public var d3Factor: Double { max(0, 1 - 3 * d3 / d2) }
    public var d4Factor: Double { 1 + 3 * d3 / d2 }
    /// X̄ chart limits from S̄: x̿ ± A3 · S̄.
    public var a3: Double { 3 / (c4 * Double(n).squareRoot()) }
    /// S chart limits: B3 · S̄ and B4 · S̄.
    public var b3: Double { max(0, 1 - 3 * (1 - c4 * c4).squareRoot() / c4) }
    public var b4: Double { 1 + 3 * (1 - c4 * c4).squareRoot() / c4 }
}
