import Foundation
import Testing
import TaktExperiment
import TaktScenario

/// Stored KPI means of a bundled scenario at its fixed seed.
struct Golden: Decodable {
    var scenario: String
    var seed: UInt64
    var replications: Int
    /// KPI means; `null` for a KPI no replication defines.
    var kpis: [String: Double?]
}

@Suite("Golden runs of the bundled scenarios")
struct GoldenTests {
    @Test(
        "a fixed seed gives the stored KPI values (regenerate deliberately with scripts/update-golden)",
        arguments: ["first-line", "transfer-line", "smt-router-line", "ft06-job-shop"])
    func golden(_ name: String) async throws {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: "\(repositoryRoot)/Tests/TaktScenarioTests/Golden/\(name).json"))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        let scenario = try ScenarioReader.load(path: "\(repositoryRoot)/scenarios/\(name).yaml")
        #expect(scenario.seed == golden.seed && scenario.replications == golden.replications)
        let results = try await Experiment.run(scenario)
        #expect(results.kpis.count == golden.kpis.count)
        for kpi in results.kpis {
            let entry = try #require(golden.kpis[kpi.name], "no golden value for \(kpi.name)")
            guard let stored = entry else {
                #expect(!kpi.isDefined, "\(kpi.name): \(kpi.mean) vs golden undefined")
                continue
            }
            // JSON keeps 15–17 significant digits; anything beyond rounding is a real change.
            #expect(
                abs(kpi.mean - stored) <= 1e-9 * max(1, abs(stored)), "\(kpi.name): \(kpi.mean) vs golden \(stored)")
        }
    }
}
