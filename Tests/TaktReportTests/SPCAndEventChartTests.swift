import Foundation
import Testing
import TaktExperiment
import TaktReport
import TaktScenario

/// The report's SPC charts and MES decision timeline, on the flagship (three days, three
/// replications): what a trainer points at.
@Suite("SPC charts and MES decisions in the report")
struct SPCAndEventChartTests {
    @Test("the X̄ chart covers the observation window with its R chart below, and a long run is drawn by column")
    func xBarChartCoversTheWindow() async throws {
        let results = try await shortRun("smt-router-line")
        let trace = try #require(results.trace)
        let print = try #require(trace.spc.first { $0.station == "print" })
        #expect(print.windowStart == 86_400 && print.windowEnd == 3 * 86_400)
        #expect(print.times.allSatisfy { $0 >= print.windowStart && $0 <= print.windowEnd })
        #expect(print.dispersion?.statistic == "R")
        #expect(print.dispersion?.values.count == print.times.count)
        let svg = SPCChartView.svg(print)
        #expect(XHTMLDocument(svg).isWellFormed)
        #expect(svg.contains(">24 h<") && svg.contains(">72 h<"))
        #expect(svg.contains(">R<") && svg.contains(">X̄<"))
        // Past 300 points: one bar per pixel column (a path of M…V… segments) and a mean line.
        #expect(print.times.count > SPCChartView.densityLimit)
        #expect(svg.contains("stroke-opacity=\"0.35\""))
    }

    @Test("the AOI's p chart per hour has limits that vary with the boards inspected, drawn stepped")
    func pChartWithVaryingLimits() async throws {
        let results = try await shortRun("smt-router-line")
        let aoi = try #require(results.trace?.spc.first { $0.station == "aoi" })
        #expect(aoi.isAttribute && aoi.statistic == "p" && aoi.dispersion == nil)
        #expect(aoi.upperLimits.count == aoi.times.count && Set(aoi.upperLimits).count > 1)
        let svg = SPCChartView.svg(aoi)
        #expect(svg.contains("UCL (varies)"))
        #expect(XHTMLDocument(svg).isWellFormed)
    }

    @Test("the MES decisions of the timeline window are listed and drawn, without dispatching or releases")
    func mesDecisionTimeline() async throws {
        let results = try await shortRun("smt-router-line")
        let trace = try #require(results.trace)
        #expect(!trace.events.isEmpty)
        #expect(trace.events.allSatisfy { $0.time >= trace.timelineStart && $0.time <= trace.timelineEnd })
        #expect(trace.events.allSatisfy { $0.action != "dispatch" && $0.action != "release" })
        #expect(trace.events.contains { $0.actor == "spc" && $0.action == "spc-signal" })
        let svg = MESEventChart.svg(trace)
        #expect(XHTMLDocument(svg).isWellFormed)
        let spcSignals = trace.events.filter { $0.actor == "spc" }.count
        #expect(svg.contains(">SPC (\(spcSignals))<"))
        let html = RunReport.html(results, tool: "takt test")
        #expect(html.contains("<h3>MES decisions</h3>"))
        #expect(html.contains("<td>spc-signal</td>"))
    }

    @Test("a time beyond the hours an integer holds is labelled in the chart, not trapped on")
    func hugeTimeIsLabelled() async throws {
        // `takt report` refuses such a file first (ResultsConsistency); the chart must not trap regardless.
        var trace = try #require(try await shortRun("smt-router-line").trace)
        trace.events[0].time = 1e300
        let svg = MESEventChart.svg(trace)
        #expect(XHTMLDocument(svg).isWellFormed)
        #expect(svg.contains("2.777777777777778e+296 h"))
    }

    @Test("tracing for the report changes no result: the KPIs equal an untraced run's")
    func tracingChangesNothing() async throws {
        let traced = try await shortRun("smt-router-line")
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["replications=3", "horizon=3d"])
        let plain = try await Experiment.run(scenario)
        #expect(traced.kpis.map { $0.values.map(\.bitPattern) } == plain.kpis.map { $0.values.map(\.bitPattern) })
    }
}
