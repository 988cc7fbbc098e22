import Foundation
import Testing
import TaktExperiment
import TaktMES
import TaktScenario

/// The trace line of ``traceScenario`` without its configured recall: boards 1–45 on one
/// machine, 1 min each, board k drawing its chip at k − 1 min and shipping at k min; lot n
/// (10 chips) is meant for boards 10n − 9 … 10n. `extra` goes into `mes:`, `top` at the top.
func lotRuleScenario(_ extra: String, top: String = "") throws -> Scenario {
    let yaml =
        traceScenario
        .replacingOccurrences(of: "    recall: [{ material: chip, lot: 3, at: 1470s, investigation: 1h }]", with: "")
        + "\n" + extra + "\n" + top
    return try scenarioWithBook(yaml, book: "product,quantity,due\nboard,15,3h\nboard,15,3h\nboard,15,3h\n")
}

/// One printer, 1 min per board, one order of one board every minute (the first at 1 min), and
/// a solder-paste height that drifts 60 µm per operating hour with no noise: the k-th board
/// since the last adjustment measures exactly 100 + k µm. Board n leaves the printer at
/// n + 1 min; `s2` (10 s) comes after it so a held board is still in the plant.
func driftScenario(_ rules: String) throws -> Scenario {
    try ScenarioReader.parse(
        yaml: """
            name: drift
            horizon: 10h
            replications: 1
            products: [{ id: board, route: [print, s2] }]
            stations:
              - id: print
                cycle: const(1m)
                measures: { name: paste, unit: um, nominal: 100um, sd: 0um, drift_per_hour: 60um }
              - { id: s2, cycle: const(10s) }
            mes:
              orders: { generate: { every: const(1m), quantity: 1, due_in: 1h, product: board } }
              rules:
            \(rules)
            """, file: "drift.yaml")
}

@Suite struct RuleActionsOnLotsUnitsAndProcesses {
    @Test func holdLotQuarantinesTheOpenLotAndTheNextBoardTakesTheNextLot() throws {
        // The 15th board leaves the machine at 15 min and the rule fires. Boards 11–15 drew
        // from lot 2. The plant carries out the MES's commands when the machine is freed,
        // before it takes board 16, so lot 2 is quarantined with five chips left and boards
        // 16–25 draw from lot 3.
        let scenario = try lotRuleScenario(
            """
              rules:
                - { name: suspect, when: "place.units(last: 1h) >= 15", then: hold lot chip }
            """)
        var mes = try auditedMES(scenario)
        let genealogy = try #require(mes.genealogy)
        #expect(genealogy.units(ofMaterial: 0, lot: 2) == [11, 12, 13, 14, 15])
        #expect(genealogy.lots(ofSerial: 16).map(\.lot) == [3])
        #expect(genealogy.units(ofMaterial: 0, lot: 3) == Array(16...25))
        let quarantined = mes.drainAudit().filter { $0.action == "quarantine-lot" }
        #expect(quarantined.map(\.time) == [900])
        #expect(quarantined.map(\.subject) == ["lot chip/2"])
    }

    @Test func holdLotWithANumberSkipsThatLotWhenItIsReached() throws {
        // Lot 5 (meant for boards 41–45) is quarantined at 15 min, long before it is opened:
        // when lot 4 runs out, boards 41–45 draw from lot 6 instead.
        let scenario = try lotRuleScenario(
            """
              rules:
                - { name: suspect, when: "place.units(last: 1h) >= 15", then: hold lot chip/5 }
            """)
        let genealogy = try #require(try auditedMES(scenario).genealogy)
        #expect(genealogy.units(ofMaterial: 0, lot: 5).isEmpty)
        #expect(genealogy.units(ofMaterial: 0, lot: 6) == [41, 42, 43, 44, 45])
    }

    @Test func releaseLotLiftsTheQuarantineBeforeTheLotsTurnComes() throws {
        // Lot 5 is quarantined at 15 min and released again when the 30th board leaves, at
        // 30 min, before lot 4 runs out (at 40 min): boards 41–45 draw from lot 5 after all.
        let scenario = try lotRuleScenario(
            """
              rules:
                - { name: suspect, when: "place.units(last: 1h) >= 15", then: hold lot chip/5 }
                - { name: cleared, when: "place.units(last: 1h) >= 30", then: release lot chip/5 }
            """)
        var mes = try auditedMES(scenario)
        #expect(try #require(mes.genealogy).units(ofMaterial: 0, lot: 5) == [41, 42, 43, 44, 45])
        #expect(mes.drainAudit().filter { $0.action == "release-lot" }.map(\.time) == [1_800])
    }

    @Test func incidentsHoldAndReleaseAUnitByItsSerialNumber() throws {
        // Board 30 waits in the buffer at 10 min (boards start at k − 1 min). Held then, it
        // misses its turn at 29 min; released at 50 min it goes back to the buffer behind
        // nobody (board 45 started at 44 min and left at 45), starts at once and ships at
        // 51 min.
        let scenario = try lotRuleScenario(
            "",
            top: "incidents: [{ at: 10m, do: hold unit 30 }, { at: 50m, do: release unit 30 }]")
        var mes = try auditedMES(scenario)
        let genealogy = try #require(mes.genealogy)
        #expect(genealogy.shippedAt[29] == 51 * 60)
        #expect(mes.drainAudit().filter { $0.subject == "unit 30" }.map(\.action) == ["hold-unit", "release-unit"])
    }

    @Test func aMarkLotBadIncidentGivesTheSameRecallAsTheTraceabilitySetting() throws {
        // The incident is the configured recall of ``traceScenario`` (lot 3 at 24.5 min)
        // written as a scripted incident: the same hand-counted scope, 5 / 15 / 11 units, and
        // the same held board 25.
        let scenario = try lotRuleScenario("", top: "incidents: [{ at: 1470s, do: mark lot chip/3 bad }]")
        let mes = try auditedMES(scenario)
        let scopes = try #require(mes.recallScopes.first)
        #expect(scopes.map(\.recalled) == [5, 15, 11])
        #expect(scopes.map(\.shipped) == [4, 9, 10])
        #expect(mes.recallHeld == [[25]])
        #expect(try #require(mes.genealogy).lots(ofSerial: 26).map(\.lot) == [4])
    }

    @Test func adjustResetsTheDriftEachTimeTheRuleFires() throws {
        // Boards measure 101, 102, … µm; the 5th (105 µm > 104.5) fires the rule, the
        // adjustment resets the drift and the 6th measures 101 again. Board 5n leaves the
        // printer at 5n + 1 min: adjustments at 6, 11, 16, … min, 119 of them in 10 h
        // (board 595 at 596 min; board 600 would be at 601 min).
        let scenario = try driftScenario(
            """
                  - { name: drift, when: "print.measurement > 104.5", then: adjust print }
            """)
        var mes = try auditedMES(scenario)
        let adjusted = mes.drainAudit().filter { $0.action == "adjust" }.map(\.time)
        #expect(adjusted.count == 119)
        #expect(adjusted.prefix(3) == [360, 660, 960])
        #expect(abs((adjusted.last ?? 0) - 596 * 60) < 1e-6)
    }

    @Test func holdUnitTakesTheBoardOfTheFiringEventOffTheLineAndItNeverShips() async throws {
        // The same rule also holds the board it measured: boards 5, 10, …, 595 are held (119),
        // and none of them ships.
        let rules = """
                  - { name: drift, when: "print.measurement > 104.5", then: [hold unit, adjust print] }
            """
        var mes = try auditedMES(try driftScenario(rules))
        let held = mes.drainAudit().filter { $0.action == "hold-unit" }.map(\.subject)
        #expect(held.count == 119)
        #expect(held.prefix(2) == ["unit 5", "unit 10"])

        let plain = try await Experiment.run(
            try driftScenario(
                """
                      - { name: drift, when: "print.measurement > 104.5", then: adjust print }
                """))
        let holding = try await Experiment.run(try driftScenario(rules))
        let shipped = try #require(plain.kpi("shipped")?.mean) - (try #require(holding.kpi("shipped")?.mean))
        #expect(shipped == 119)
        #expect(holding.kpi("shipped_with_open_hold")?.mean == 0)
    }

    @Test func releaseUnitsLetsEveryUnitTheRulesHeldGoOn() async throws {
        // As above, but a second rule releases the held boards when the printer finishes its
        // 100th board (at 101 min). The plant reports the finished operation before the
        // board's measurement, so the release comes first: the 19 boards held by then (5, 10,
        // …, 95) go on to s2 and ship. Board 100 is held a moment later and, like every board
        // held after it, stays held.
        let holding = """
                  - { name: drift, when: "print.measurement > 104.5", then: [hold unit, adjust print] }
            """
        let releasing =
            holding + """

                      - { name: reviewed, when: "print.units(last: 10h) >= 100", then: release units }
                """
        let kept = try await Experiment.run(try driftScenario(holding))
        let released = try await Experiment.run(try driftScenario(releasing))
        let difference = try #require(released.kpi("shipped")?.mean) - (try #require(kept.kpi("shipped")?.mean))
        #expect(difference == 19)
        #expect(released.kpi("shipped_with_open_hold")?.mean == 0)
    }
}
