import CGSL

extension ConfidenceInterval {
    /// The two-sided p-value of the t test of "the true mean is 0" (GSL `gsl_cdf_tdist_Q`).
    ///
    /// With no spread at all the test degenerates: a mean of exactly 0 gives 1, any other
    /// mean 0 (every replication shows the same non-zero difference).
    public var pValueAgainstZero: Double {
        guard standardDeviation > 0 else { return mean == 0 ? 1 : 0 }
        GSLLibrary.prepare()
        let t = abs(mean) / standardError
        return min(1, 2 * gsl_cdf_tdist_Q(t, Double(count - 1)))
    }
}

extension ConfidenceInterval {
    /// The one-sided p-value of the t test of "the true mean is at most `threshold`"
    /// against "it is above" (GSL `gsl_cdf_tdist_Q`): small when the values lie clearly
    /// above the threshold. Without spread: 0 when the mean is above it, else 1.
    public func pValueAbove(_ threshold: Double) -> Double {
        guard standardDeviation > 0 else { return mean > threshold ? 0 : 1 }
        GSLLibrary.prepare()
        return gsl_cdf_tdist_Q((mean - threshold) / standardError, Double(count - 1))
    }

    /// The one-sided p-value of "the true mean is at least `threshold`" against "it is
    /// below" (GSL `gsl_cdf_tdist_P`). Without spread: 0 when the mean is below it, else 1.
    public func pValueBelow(_ threshold: Double) -> Double {
        guard standardDeviation > 0 else { return mean < threshold ? 0 : 1 }
        GSLLibrary.prepare()
        return gsl_cdf_tdist_P((mean - threshold) / standardError, Double(count - 1))
    }
}

/// How a family of simultaneous tests keeps its error rate, when many KPIs are compared at once.
public enum MultiplicityCorrection: String, Sendable, Codable, CaseIterable {
    /// Holm's step-down procedure (Holm 1979): the chance of any false difference in the
    /// family stays at most α (family-wise error rate), uniformly more powerful than Bonferroni.
    case holm
    /// Benjamini & Hochberg's step-up procedure (1995): the expected share of false
    /// differences among those declared stays at most α (false discovery rate).
    case benjaminiHochberg = "bh"
    /// Each test on its own at α.
    case none

    /// Adjusted p-values, in the order given; `nil` entries (no test) stay `nil` and do not
    /// count towards the family's size.
    public func adjust(_ pValues: [Double?]) -> [Double?] {
        var tested: [(index: Int, p: Double)] = []
        for (index, p) in pValues.enumerated() {
            if let p { tested.append((index, p)) }
        }
        tested.sort { a, b in a.p < b.p || (a.p == b.p && a.index < b.index) }
        let m = Double(tested.count)
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        switch self {
        case .none:
            return pValues
        case .holm:
            var running = 0.0
            for (rank, (index, p)) in tested.enumerated() {
                running = max(running, min(1, (m - Double(rank)) * p))
                adjusted[index] = running
            }
        case .benjaminiHochberg:
            var running = 1.0
            for (rank, (index, p)) in tested.enumerated().reversed() {
                running = min(running, min(1, m / Double(rank + 1) * p))
                adjusted[index] = running
            }
        }
        return adjusted
    }
}
