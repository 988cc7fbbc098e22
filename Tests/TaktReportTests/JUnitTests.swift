import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
import TaktExperiment
import TaktReport
import TaktScenario

@Suite struct JUnitXML {
    static let check = ScenarioCheck(
        scenario: "smt <line> & \"co\"", file: "s.yaml",
        assertions: [
            AssertionVerdict(
                assertion: "oee(reflow) >= 0.70", verdict: .pass, difference: 0.1, lower: 0.05, upper: 0.15,
                left: 0.8, message: "ok"),
            AssertionVerdict(
                assertion: "throughput > 60", verdict: .fail, difference: -2, lower: -3, upper: -1, left: 58,
                message: "too low"),
            AssertionVerdict(
                assertion: "yield >= 0.99", verdict: .inconclusive, difference: 0, lower: -0.01, upper: 0.01,
                left: 0.99, message: "straddles"),
            AssertionVerdict(
                assertion: "cp(print) >= 1.33", verdict: .error, difference: 0, lower: 0, upper: 0, left: 0,
                message: "no KPI"),
        ],
        regressions: [
            RegressionVerdict(
                kpi: "lead_time", unit: "h", verdict: .fail, baseline: 1, current: 2, lower: 0.5, upper: 1.5,
                message: "worse")
        ], seconds: 1.25)

    @Test func countsFailuresErrorsAndSkippedPerSuite() {
        let xml = JUnitReport.xml([Self.check])
        #expect(xml.contains("tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\""))
        #expect(xml.contains("<testsuites name=\"takt check\" tests=\"5\" failures=\"2\" errors=\"1\""))
    }

    @Test func escapesNamesAndMessages() {
        let xml = JUnitReport.xml([Self.check])
        #expect(xml.contains("name=\"smt &lt;line&gt; &amp; &quot;co&quot;\""))
        #expect(xml.contains("name=\"oee(reflow) &gt;= 0.70\""))
    }

    @Test func isWellFormedXML() throws {
        let data = Data(JUnitReport.xml([Self.check]).utf8)
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test func eachKPIComparedIsATestCaseWhoseMessageGivesBothIntervals() async throws {
        let report = handBuiltReport()
        var check = ScenarioCheck(
            scenario: "line", file: "s.yaml", assertions: [], regressions: report.verdicts, seconds: 1)
        check.family = report.family
        let xml = JUnitReport.xml([check])
        #expect(xml.contains("<testcase classname=\"line.baseline\" name=\"lead_time\""))
        #expect(xml.contains("<testcase classname=\"line.baseline\" name=\"throughput\""))
        #expect(xml.contains("baseline 10.0000 ± n/a → now 12.5000 ± 2.0543 h: worse"))
    }

    @Test func underStrictWhatCouldNotBeJudgedIsAFailure() {
        var check = ScenarioCheck(
            scenario: "line", file: "s.yaml", assertions: [],
            regressions: [
                RegressionVerdict(
                    kpi: "spc_adjustments[print]", unit: "adjustments", verdict: .inconclusive, baseline: 3,
                    current: .nan, lower: .nan, upper: .nan, message: "in the baseline but not in this run")
            ], seconds: 1)
        #expect(JUnitReport.xml([check]).contains("<skipped message="))
        check.strict = true
        #expect(JUnitReport.xml([check]).contains("<failure type=\"inconclusive\""))
        #expect(check.verdicts == [.fail])
    }

    @Test func aScenarioWithoutABaselineIsACaseOfItsOwn() {
        var check = ScenarioCheck(scenario: "line", file: "s.yaml", assertions: [], regressions: [], seconds: 1)
        check.notCompared = "no run of `line` in the baseline b.json"
        #expect(JUnitReport.xml([check]).contains("name=\"baseline\""))
        #expect(check.verdicts == [.inconclusive])
        check.strict = true
        #expect(check.verdicts == [.fail])
    }

    @Test func anUnmatchedPatternIsAnError() {
        var check = ScenarioCheck(scenario: "line", file: "s.yaml", assertions: [], regressions: [], seconds: 1)
        check.unmatched = [KPIPattern("enrgy*", source: "s.yaml:30: check.ignore[0]", line: 30)]
        #expect(JUnitReport.xml([check]).contains("<error type=\"unmatched-kpi-pattern\""))
        #expect(check.verdicts == [.error])
    }
}

/// lead_time rising from 10 h in every replication to 11-14 h, throughput unchanged.
func handBuiltReport() -> RegressionReport {
    func results(_ kpis: [(String, [Double])]) -> ExperimentResults {
        ExperimentResults(
            scenario: "line", file: "s.yaml", seed: 1, replications: 4, horizon: 86_400, warmup: 0, generator: "taus2",
            gslVersion: "2.7", kpis: kpis.map { KPIResult(name: $0.0, unit: "h", values: $0.1) })
    }
    return Check.regressions(
        results([("lead_time", [11, 12, 13, 14]), ("throughput", [5, 6, 7, 8])]),
        baseline: BaselineRun(results([("lead_time", [10, 10, 10, 10]), ("throughput", [5, 6, 7, 8])])))
}

@Suite struct GitHubAnnotationLines {
    @Test func aRegressionIsAnErrorAtTheScenarioFileAndLine() {
        var report = handBuiltReport()
        report.verdicts[0].line = 42
        let check = ScenarioCheck(
            scenario: "line", file: "ci/line.yaml", assertions: [], regressions: report.verdicts, seconds: 1)
        let lines = GitHubAnnotations.lines([check])
        #expect(lines.count == 1)
        #expect(
            lines[0].hasPrefix(
                "::error file=ci/line.yaml,line=42,title=takt check regression%3A lead_time::line: lead_time: baseline")
        )
    }

    @Test func aFailedAssertionPointsAtItsLine() {
        var verdict = AssertionVerdict(
            assertion: "throughput > 60", verdict: .fail, difference: -2, lower: -3, upper: -1, left: 58,
            message: "too low, 100% sure")
        verdict.line = 12
        let check = ScenarioCheck(scenario: "line", file: "s.yaml", assertions: [verdict], regressions: [], seconds: 1)
        #expect(
            GitHubAnnotations.lines([check]) == [
                "::error file=s.yaml,line=12,title=takt check fail%3A assert throughput > 60::too low, 100%25 sure"
            ])
    }

    @Test func aMissingBaselineIsAWarningUnlessStrict() {
        var check = ScenarioCheck(scenario: "line", file: "s.yaml", assertions: [], regressions: [], seconds: 1)
        check.notCompared = "no run of `line` in the baseline"
        #expect(GitHubAnnotations.lines([check]).first?.hasPrefix("::warning file=s.yaml,line=1,") == true)
        check.strict = true
        #expect(GitHubAnnotations.lines([check]).first?.hasPrefix("::error file=s.yaml,line=1,") == true)
    }

    @Test func passingChecksAnnotateNothing() {
        let report = handBuiltReport()
        let check = ScenarioCheck(
            scenario: "line", file: "s.yaml", assertions: [],
            regressions: report.verdicts.filter { $0.verdict == .pass },
            seconds: 1)
        #expect(GitHubAnnotations.lines([check]).isEmpty)
    }
}
