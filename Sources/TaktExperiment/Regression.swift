import Foundation
import TaktKernel
import TaktScenario

/// The comparison of one KPI with the baseline run (paired by replication: common random numbers).
public struct RegressionVerdict: Sendable {
    public var kpi: String
    public var unit: String
    public var direction: KPIDirection
    /// Fail: worse beyond noise and tolerance (two-sided: changed); inconclusive: it could
    /// not be compared (one pair, or the KPI is in only one of the two runs); pass otherwise.
    public var verdict: CheckVerdict
    /// The baseline's and this run's means and 95% half-widths (nil without an interval).
    public var baseline: Double
    public var baselineHalfWidth: Double?
    public var current: Double
    public var currentHalfWidth: Double?
    /// The mean of the paired differences current − baseline and their 95% interval.
    public var difference: Double
    public var lower: Double
    public var upper: Double
    /// How far it may move towards its worse side, in its unit, and what set that.
    public var margin: Double
    public var toleranceSource: String?
    /// The one-sided (two-sided KPIs: two-sided) p-value of "worse beyond the margin", and the
    /// same adjusted by Holm's procedure over the KPIs compared; nil when there is no test.
    public var pValue: Double?
    public var adjustedPValue: Double?
    /// Replications where both runs define the KPI.
    public var pairs: Int
    /// The scenario line a CI annotation points at (its tolerance, else its `check:` section).
    public var line: Int?
    public var message: String

    /// A comparison of `kpi` with the baseline.
    public init(
        kpi: String, unit: String, direction: KPIDirection = .twoSided, verdict: CheckVerdict, baseline: Double,
        baselineHalfWidth: Double? = nil, current: Double, currentHalfWidth: Double? = nil, difference: Double = 0,
        lower: Double, upper: Double, margin: Double = 0, toleranceSource: String? = nil, pValue: Double? = nil,
        adjustedPValue: Double? = nil, pairs: Int = 0, line: Int? = nil, message: String
    ) {
        self.kpi = kpi
        self.unit = unit
        self.direction = direction
        self.verdict = verdict
        self.baseline = baseline
        self.baselineHalfWidth = baselineHalfWidth
        self.current = current
        self.currentHalfWidth = currentHalfWidth
        self.difference = difference
        self.lower = lower
        self.upper = upper
        self.margin = margin
        self.toleranceSource = toleranceSource
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.pairs = pairs
        self.line = line
        self.message = message
    }
}

/// A run compared with its baseline, KPI by KPI.
public struct RegressionReport: Sendable {
    /// One verdict per KPI selected, by name; KPIs in only one of the two runs are inconclusive.
    public var verdicts: [RegressionVerdict]
    /// Patterns of the `check:` section or the options that match no KPI of either run: a
    /// typo, reported as an error rather than silently comparing everything or nothing.
    public var unmatched: [KPIPattern]
    /// KPIs tested (the family Holm's procedure is over), and the family-wise level.
    public var family: Int
    public var level: Double
    /// KPIs of the runs left out by `check:`, `--kpi` or `--ignore-kpi`.
    public var leftOut: Int
}

extension Check {
    /// Compares `current` with `baseline` on every KPI `settings` selects, replication by
    /// replication (the runs share seeds, so their random numbers are common).
    ///
    /// For each KPI it tests, with Student's t on the paired differences, whether the KPI got
    /// worse by more than its margin (its tolerance in `settings`, else `tolerance` × the
    /// baseline mean): one-sided for a higher- or lower-better KPI, two-sided for a two-sided
    /// one. The p-values are adjusted with Holm's step-down procedure over every KPI tested,
    /// so the chance that a run without a real change fails on any KPI is at most 1 − `level`.
    public static func regressions(
        _ current: ExperimentResults, baseline: BaselineRun, settings: CheckSettings = CheckSettings(),
        level: Double = 0.95, tolerance: Double = 0
    ) -> RegressionReport {
        var names = Set(baseline.kpis.keys)
        for kpi in current.kpis { names.insert(kpi.name) }
        let all = names.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        let patterns = settings.kpis + settings.ignore + settings.tolerances.map(\.pattern)
        let unmatched = patterns.filter { pattern in !all.contains(where: pattern.matches) }
        let selected = all.filter(settings.includes)
        let digits = baseline.significantDigits
        var verdicts: [RegressionVerdict] = selected.map { name in
            let direction = KPIDirection.of(name)
            let specific = settings.tolerance(of: name)
            let line = specific?.pattern.line ?? settings.line
            let now = current.kpi(name)
            let before = baseline.kpis[name]
            guard let now, let before else {
                let unit = now?.unit ?? before?.unit ?? ""
                let message =
                    now == nil
                    ? "in the baseline but not in this run: the change removed what it measures; update the baseline with --update-baseline if that is meant"
                    : "new in this run, not in the baseline: update the baseline with --update-baseline to compare it"
                return RegressionVerdict(
                    kpi: name, unit: unit, direction: direction, verdict: .inconclusive,
                    baseline: before.map { KPIResult(name: name, unit: unit, values: $0.values).mean } ?? .nan,
                    current: now?.mean ?? .nan, lower: .nan, upper: .nan, line: line, message: message)
            }
            let beforeKPI = KPIResult(name: name, unit: before.unit, values: before.values)
            let values = now.values.map { Baseline.rounded($0, significantDigits: digits) }
            let margin =
                specific?.tolerance.margin(baselineMean: beforeKPI.mean) ?? tolerance
                * abs(beforeKPI.mean.isFinite ? beforeKPI.mean : 0)
            let source =
                specific.map { "tolerance \($0.tolerance.text) from \($0.pattern.source)" }
                ?? (tolerance > 0 ? "--tolerance \(tolerance)" : nil)
            var verdict = RegressionVerdict(
                kpi: name, unit: now.unit, direction: direction, verdict: .pass, baseline: beforeKPI.mean,
                baselineHalfWidth: beforeKPI.hasInterval ? beforeKPI.halfWidth : nil, current: now.mean,
                currentHalfWidth: now.hasInterval ? now.halfWidth : nil, lower: .nan, upper: .nan, margin: margin,
                toleranceSource: source, line: line, message: "")
            guard values.count == before.values.count else {
                verdict.verdict = .error
                verdict.message =
                    "the baseline has \(before.values.count) replications of it, this run \(values.count): run with the baseline's replications"
                return verdict
            }
            // Replications where either run leaves the KPI undefined are left out of the pairs.
            let differences = zip(values, before.values).map { $0 - $1 }.filter(\.isFinite)
            verdict.pairs = differences.count
            guard differences.count >= 2, let interval = try? ConfidenceInterval(values: differences) else {
                verdict.verdict = .inconclusive
                verdict.difference = differences.first ?? .nan
                verdict.message =
                    differences.isEmpty
                    ? "undefined in every replication of one of the two runs: nothing to compare"
                    : "one paired replication gives no interval: run at least 2 (`--replications 10`)"
                return verdict
            }
            verdict.difference = interval.mean
            verdict.lower = interval.lower
            verdict.upper = interval.upper
            verdict.pValue =
                switch direction {
                case .lowerIsBetter: interval.pValueAbove(margin)
                case .higherIsBetter: interval.pValueBelow(-margin)
                case .twoSided: min(1, 2 * min(interval.pValueAbove(margin), interval.pValueBelow(-margin)))
                }
            return verdict
        }
        let adjusted = MultiplicityCorrection.holm.adjust(verdicts.map(\.pValue))
        let family = adjusted.compactMap { $0 }.count
        for index in verdicts.indices {
            guard let p = adjusted[index] else { continue }
            verdicts[index].adjustedPValue = p
            if p < 1 - level { verdicts[index].verdict = .fail }
            verdicts[index].message = message(verdicts[index], family: family)
        }
        return RegressionReport(
            verdicts: verdicts, unmatched: unmatched, family: family, level: level, leftOut: all.count - selected.count)
    }

    /// `0.9512 ± 0.0021 → 0.9012 ± 0.0030 share: worse (difference −0.0500 in [−0.0531, −0.0469]; p 1.2e-09, Holm 4.1e-07 over 312 KPIs)`.
    static func message(_ v: RegressionVerdict, family: Int) -> String {
        func mean(_ value: Double, _ halfWidth: Double?) -> String {
            "\(format(value)) ± \(halfWidth.map(format) ?? "n/a")"
        }
        let change: String
        if v.verdict == .fail {
            change = v.direction == .twoSided ? "changed" : "worse"
        } else {
            let better =
                switch v.direction {
                case .higherIsBetter: v.lower > 0
                case .lowerIsBetter: v.upper < 0
                case .twoSided: false
                }
            change = better ? "better" : "no change beyond noise"
        }
        let tolerance = v.margin > 0 ? ", beyond \(format(v.margin)) (\(v.toleranceSource ?? "tolerance"))" : ""
        let p = v.pValue.map(pFormat) ?? "n/a"
        let adjusted = v.adjustedPValue.map(pFormat) ?? "n/a"
        return
            "baseline \(mean(v.baseline, v.baselineHalfWidth)) → now \(mean(v.current, v.currentHalfWidth)) \(v.unit): \(change)\(tolerance) (\(v.direction.rawValue); difference \(format(v.difference)) in [\(format(v.lower)), \(format(v.upper))] at 95%; p \(p), Holm-adjusted \(adjusted) over \(family) KPIs)"
    }

    static func pFormat(_ p: Double) -> String {
        p == 0 ? "0" : p >= 0.001 ? String(format: "%.3f", p) : String(format: "%.1e", p)
    }
}
