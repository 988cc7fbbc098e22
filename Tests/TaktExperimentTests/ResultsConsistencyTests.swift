import Foundation
import Testing
import TaktExperiment
import TaktScenario

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Results of a bundled scenario, 3 replications of a short horizon, with the report's trace.
func shortRun(_ name: String) async throws -> ExperimentResults {
    let shorter = ["smt-router-line": ["horizon=3d"], "transfer-line": ["horizon=2d"]][name] ?? []
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/\(name).yaml", overrides: ["replications=3"] + shorter)
    return try await Experiment.run(scenario, trace: TraceSettings())
}

@Suite("A damaged results file is refused before anything draws it")
struct DamagedResultsTests {
    @Test("results as written are consistent", arguments: ["first-line", "smt-router-line", "transfer-line"])
    func intactResults(_ name: String) async throws {
        let results = try await shortRun(name)
        #expect(results.consistencyProblem == nil)
    }

    @Test("a span or series reaching far beyond the horizon is refused (the charts would loop over it)")
    func beyondTheHorizon() async throws {
        var results = try await shortRun("first-line")
        results.trace!.workInProcess.step = 1e12
        #expect(results.consistencyProblem?.hasPrefix("trace.workInProcess:") == true)
    }

    @Test("a machine state out of range names its key path")
    func stateOutOfRange() async throws {
        var results = try await shortRun("first-line")
        results.trace!.timeline[1][0].state = 1_000_000_000_000
        #expect(results.consistencyProblem == "trace.timeline[1][0].state: 1000000000000")
    }

    @Test("a timeline with a row too many, a KPI with values missing and a coordinate at 1e308 are refused")
    func shapesAndRanges() async throws {
        let intact = try await shortRun("first-line")
        var extraRow = intact
        extraRow.trace!.timeline.append([])
        #expect(extraRow.consistencyProblem == "trace.timeline: 4 rows for 3 machines")
        var shortKPI = intact
        shortKPI.kpis[0].values.removeLast()
        #expect(shortKPI.consistencyProblem?.hasPrefix("kpis[0].values: 2 values for 3 replications") == true)
        var farSpan = intact
        farSpan.trace!.timeline[0][0].end = 1e308
        #expect(farSpan.consistencyProblem == "trace.timeline[0][0]: the span's times are out of order or range")
        var fewShares = intact
        fewShares.trace!.bottleneck.removeLast()
        #expect(fewShares.consistencyProblem == "trace.bottleneck: 2 shares for 3 stations")
        var farEnd = intact
        farEnd.trace!.timeline[0][0].end = 1e12
        #expect(farEnd.consistencyProblem == "trace.timeline[0][0]: the span's times are out of order or range")
    }

    @Test("an MES decision timed far outside the run is refused with its key path (the chart would label it)")
    func decisionOutsideTheRun() async throws {
        var results = try await shortRun("smt-router-line")
        try #require(results.trace!.events.count > 1)
        results.trace!.events[1].time = 1e300
        #expect(results.consistencyProblem == "trace.events[1].time: 1e+300 is not within the run (0 to the horizon)")
        results.trace!.events[1].time = -1e300
        #expect(results.consistencyProblem?.hasPrefix("trace.events[1].time:") == true)
    }

    @Test("a control chart whose window lies outside the run, or ends before it starts, is refused")
    func chartWindowOutsideTheRun() async throws {
        let intact = try await shortRun("smt-router-line")
        try #require(!intact.trace!.spc.isEmpty)
        let expected = "trace.spc[0].windowStart, windowEnd: not a window within the run (0 to the horizon)"
        var late = intact
        late.trace!.spc[0].windowStart = 9.3e18
        #expect(late.consistencyProblem == expected)
        var reversed = intact
        reversed.trace!.spc[0].windowEnd = reversed.trace!.spc[0].windowStart - 1
        #expect(reversed.consistencyProblem == expected)
        var wildLimit = intact
        wildLimit.trace!.spc[0].upperLimits.append(.infinity)
        #expect(wildLimit.consistencyProblem == "trace.spc[0]: a value is not finite or out of range")
    }
}
