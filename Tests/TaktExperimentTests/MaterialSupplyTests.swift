import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktPlant
import TaktScenario

/// One 1-minute machine with unlimited work, drawing one chip a unit from lots of 10; the line
/// holds `lots` lots and a used-up lot is replaced 30 minutes later.
private func kanbanLine(lots: Int, horizon: String = "3895m") -> String {
    """
    name: kanban
    horizon: \(horizon)
    replications: 2
    materials:
      - { id: chip, lot_size: 10, supply: { lots: \(lots), lead_time: 30m } }
    stations:
      - { id: place, cycle: const(1m) }
    products:
      - { id: p, route: [place], bom: [{ material: chip, qty: 1, at: place }] }
    sources:
      - { product: p, supply: unlimited }
    """
}

private func kpi(_ results: ExperimentResults, _ name: String) throws -> [Double] {
    guard let kpi = results.kpi(name) else { throw MissingKPI(name: name) }
    return kpi.values
}

private struct MissingKPI: Error { let name: String }

@Suite("Finite material supply")
struct MaterialSupplyTests {
    @Test("two lots of 10 and a 30 min lead time: 20 units every 39 minutes, the rest waiting for material")
    func twoBinLoopStarvesTheStation() async throws {
        // Lot 1 serves 0–9 min and is reordered at 9 (back at 39); lot 2 serves 10–19, back
        // at 49; the station waits 20–39. From 39 the same again: a period of 39 min with 20
        // units. In 3895 min: 100 periods' units (2000), waits of 99 × 19 + 14 = 1895 min,
        // deliveries at 39k and 39k + 10 for k = 1…99.
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: kanbanLine(lots: 2), file: "t.yaml"))
        #expect(try kpi(results, "shipped") == [2_000, 2_000])
        for value in try kpi(results, "loss_waiting_for_material[place]") {
            #expect(abs(value - 1_895.0 / 3_895) < 1e-9)
        }
        for value in try kpi(results, "availability[place]") { #expect(abs(value - 2_000.0 / 3_895) < 1e-9) }
        #expect(try kpi(results, "lots_delivered[chip]") == [198, 198])
        #expect(try kpi(results, "loss_starved[place]").allSatisfy { $0 == 0 })
    }

    @Test("four lots cover the lead time (30 pieces in reserve for 30 min): the station never waits")
    func enoughLotsNeverStarve() async throws {
        // A unit a minute from time 0; the one finishing at the horizon itself is not counted.
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: kanbanLine(lots: 4), file: "t.yaml"))
        #expect(try kpi(results, "shipped") == [3_894, 3_894])
        #expect(try kpi(results, "loss_waiting_for_material[place]").allSatisfy { $0 == 0 })
    }

    @Test("without `supply` a material never runs out, and no lots_delivered KPI is reported")
    func unlimitedByDefault() async throws {
        let yaml = kanbanLine(lots: 2).replacingOccurrences(of: ", supply: { lots: 2, lead_time: 30m }", with: "")
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: yaml, file: "t.yaml"))
        #expect(try kpi(results, "shipped") == [3_894, 3_894])
        #expect(results.kpi("lots_delivered[chip]") == nil)
    }

    @Test("waiting for material is ADET with its own loss, and the elements still add up to the calendar")
    func waitingForMaterialIsADelay() async throws {
        #expect(TimeElement.waitingForMaterial.isoElement == .actualUnitDelayTime)
        #expect(TimeElement.waitingForMaterial.key == "waiting_for_material")
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: kanbanLine(lots: 2), file: "t.yaml"))
        let production = try kpi(results, "availability[place]")
        let waiting = try kpi(results, "loss_waiting_for_material[place]")
        for (a, w) in zip(production, waiting) { #expect(abs(a + w - 1) < 1e-9) }
    }

    @Test(
        "supply errors are located and say what fits",
        arguments: [
            (
                "supply: { lots: 2, lead_time: 30m }", "supply: { lots: 0, lead_time: 30m }",
                "a number of lots at the line"
            ),
            ("supply: { lots: 2, lead_time: 30m }", "supply: { lots: 2, lead_time: 30 }", "lead_time"),
            ("supply: { lots: 2, lead_time: 30m }", "supply: { lots: 2 }", "missing required key `lead_time`"),
            ("supply: { lots: 2, lead_time: 30m }", "supply: { lots: 2, lead: 30m }", "unknown key `lead`"),
        ])
    func supplyErrors(_ row: (from: String, to: String, message: String)) {
        let found = scenarioProblems(kanbanLine(lots: 2).replacingOccurrences(of: row.from, with: row.to))
        #expect(!found.isEmpty && found.allSatisfy { $0.hasPrefix("t.yaml:") }, "\(found)")
        #expect(found.contains { $0.contains(row.message) && $0.contains("materials[0].supply") }, "\(found)")
    }
}

@Suite("Finite material supply under the MES")
struct MaterialSupplyMESTests {
    /// The two-lot line fed by MES orders (one every 30 s, so work always waits after the first).
    static let yaml = """
        name: kanban-mes
        horizon: 3895m
        replications: 2
        materials:
          - { id: chip, lot_size: 10, supply: { lots: 2, lead_time: 30m } }
        stations:
          - { id: place, cycle: const(1m) }
        products:
          - { id: p, route: [place], bom: [{ material: chip, qty: 1, at: place }] }
        mes:
          orders: { generate: { every: const(30s), quantity: 1, due_in: 1d, product: p } }
        """

    @Test("the MES's dispatching waits for material too: 20 units every 39 minutes, as without it")
    func dispatchingWaitsForMaterial() async throws {
        // The first order at 30 s shifts every period by half a minute; 100 periods still fit.
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: Self.yaml, file: "t.yaml"))
        #expect(results.kpi("shipped")?.values == [2_000, 2_000])
        #expect(results.kpi("lots_delivered[chip]")?.values == [198, 198])
    }

    @Test("a shortage and the lot that ends it are audited as material events, and the report's trace shows them")
    func shortagesAreAudited() async throws {
        let scenario = try ScenarioReader.parse(yaml: Self.yaml, file: "t.yaml", overrides: ["horizon=100m"])
        let results = try await Experiment.run(scenario, trace: TraceSettings())
        let events = try #require(results.trace?.events).filter { $0.actor == "material" }
        // Short at 19.5 min (the last piece of lot 2 taken), a lot at 39.5 (restored), the
        // second lot at 49.5; short again at 48.5, restored at 49.5; short at 68.5 …
        let first = try #require(events.first)
        #expect(first.action == "material-shortage" && abs(first.time - 19.5 * 60) < 1e-6)
        #expect(first.reason.contains("chip ran out"))
        #expect(events.contains { $0.action == "lot-delivered" && abs($0.time - 39.5 * 60) < 1e-6 })
        #expect(events.contains { $0.action == "material-restored" && abs($0.time - 39.5 * 60) < 1e-6 })
    }
}

@Suite("Finite material supply and quarantine")
struct MaterialQuarantineTests {
    @Test("a quarantined open lot is reordered like a used-up one: two deliveries by 60 min instead of one")
    func quarantinedLotIsReordered() async throws {
        // Lot 1 is quarantined at 5 min with 5 pieces left and reordered (back at 35); lot 2
        // serves 5–14 and is back at 44. Without the reorder only the delivery at 44 comes.
        let yaml =
            MaterialSupplyMESTests.yaml.replacingOccurrences(of: "horizon: 3895m", with: "horizon: 60m")
            + "\nincidents:\n  - { at: 5m, do: mark lot chip/1 bad }\n"
        let results = try await Experiment.run(try ScenarioReader.parse(yaml: yaml, file: "t.yaml"))
        #expect(results.kpi("lots_delivered[chip]")?.values == [2, 2])
    }
}
