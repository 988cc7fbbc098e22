import Testing
import TaktExperiment
import TaktScenario

/// Results with the given per-replication values, by KPI name (units as results.json has them).
func handBuiltResults(_ kpis: [(String, [Double])], replications: Int = 4) -> ExperimentResults {
    ExperimentResults(
        scenario: "hand-built", file: "hand.yaml", seed: 1, replications: replications, horizon: 86_400, warmup: 0,
        generator: "taus2", gslVersion: "2.7", kpis: kpis.map { KPIResult(name: $0.0, unit: "h", values: $0.1) })
}

/// `current` compared with `baseline`, both hand-built, with `settings` and `tolerance`.
func handBuiltComparison(
    baseline: [(String, [Double])], current: [(String, [Double])], settings: CheckSettings = CheckSettings(),
    tolerance: Double = 0
) -> RegressionReport {
    Check.regressions(
        handBuiltResults(current), baseline: BaselineRun(handBuiltResults(baseline)), settings: settings,
        tolerance: tolerance)
}

/// A `check:` tolerance for `kpi`, as the scenario reader makes it.
func toleranceSetting(_ kpi: String, _ text: String) -> CheckSettings {
    var settings = CheckSettings()
    settings.tolerances = [
        (KPIPattern(kpi, source: "hand.yaml:3: check.tolerance.\(kpi)", line: 3), KPITolerance.parse(text)!)
    ]
    return settings
}

@Suite struct PairedRegressionTest {
    @Test func aLowerBetterKPIsRiseGetsTheOneSidedPairedTPValue() throws {
        // Differences 1, 2, 3, 4: mean 2.5, s = 1.29099, t = 3.873 with 3 degrees of
        // freedom; P(T > 3.873) = 0.015233 (scipy.stats.t.sf).
        let report = handBuiltComparison(
            baseline: [("lead_time", [10, 10, 10, 10])], current: [("lead_time", [11, 12, 13, 14])])
        let verdict = try #require(report.verdicts.first)
        #expect(abs(try #require(verdict.pValue) - 0.015233145831) < 1e-9)
        #expect(verdict.verdict == .fail)
        #expect(verdict.direction == .lowerIsBetter)
        #expect(verdict.message.contains("worse"))
    }

    @Test func theSameRiseOfAHigherBetterKPIIsNoRegression() throws {
        let report = handBuiltComparison(
            baseline: [("throughput", [10, 10, 10, 10])], current: [("throughput", [11, 12, 13, 14])])
        let verdict = try #require(report.verdicts.first)
        #expect(verdict.verdict == .pass)
        #expect(verdict.message.contains("better"))
    }

    @Test func aTwoSidedKPIFailsWhenItChangesEitherWay() throws {
        // Two-sided: twice the one-sided p, 0.030466.
        for current in [[11.0, 12, 13, 14], [9, 8, 7, 6]] {
            let report = handBuiltComparison(
                baseline: [("rule_firings[hold-aoi]", [10, 10, 10, 10])],
                current: [("rule_firings[hold-aoi]", current)])
            let verdict = try #require(report.verdicts.first)
            #expect(abs(try #require(verdict.pValue) - 0.030466291662) < 1e-9)
            #expect(verdict.verdict == .fail)
            #expect(verdict.message.contains("changed"))
        }
    }

    @Test func aPerKPIToleranceAdmitsASmallRegressionTheGlobalOneRejects() throws {
        // Lead time rises by 0.03-0.04 h on 1 h (3.5%): beyond a global 1% (p 0.0016), within
        // the scenario's 5% for lead_time (p 0.9931).
        let baseline = [("lead_time", [1.0, 1, 1, 1])]
        let current = [("lead_time", [1.03, 1.04, 1.03, 1.04])]
        let global = try #require(
            handBuiltComparison(baseline: baseline, current: current, tolerance: 0.01).verdicts.first)
        #expect(abs(try #require(global.pValue) - 0.001619518538) < 1e-6)
        #expect(global.verdict == .fail)
        let specific = try #require(
            handBuiltComparison(
                baseline: baseline, current: current, settings: toleranceSetting("lead_time", "5%"), tolerance: 0.01
            ).verdicts.first)
        #expect(abs(try #require(specific.pValue) - 0.993076583506) < 1e-6)
        #expect(specific.verdict == .pass)
        #expect(specific.margin == 0.05)
        #expect(specific.line == 3)
    }

    @Test func anAbsoluteToleranceIsInTheKPIsUnit() throws {
        let verdict = try #require(
            handBuiltComparison(
                baseline: [("on_time_delivery", [0.95, 0.95, 0.95, 0.95])],
                current: [("on_time_delivery", [0.945, 0.944, 0.946, 0.945])],
                settings: toleranceSetting("on_time_delivery", "0.01")
            ).verdicts.first)
        #expect(abs(verdict.margin - 0.01) < 1e-15)
        #expect(verdict.verdict == .pass)
    }

    @Test func holmsCorrectionKeepsOneModestPValueAmongManyFromFailing() throws {
        // Alone, p = 0.0152 < 0.05 fails; with 10 more KPIs that do not move, Holm multiplies
        // the smallest p by 11: 0.168, no failure.
        let rising = ("lead_time", [11.0, 12, 13, 14])
        let flat = (0..<10).map { ("queue_wait[s\($0)]", [5.0, 6, 7, 8]) }
        let report = handBuiltComparison(
            baseline: [("lead_time", [10, 10, 10, 10])] + flat, current: [rising] + flat)
        let verdict = try #require(report.verdicts.first { $0.kpi == "lead_time" })
        #expect(report.family == 11)
        #expect(abs(try #require(verdict.adjustedPValue) - 11 * 0.015233145831) < 1e-8)
        #expect(verdict.verdict == .pass)
    }

    @Test func aKPIMissingFromTheRunOrNewInItIsReportedNotPassed() throws {
        let report = handBuiltComparison(
            baseline: [("throughput", [1, 2, 3, 4]), ("spc_adjustments[print]", [3, 4, 5, 6])],
            current: [("throughput", [1, 2, 3, 4]), ("spc_signals[print]", [1, 1, 2, 2])])
        let byName = Dictionary(uniqueKeysWithValues: report.verdicts.map { ($0.kpi, $0) })
        #expect(byName["spc_adjustments[print]"]?.verdict == .inconclusive)
        #expect(byName["spc_adjustments[print]"]?.message.contains("in the baseline but not in this run") == true)
        #expect(byName["spc_signals[print]"]?.verdict == .inconclusive)
        #expect(byName["spc_signals[print]"]?.message.contains("new in this run") == true)
        #expect(byName["throughput"]?.verdict == .pass)
    }

    @Test func oneReplicationIsInconclusive() throws {
        let report = Check.regressions(
            handBuiltResults([("lead_time", [20])], replications: 1),
            baseline: BaselineRun(handBuiltResults([("lead_time", [10])], replications: 1)))
        #expect(report.verdicts.first?.verdict == .inconclusive)
        #expect(report.family == 0)
    }
}

@Suite struct KPISelection {
    let kpis = [
        ("throughput", [1.0, 2, 3, 4]), ("busy[print]", [0.5, 0.6, 0.5, 0.6]), ("busy[aoi]", [0.5, 0.6, 0.5, 0.6]),
        ("energy[print]", [1.0, 2, 3, 4]),
    ]

    func pattern(_ text: String, line: Int = 5) -> KPIPattern { KPIPattern(text, source: "x.yaml:\(line)", line: line) }

    @Test func kpisNarrowTheComparisonToWhatTheyMatch() {
        var settings = CheckSettings()
        settings.kpis = [pattern("busy[*]")]
        let report = handBuiltComparison(baseline: kpis, current: kpis, settings: settings)
        #expect(report.verdicts.map(\.kpi) == ["busy[aoi]", "busy[print]"])
        #expect(report.leftOut == 2)
    }

    @Test func ignoreLeavesOutWhatItMatches() {
        var settings = CheckSettings()
        settings.ignore = [pattern("*[print]")]
        let report = handBuiltComparison(baseline: kpis, current: kpis, settings: settings)
        #expect(report.verdicts.map(\.kpi) == ["busy[aoi]", "throughput"])
    }

    @Test func theCommandLineWidensANarrowedSection() {
        var settings = CheckSettings()
        settings.kpis = [pattern("throughput")]
        let widened = settings.adding(kpis: [KPIPattern("energy[*]", source: "--kpi energy[*]")], ignoring: [])
        let report = handBuiltComparison(baseline: kpis, current: kpis, settings: widened)
        #expect(report.verdicts.map(\.kpi) == ["energy[print]", "throughput"])
    }

    @Test func aPatternMatchingNoKPIIsReported() {
        var settings = CheckSettings()
        settings.ignore = [pattern("enrgy*", line: 7)]
        let report = handBuiltComparison(baseline: kpis, current: kpis, settings: settings)
        #expect(report.unmatched.map(\.text) == ["enrgy*"])
        #expect(report.unmatched.first?.line == 7)
    }
}

@Suite struct KPIGlobs {
    @Test func bracketsAreLiteralAndStarMatchesAnyText() {
        let glob = KPIPattern("busy[*]", source: "")
        #expect(glob.matches("busy[print]"))
        #expect(glob.matches("busy[]"))
        #expect(!glob.matches("busy"))
        #expect(!glob.matches("idle[print]"))
    }

    @Test func questionMarkMatchesOneCharacter() {
        let glob = KPIPattern("oee[s?]", source: "")
        #expect(glob.matches("oee[s1]"))
        #expect(!glob.matches("oee[s12]"))
    }

    @Test func aNameWithoutWildcardsMatchesOnlyItself() {
        let name = KPIPattern("oee", source: "")
        #expect(name.matches("oee"))
        #expect(!name.matches("oee[print]"))
        #expect(!name.isGlob)
    }

    @Test func severalStarsBacktrack() {
        let glob = KPIPattern("*_time*", source: "")
        #expect(glob.matches("order_lead_time[router-ax1800]"))
        #expect(glob.matches("lead_time"))
        #expect(!glob.matches("throughput"))
    }

    @Test func anExactToleranceWinsOverAGlobListedBefore() {
        var settings = CheckSettings()
        settings.tolerances = [
            (KPIPattern("lead*", source: ""), .relative(0.1)), (KPIPattern("lead_time", source: ""), .absolute(0.2)),
        ]
        #expect(settings.tolerance(of: "lead_time")?.tolerance == .absolute(0.2))
        #expect(settings.tolerance(of: "lead_time_x")?.tolerance == .relative(0.1))
    }
}
