import Foundation
import TaktKernel
import TaktMES
import TaktScenario

/// What `takt check` concludes about one assertion or one KPI against the baseline.
public enum CheckVerdict: String, Sendable, Codable {
    /// The whole confidence interval satisfies the assertion; or no KPI got worse beyond noise.
    case pass
    /// No part of the interval satisfies it; or the KPI got worse beyond noise.
    case fail
    /// The interval straddles the limit: more replications would tell.
    case inconclusive
    /// It could not be judged: a KPI it names is not in this run's results.
    case error
}

/// The judgement of one assertion: the interval of (left − right) over replications.
public struct AssertionVerdict: Sendable {
    public var assertion: String
    public var verdict: CheckVerdict
    /// Mean and 95% interval of left − right, in the rule language's units (seconds for
    /// durations).
    public var difference: Double
    public var lower: Double
    public var upper: Double
    /// The left side's mean, for the message.
    public var left: Double
    public var message: String

    /// A judgement of `assertion`.
    public init(
        assertion: String, verdict: CheckVerdict, difference: Double, lower: Double, upper: Double, left: Double,
        message: String
    ) {
        self.assertion = assertion
        self.verdict = verdict
        self.difference = difference
        self.lower = lower
        self.upper = upper
        self.left = left
        self.message = message
    }
}

/// The comparison of one KPI with the baseline run (paired by replication: common random numbers).
public struct RegressionVerdict: Sendable {
    public var kpi: String
    public var unit: String
    public var verdict: CheckVerdict
    public var baseline: Double
    public var current: Double
    /// The interval of current − baseline, at the Bonferroni-corrected level.
    public var lower: Double
    public var upper: Double
    public var message: String

    /// A comparison of `kpi` with the baseline.
    public init(
        kpi: String, unit: String, verdict: CheckVerdict, baseline: Double, current: Double, lower: Double,
        upper: Double, message: String
    ) {
        self.kpi = kpi
        self.unit = unit
        self.verdict = verdict
        self.baseline = baseline
        self.current = current
        self.lower = lower
        self.upper = upper
        self.message = message
    }
}

/// Judges assertions on confidence intervals and compares KPIs with a baseline.
public enum Check {
    /// KPIs compared with the baseline, and whether higher is better.
    public static let directions: [(kpi: String, higherIsBetter: Bool)] = [
        ("throughput", true), ("yield", true), ("oee", true), ("on_time_delivery", true),
        ("orders_completed", true), ("work_in_process", false), ("lead_time", false), ("scrap_rate", false),
        ("escape_rate", false), ("order_lead_time", false), ("order_tardiness", false),
        ("shipped_with_open_hold", false),
    ]

    /// The interval of `values` at `level`: a point when the values do not spread at all,
    /// and unbounded for a single value (one replication says nothing about the noise, so it
    /// can neither pass nor fail a judgement on an interval).
    static func interval(_ values: [Double], level: Double) -> (mean: Double, lower: Double, upper: Double) {
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        guard values.count > 1 else { return (mean, -.infinity, .infinity) }
        guard let ci = try? ConfidenceInterval(values: values, level: level) else { return (mean, mean, mean) }
        return (ci.mean, ci.lower, ci.upper)
    }

    /// What to add to a message when there are too few replications for an interval.
    static func replicationNote(_ replications: Int) -> String {
        replications < 2 ? "; one replication gives no interval: run at least 2 (`--replications 10`)" : ""
    }

    /// Judges `assertion` on `results`: pass when the whole 95% interval of (left − right)
    /// satisfies the comparison, fail when none of it does, inconclusive otherwise.
    public static func judge(_ assertion: Assertion, results: ExperimentResults) -> AssertionVerdict {
        var missing: [String] = []
        let kpis = assertion.kpis.map { reference -> KPIResult? in
            let kpi = results.kpi(reference.name)
            if kpi == nil { missing.append(reference.name) }
            return kpi
        }
        guard missing.isEmpty else {
            return AssertionVerdict(
                assertion: assertion.text, verdict: .error, difference: 0, lower: 0, upper: 0, left: 0,
                message: "no KPI \(missing.map { "`\($0)`" }.joined(separator: ", ")) in this run's results")
        }
        for (kpi, reference) in zip(kpis, assertion.kpis) {
            guard let r = kpi!.values.firstIndex(where: \.isNaN) else { continue }
            return AssertionVerdict(
                assertion: assertion.text, verdict: .error, difference: 0, lower: 0, upper: 0, left: 0,
                message:
                    "`\(reference.name)` is undefined in replication \(r + 1) (defined in \(kpi!.defined) of \(kpi!.values.count)): it is taken over no orders or units there; assert on a KPI every replication defines, or run longer"
            )
        }
        var differences: [Double] = []
        var lefts: [Double] = []
        for r in 0..<results.replications {
            let facts = zip(kpis, assertion.kpis).map { kpi, reference in kpi!.values[r] * reference.scale }
            let left = assertion.left.evaluate(facts: facts)
            lefts.append(left)
            differences.append(left - assertion.right.evaluate(facts: facts))
        }
        if let r = differences.firstIndex(where: { !$0.isFinite }) {
            return AssertionVerdict(
                assertion: assertion.text, verdict: .error, difference: 0, lower: 0, upper: 0, left: 0,
                message:
                    "no value in replication \(r + 1): a division by zero (a KPI it divides by is 0 there); divide by a KPI that cannot be 0"
            )
        }
        let (mean, lower, upper) = interval(differences, level: 0.95)
        let verdict: CheckVerdict =
            switch assertion.comparison {
            case ">=": lower >= 0 ? .pass : upper < 0 ? .fail : .inconclusive
            case ">": lower > 0 ? .pass : upper <= 0 ? .fail : .inconclusive
            case "<=": upper <= 0 ? .pass : lower > 0 ? .fail : .inconclusive
            case "<": upper < 0 ? .pass : lower >= 0 ? .fail : .inconclusive
            case "==": lower == 0 && upper == 0 ? .pass : (lower > 0 || upper < 0) ? .fail : .inconclusive
            default: (lower > 0 || upper < 0) ? .pass : lower == 0 && upper == 0 ? .fail : .inconclusive
            }
        let leftMean = lefts.reduce(0, +) / Double(max(lefts.count, 1))
        let show = assertion.left.type == .duration ? { hours($0) } : { format($0) }
        let message =
            "left side \(show(leftMean)); left − right = \(show(mean)), 95% interval [\(show(lower)), \(show(upper))] over \(results.replications) replications"
            + replicationNote(results.replications)
        return AssertionVerdict(
            assertion: assertion.text, verdict: verdict, difference: mean, lower: lower, upper: upper, left: leftMean,
            message: message)
    }

    /// Compares the KPIs of ``directions`` with the same KPIs of `baseline`, replication by
    /// replication (the runs share seeds, so their random numbers are common). A KPI fails
    /// when the whole interval of (current − baseline) lies on its worse side and the change
    /// is beyond `tolerance` (a share of the baseline mean). The intervals are Bonferroni
    /// corrected over the KPIs compared, so the chance of any false alarm is at most
    /// 1 − `level`.
    public static func regressions(
        _ current: ExperimentResults, baseline: ExperimentResults, level: Double = 0.95, tolerance: Double = 0
    ) -> [RegressionVerdict] {
        let compared = directions.compactMap { direction -> (KPIResult, KPIResult, Bool)? in
            guard let now = current.kpi(direction.kpi), let before = baseline.kpi(direction.kpi),
                now.values.count == before.values.count, !now.values.isEmpty
            else { return nil }
            return (now, before, direction.higherIsBetter)
        }
        let corrected = 1 - (1 - level) / Double(max(compared.count, 1))
        return compared.map { now, before, higherIsBetter in
            // Replications where either run leaves the KPI undefined are left out of the pairs.
            let differences = zip(now.values, before.values).map { $0 - $1 }.filter(\.isFinite)
            let (_, lower, upper) = interval(differences, level: corrected)
            let margin = tolerance * abs(before.mean)
            let worse = higherIsBetter ? upper < -margin : lower > margin
            let better = higherIsBetter ? lower > margin : upper < -margin
            let verdict: CheckVerdict = worse ? .fail : .pass
            let change = better ? "better" : worse ? "worse" : "no change beyond noise"
            let message =
                "\(format(before.mean)) → \(format(now.mean)) \(now.unit): \(change) (difference in [\(format(lower)), \(format(upper))] at \(format(corrected * 100))%)"
                + replicationNote(differences.count)
            return RegressionVerdict(
                kpi: now.name, unit: now.unit, verdict: verdict, baseline: before.mean, current: now.mean,
                lower: lower, upper: upper, message: message)
        }
    }

    /// Seconds as hours, for durations.
    static func hours(_ seconds: Double) -> String { "\(format(seconds / 3_600))h" }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1000 || magnitude < 0.001 { return String(format: "%.4g", value) }
        return String(format: "%.4f", value)
    }
}
