import Testing
import TaktExperiment
import TaktScenario

@Suite("The line OEE of a run follows its output")
struct OutputOEETests {
    /// A press with a constant 30 s cycle, a product whose ideal rate is one per 20 s and a
    /// 12-hour shift a day: the line turns out one unit per 30 s of planned time, so output
    /// OEE is 20/30 whatever share of the day the plant stands still.
    static let yaml = """
        name: output-oee
        horizon: 4d
        warmup: 1d
        replications: 2
        stations:
          - id: press
            cycle: 30s
            calendar: day-shift
        products:
          - id: part
            route: [press]
            ideal_cycle: 20s
        sources:
          - { product: part, supply: unlimited }
        calendars:
          - name: day-shift
            shifts:
              - { start: "06:00", length: 12h }
        """

    @Test("line OEE is good units at the ideal rate over planned busy time, planned stops left out")
    func outputOEE() async throws {
        let scenario = try ScenarioReader.parse(yaml: Self.yaml, file: "t.yaml")
        let results = try await Experiment.run(scenario)
        let output = try #require(results.kpi("oee"))
        // Deterministic apart from the shift edges: each of the three shifts in the window can
        // gain or lose at most one unit (30 s) at its start and end, against 3 × 12 h planned.
        let edges = 6 * 30.0 / (3 * 12 * 3_600)
        #expect(abs(output.mean - 2.0 / 3) <= edges, "\(output.mean)")
        // Counting the night as production time would halve it.
        #expect(abs(output.mean - 1.0 / 3) > 0.3)
    }
}
