import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
import TaktExperiment
import TaktReport

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
}
