/// An attribute control chart's centre line and 3σ limits (Montgomery, *Introduction to
/// Statistical Quality Control*, §7.2–7.3): the binomial p and np charts and the Poisson c and u
/// charts, with limits that follow each subgroup's size where it varies.
public struct AttributeChart: Sendable, Equatable, Codable {
    public let kind: ControlChartKind
    /// p̄ (p and np charts), c̄ (c chart) or ū (u chart): from the baseline or given.
    public let centre: Double

    /// A chart of `kind` with its centre `centre` (a fraction, or nonconformities per
    /// inspection unit or per unit).
    public init(_ kind: ControlChartKind, centre: Double) {
        self.kind = kind
        self.centre = centre
    }

    /// Phase I: the centre from baseline subgroups of (units inspected, units rejected,
    /// nonconformities found): p̄ = Σd/Σn, c̄ = Σc/m, ū = Σc/Σn.
    public init(_ kind: ControlChartKind, baseline: [(inspected: Int, rejected: Int, found: Int)]) {
        let inspected = Double(baseline.reduce(0) { $0 + $1.inspected })
        let rejected = Double(baseline.reduce(0) { $0 + $1.rejected })
        let found = Double(baseline.reduce(0) { $0 + $1.found })
        let centre: Double =
            switch kind {
            case .p, .np: rejected / max(inspected, 1)
            case .c: found / Double(max(baseline.count, 1))
            default: found / max(inspected, 1)
            }
        self.init(kind, centre: centre)
    }

    /// The plotted statistic of a subgroup of `inspected` units with `rejected` rejects and
    /// `found` nonconformities: p = d/n, np = d, c = c, u = c/n.
    public func statistic(inspected: Int, rejected: Int, found: Int) -> Double {
        switch kind {
        case .np: Double(rejected)
        case .c: Double(found)
        case .u: Double(found) / Double(max(inspected, 1))
        default: Double(rejected) / Double(max(inspected, 1))
        }
    }

    /// The limits for a subgroup of `inspected` units: p̄ ± 3√(p̄(1 − p̄)/n),
    /// np̄ ± 3√(np̄(1 − p̄)), c̄ ± 3√c̄, ū ± 3√(ū/n); a lower limit below zero is zero.
    public func limits(inspected: Int) -> ControlChart.Limits {
        let n = Double(max(inspected, 1))
        let (mean, sigma): (Double, Double) =
            switch kind {
            case .np: (n * centre, (n * centre * (1 - centre)).squareRoot())
            case .c: (centre, centre.squareRoot())
            case .u: (centre, (centre / n).squareRoot())
            default: (centre, (centre * (1 - centre) / n).squareRoot())
            }
        return ControlChart.Limits(lower: max(0, mean - 3 * sigma), centre: mean, upper: mean + 3 * sigma)
    }

    /// How many sigmas `statistic` lies from the centre for a subgroup of `inspected` units
    /// (0 when sigma is 0), so the run rules read attribute points as they read X̄ points.
    public func standardised(_ statistic: Double, inspected: Int) -> Double {
        let limits = limits(inspected: inspected)
        let sigma = (limits.upper - limits.centre) / 3
        return sigma > 0 ? (statistic - limits.centre) / sigma : 0
    }
}
