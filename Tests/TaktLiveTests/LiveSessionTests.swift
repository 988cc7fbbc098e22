import Foundation
import Testing
import TaktExperiment
import TaktLive
import TaktScenario

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The flagship, `overrides` applied.
func flagship(_ overrides: [String] = ["horizon=3d"]) throws -> Scenario {
    try ScenarioReader.load(path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: overrides)
}

/// A header for a session of `scenario` (what `takt serve` writes).
func header(_ scenario: Scenario) -> SessionLog.Header {
    SessionLog.Header(
        scenario: scenario.name, file: scenario.file, scenarioSHA256: "test", overrides: [], seed: scenario.seed,
        replication: 0, taktVersion: "test", started: "2026-12-07T00:00:00.000Z")
}

@Suite("A live session runs the replication a batch run runs")
struct LiveSessionRunTests {
    @Test("without commands, its results are the batch run's replication 0, however it was sliced")
    func sameAsBatch() async throws {
        let scenario = try flagship(["horizon=3d", "replications=1"])
        let batch = try await Experiment.run(scenario)
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        // Uneven slices, single events and a step across the warm-up.
        var time = 0.0
        var slices = 0
        while !session.isFinished {
            slices += 1
            if slices % 7 == 0 {
                for _ in 0..<25 { try session.stepEvent() }
            } else {
                time += Double(slices % 5) * 1_777.3 + 0.25
                try session.advance(to: time)
            }
        }
        let live = try #require(session.results)
        #expect(live.kpis.map(\.name) == batch.kpis.map(\.name))
        for (a, b) in zip(live.kpis, batch.kpis) { #expect(a.values == b.values, "\(a.name)") }
    }
}
