import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktScenario

/// One placement machine, 1 min per board, drawing one chip per board from lots of 10; three
/// orders of 15 boards released at once and taken first in, first out. Board k starts (and
/// draws its chip) at k − 1 min and ships at k min: lot n goes to boards 10n − 9 … 10n.
let traceScenario = """
    name: trace
    horizon: 3h
    replications: 1
    materials:
      - { id: chip, lot_size: 10 }
    stations:
      - { id: place, cycle: const(1m) }
    products:
      - { id: board, route: [place], bom: [{ material: chip, qty: 1, at: place }] }
    mes:
      orders: { book: orders.csv }
      release: push
      dispatch: fifo
      traceability:
        granularity: serial
        window: 7m
        recall: [{ material: chip, lot: 3, at: 1470s, investigation: 1h }]
    """

func runTrace(_ yaml: String) throws -> MES<FIFORule> {
    let scenario = try scenarioWithBook(yaml, book: "product,quantity,due\nboard,15,3h\nboard,15,3h\nboard,15,3h\n")
    let mes = try MES(
        layout: scenario.layout, settings: try #require(scenario.mes?.settings), rule: FIFORule(),
        idealCycle: scenario.idealCycles, seed: scenario.seed, replication: 0)
    var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
    simulation.run(until: scenario.horizon)
    return simulation.model.controller
}

@Suite("Traceability: genealogy, recall scope, holds")
struct TraceabilityTests {
    @Test("the recall scope of a bad lot under each granularity matches the hand count")
    func recallScope() throws {
        // Lot 3 is found bad at 24.5 min. Boards 21–25 drew from it (25 at 24 min); 21–24 shipped.
        // - serial: boards 21–25 (5), of which 4 shipped;
        // - lot (work order): those boards belong to order 1 (boards 16–30): 15, 9 shipped;
        // - window of 7 min: lot 3 was loaded at 20 min, in the window from 14 min, and is
        //   still in use at 24.5 min, so boards drawing chips from 14 to 24.5 min: 15–25 (11),
        //   10 shipped.
        let mes = try runTrace(traceScenario)
        let scopes = try #require(mes.recallScopes.first)
        #expect(scopes.map(\.granularity) == ["serial", "lot", "window"])
        #expect(scopes.map(\.recalled) == [5, 15, 11])
        #expect(scopes.map(\.shipped) == [4, 9, 10])
        #expect(scopes.allSatisfy { $0.affected == 5 })
    }

    @Test("the held board that drew the bad lot is scrapped after the investigation and never ships")
    func holdAndDisposition() throws {
        let mes = try runTrace(traceScenario)
        let genealogy = try #require(mes.genealogy)
        // Serial granularity holds only board 25, the one in process that drew from lot 3.
        #expect(mes.recallHeld == [[25]])
        #expect(mes.recallScrapped == [1])
        #expect(genealogy.shippedAt[24] == .infinity)
        #expect(genealogy.scrappedAt[24] == 1_470 + 3_600)
        // The quarantine switched boards 26 on to lot 4.
        #expect(genealogy.lots(ofSerial: 26).map(\.lot) == [4])
        #expect(genealogy.units(ofMaterial: 0, lot: 3) == [21, 22, 23, 24, 25])
    }

    @Test(
        "with work-order granularity every board of the order still in the plant is held; only affected ones are scrapped"
    )
    func workOrderHolds() throws {
        let mes = try runTrace(traceScenario.replacingOccurrences(of: "granularity: serial", with: "granularity: lot"))
        let genealogy = try #require(mes.genealogy)
        // Order 1's boards in the plant at 24.5 min: 25 (in process) and 26–30 (waiting).
        #expect(mes.recallHeld == [[25, 26, 27, 28, 29, 30]])
        #expect(mes.recallScrapped == [1])
        // Released after the investigation, 26–30 ship; none of them shipped while held.
        for serial in 26...30 {
            #expect(genealogy.shippedAt[serial - 1] > 1_470 + 3_600)
            #expect(genealogy.shippedAt[serial - 1].isFinite)
        }
    }

    @Test("every consumed lot appears exactly once in each unit's genealogy")
    func lotsOnce() throws {
        // Two chips per board from lots of 3: boards straddle lots.
        let yaml = traceScenario.replacingOccurrences(of: "lot_size: 10", with: "lot_size: 3")
            .replacingOccurrences(of: "qty: 1", with: "qty: 2")
            .replacingOccurrences(
                of: "recall: [{ material: chip, lot: 3, at: 1470s, investigation: 1h }]", with: "recall: []")
        let genealogy = try #require(try runTrace(yaml).genealogy)
        for serial in 1...45 {
            let draws = genealogy.lots(ofSerial: serial)
            #expect(Set(draws.map(\.lot)).count == draws.count, "board \(serial) lists a lot twice")
            #expect(draws.reduce(0) { $0 + $1.quantity } == 2)
        }
        // Board 2 takes the last chip of lot 1 and the first of lot 2.
        #expect(genealogy.lots(ofSerial: 2).map(\.lot) == [1, 2])
    }

    @Test("the run reports the recall scope as KPIs")
    func kpis() async throws {
        let scenario = try scenarioWithBook(
            traceScenario, book: "product,quantity,due\nboard,15,3h\nboard,15,3h\nboard,15,3h\n")
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("recall_units[serial]")?.mean == 5)
        #expect(results.kpi("recall_units[lot]")?.mean == 15)
        #expect(results.kpi("recall_units[window]")?.mean == 11)
        #expect(results.kpi("recall_shipped[window]")?.mean == 10)
        #expect(results.kpi("recall_affected")?.mean == 5)
        #expect(results.kpi("recall_scrapped")?.mean == 1)
    }

    @Test(
        "traceability errors name the key and suggest the nearest",
        arguments: [
            ("granularity: serial", "granularity: serail", "unknown granularity `serail`", "(did you mean `serial`?)"),
            ("material: chip, lot", "material: chp, lot", "unknown material `chp`", "(did you mean `chip`?)"),
            ("at: 1470s", "at: 1470", "a duration needs a unit", "(did you mean `1470s`?)"),
        ])
    func errors(_ row: (from: String, to: String, message: String, suggestion: String)) {
        let generated = traceScenario.replacingOccurrences(
            of: "orders: { book: orders.csv }",
            with: "orders: { generate: { every: const(1h), quantity: const(15), due_in: 3h, product: board } }")
        let found = problems(generated.replacingOccurrences(of: row.from, with: row.to))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains(row.message) == true, "\(found)")
        #expect(found.first?.hasSuffix(row.suggestion) == true, "\(found)")
    }
}
