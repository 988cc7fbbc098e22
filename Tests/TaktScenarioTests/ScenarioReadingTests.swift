import Foundation
import Testing
import TaktExperiment
import TaktPlant
import TaktScenario

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("Reading scenarios")
struct ScenarioReadingTests {
    @Test("units and names are resolved when the scenario is built")
    func resolved() throws {
        let scenario = try ScenarioReader.parse(yaml: validScenario, file: "t.yaml")
        #expect(scenario.horizon == 8 * 3_600)
        #expect(scenario.warmup == 3_600)
        #expect(scenario.replications == 10)
        #expect(scenario.layout.stations.map(\.name) == ["cut", "weld"])
        #expect(scenario.layout.stations[1].inputCapacity == 3)
        #expect(scenario.layout.products[0].route.map(\.station) == [0, 1])
        #expect(abs(scenario.layout.stations[0].cycle.mean - 50) < 1e-12)
    }

    @Test("templates: a YAML anchor merged with << fills in keys the entry does not set")
    func templates() throws {
        let yaml = validScenario.replacingOccurrences(
            of: "stations:\n  - id: cut\n    cycle: exp(50s)",
            with:
                ".fast: &fast\n  cycle: exp(10s)\n  machines: 2\nstations:\n  - id: cut\n    <<: *fast\n    machines: 3"
        )
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml")
        #expect(abs(scenario.layout.stations[0].cycle.mean - 10) < 1e-12)
        #expect(scenario.layout.stations[0].machines == 3)
    }

    @Test("overrides set values by position or by id, and are checked like the file")
    func overrides() throws {
        let scenario = try ScenarioReader.parse(
            yaml: validScenario, file: "t.yaml",
            overrides: ["replications=3", "stations[weld].machines=2", "stations[0].cycle=const(40s)"])
        #expect(scenario.replications == 3)
        #expect(scenario.layout.stations[1].machines == 2)
        #expect(scenario.layout.stations[0].cycle.mean == 40)
        #expect(
            problems(validScenario, overrides: ["stations[wled].machines=2"]) == [
                "--set stations[wled].machines=2: stations: no item `wled` in `stations`; found cut, weld (did you mean `weld`?)"
            ])
        #expect(
            problems(validScenario, overrides: ["stations[1].machines=0"]).first?.contains("stations[1].machines")
                == true)
        #expect(
            problems(validScenario, overrides: ["replications"]) == [
                "--set replications: expected path=value, e.g. replications=5"
            ])
    }

    @Test(
        "every bundled scenario reads", arguments: ["first-line", "transfer-line", "smt-router-line", "ft06-job-shop"])
    func bundled(_ name: String) throws {
        let scenario = try ScenarioReader.load(path: "\(repositoryRoot)/scenarios/\(name).yaml")
        #expect(scenario.name == name)
    }

    @Test("results are identical with one thread and with all cores")
    func threadCount() async throws {
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["replications=6", "horizon=3d"])
        let one = try await Experiment.run(scenario, parallelism: 1)
        let many = try await Experiment.run(scenario, parallelism: 4)
        #expect(one == many)
    }

    @Test("no dispatching beats the optimal ft06 makespan of 55 (Fisher & Thompson 1963)")
    func ft06LowerBound() async throws {
        let scenario = try ScenarioReader.load(path: "\(repositoryRoot)/scenarios/ft06-job-shop.yaml")
        let results = try await Experiment.run(scenario)
        let makespan = try #require(results.kpi("makespan"))
        #expect(makespan.mean >= 55)
        #expect(results.kpi("shipped")?.mean == 6)
    }

    @Test("planned stops are exactly the calendar's 9.5 of 24 hours in every replication, the warm-up ending mid-stop")
    func plannedStopsExact() async throws {
        // The flagship's warm-up ends at midnight, inside the night's stop; a station that
        // cannot fail (aoi) must spend exactly 9.5/24 of the 13 observed days in planned stop.
        // This caught a kernel bug: run(until:) could run an event beyond its end when a
        // cancelled entry came first, so the clock ran backwards.
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["replications=4"])
        let results = try await Experiment.run(scenario)
        let share = try #require(results.kpi("planned_stop[aoi]"))
        #expect(share.values.allSatisfy { abs($0 - 9.5 / 24) < 1e-12 }, "\(share.values)")
    }
}
