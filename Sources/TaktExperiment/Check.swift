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
    /// The assertion's line in the scenario file.
    public var line: Int?

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

/// Judges assertions on confidence intervals and compares KPIs with a baseline (Regression.swift).
public enum Check {
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
        var verdict = judgeInterval(assertion, results: results)
        verdict.line = assertion.line
        return verdict
    }

    static func judgeInterval(_ assertion: Assertion, results: ExperimentResults) -> AssertionVerdict {
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
