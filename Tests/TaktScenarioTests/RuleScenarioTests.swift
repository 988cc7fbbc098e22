import Foundation
import Testing
import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

/// A two-station line: one order of one unit every minute (the first at 1 min), `s1` takes
/// 2 min, `s2` 30 s; `extra` is added to the `mes:` section, `top` at the top level.
func ruleScenario(_ extra: String, top: String = "", horizon: String = "10h", replications: Int = 1) throws
    -> Scenario
{
    try ScenarioReader.parse(
        yaml: """
            name: rule-line
            horizon: \(horizon)
            replications: \(replications)
            products:
              - { id: board, route: [s1, s2] }
            stations:
              - { id: s1, cycle: const(2m) }
              - { id: s2, cycle: const(30s) }
            mes:
              orders: { generate: { every: const(1m), quantity: 1, due_in: 1h, product: board } }
            \(extra)
            \(top)
            """, file: "rules.yaml")
}

/// Runs replication 0 under `rule` with the audit trail on; returns the MES after the horizon.
func auditedMES<Rule: DispatchRule>(_ scenario: Scenario, rule: Rule = FIFORule()) throws -> MES<Rule> {
    var settings = try #require(scenario.mes?.settings)
    settings.audits = true
    let mes = try MES(
        layout: scenario.layout, settings: settings, rule: rule, idealCycle: scenario.idealCycles, seed: scenario.seed,
        replication: 0)
    var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
    simulation.run(until: scenario.horizon)
    return simulation.model.controller
}

/// Runs replication 0 with the audit trail on and returns its entries.
func auditedRun(_ scenario: Scenario) throws -> [AuditEntry] {
    var mes = try auditedMES(scenario)
    return mes.drainAudit()
}

/// The first six lines of a one-station scenario with an MES, for error messages: what a
/// test adds starts at line 7.
let oneStationMES = """
    name: x
    horizon: 1h
    products: [{ id: board, route: [s1] }]
    stations: [{ id: s1, cycle: 1m }]
    mes:
      orders: { generate: { every: 1m, quantity: 1, due_in: 1h, product: board } }

    """

@Suite struct RulesInAScenario {
    @Test func aRuleFiresExactlyWhenItsConditionBecomesTrue() throws {
        // Unit n arrives at 60n s, leaves s1 at 120n + 60 s and ships at 120n + 90 s (s1 is the
        // bottleneck), so WIP is ⌊t/60⌋ − ⌊(t − 90)/120⌋: 5 at 480 s, 6 at 540 s (true), 5 when
        // the 4th unit ships at 570 s (false), 6 at 600 s (true again), and never below 6 after.
        let scenario = try ruleScenario(
            """
              rules:
                - { name: crowded, when: "wip(line) > 5", then: page supervisor }
            """)
        let fired = try auditedRun(scenario).filter { $0.action == "rule-fired" }
        #expect(fired.map(\.time) == [540, 600])
        #expect(fired.first?.actor == "rule crowded")
    }

    @Test func aRuleFiresAgainOnlyAfterItsConditionWasFalse() throws {
        // s2 finishes a unit every 2 min, at 120n + 90 s. The rules are evaluated only when s2
        // finishes a unit (the only event that changes their facts). `s2.units(last: 1m) >= 1`
        // is then always true (the unit just finished): it fires once, at the first, 210 s.
        // `s2.units(last: 3m) >= 2` is false at 210 s and true from 330 s on (210 and 330 in
        // the window): it fires once, at 330 s.
        let scenario = try ruleScenario(
            """
              rules:
                - { name: busy, when: "s2.units(last: 1m) >= 1", then: page planner }
                - { name: two, when: "s2.units(last: 3m) >= 2", then: page planner }
            """)
        let fired = try auditedRun(scenario).filter { $0.action == "rule-fired" }
        #expect(fired.filter { $0.actor == "rule busy" }.map(\.time) == [210])
        #expect(fired.filter { $0.actor == "rule two" }.map(\.time) == [330])
    }

    @Test func aHoldStationActionStopsTheStationForItsDuration() async throws {
        // The rule fires at 540 s (see above), as the 9th order arrives and before s1, which
        // finishes its unit at that instant, starts the next: s1 stands still from 540 s to
        // 540 s + 1 h. Firing again at 600 s renews nothing: the first release at 4 140 s
        // lets it work. 3 600 s of planned stop in 10 h.
        let scenario = try ruleScenario(
            """
              rules:
                - { name: crowded, when: "wip(line) > 5", then: hold station s1 for 1h }
            """)
        let results = try await Experiment.run(scenario)
        let share = try #require(results.kpi("planned_stop[s1]")?.mean)
        #expect(abs(share - 3_600.0 / 36_000) < 1e-9)
    }

    @Test func preventiveMaintenanceByUnitCount() async throws {
        // s2 gets unit n at 120n + 60 s… and counts 100 units by 12 030 s; every 100 units it
        // stops for 10 min (s2 catches up between). In 10 h s2 finishes 299 units: 2 work
        // orders, 1 200 s of planned stop.
        let scenario = try ruleScenario(
            """
              maintenance:
                - { station: s2, every: 100 units, duration: 10m }
            """)
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("maintenance_orders[s2]")?.values == [2])
        #expect(abs((results.kpi("planned_stop[s2]")?.mean ?? 0) - 1_200.0 / 36_000) < 1e-9)
    }

    @Test func preventiveMaintenanceByCalendarTime() async throws {
        // Every 3 h of calendar time, 15 min: at 3 h, 6 h and 9 h.
        let scenario = try ruleScenario(
            """
              maintenance:
                - { station: s1, every: 3h, duration: 15m }
            """)
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("maintenance_orders[s1]")?.values == [3])
    }

    @Test func maintenanceWaitsForATechnicianBusyWithARepair() throws {
        // One technician for both stations. s2 breaks down at 1 h (calendar time) and is
        // repaired from 1 h to 2 h. s1's maintenance is asked for at 1.5 h; s1 stops after its
        // unit, but the technician is busy until 2 h, so the 30 min of work end at 2.5 h
        // (9 000 s), not at about 2 h.
        let scenario = try ScenarioReader.parse(
            yaml: """
                name: shared-technician
                horizon: 2.9h
                replications: 1
                technicians: [{ pool: crew, size: 1 }]
                products: [{ id: board, route: [s1, s2] }]
                stations:
                  - { id: s1, cycle: const(1m), failures: { between: const(1000h), repair: const(1h), technicians: crew } }
                  - { id: s2, cycle: const(10s), failures: { between: const(1h), repair: const(1h), clock: calendar, technicians: crew } }
                mes:
                  orders: { generate: { every: const(1m), quantity: 1, due_in: 1h, product: board } }
                  maintenance: [{ station: s1, every: 90m, duration: 30m }]
                """, file: "t.yaml")
        let entries = try auditedRun(scenario)
        #expect(entries.filter { $0.action == "maintenance-requested" }.map(\.time) == [5_400])
        #expect(entries.filter { $0.action == "maintenance-done" }.map(\.time) == [9_000])
    }

    @Test func aScriptedFailureTakesTheStationDownForItsRepairTime() async throws {
        let scenario = try ruleScenario("", top: "incidents: [{ at: 2h, do: fail station s2 for 30m }]")
        let results = try await Experiment.run(scenario)
        #expect(abs((results.kpi("down[s2]")?.mean ?? 0) - 1_800.0 / 36_000) < 1e-9)
    }

    @Test func anUrgentOrderIncidentAddsAnOrder() async throws {
        let plain = try await Experiment.run(try ruleScenario(""))
        let more = try await Experiment.run(
            try ruleScenario("", top: "incidents: [{ at: 1h, do: add urgent order board x 20 due 4h }]"))
        #expect(more.orders.count == plain.orders.count + 1)
        #expect(more.orders.contains { $0.quantity == 20 })
    }

    @Test func aDispatchActionSwitchesTheRuleInForce() throws {
        let scenario = try ruleScenario(
            """
              rules:
                - { name: late, when: order.late, then: dispatch edd }
            """)
        let switched = try auditedRun(scenario).filter { $0.action == "dispatch-rule" }
        #expect(switched.first?.new == "edd")
    }

    @Test func conditionBasedMaintenanceFromARuleMatchesTheUnitCountPlan() async throws {
        // The rule reads the same count as a 100-unit plan: 2 work orders, 1 200 s stopped.
        let scenario = try ruleScenario(
            """
              rules:
                - { name: wear, when: "s2.units_since_maintenance >= 100", then: maintain s2 for 10m }
            """)
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("maintenance_orders[s2]")?.values == [2])
        #expect(abs((results.kpi("planned_stop[s2]")?.mean ?? 0) - 1_200.0 / 36_000) < 1e-9)
    }

    @Test func preventiveMaintenanceByOperatingTime() async throws {
        // s2 works 30 s per unit: 1 h of processing is 120 units, so in 10 h (299 units at s2)
        // two work orders.
        let scenario = try ruleScenario(
            """
              maintenance:
                - { station: s2, every: 1h operating, duration: 10m }
            """)
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("maintenance_orders[s2]")?.values == [2])
    }

    @Test func aSpeedIncidentStretchesProcessingTimes() async throws {
        // At half speed s2 takes 60 s instead of 30 s per unit: its busy share doubles.
        let normal = try await Experiment.run(try ruleScenario(""))
        let slow = try await Experiment.run(
            try ruleScenario("", top: "incidents: [{ at: 0h, do: set speed s2 = 50% }]"))
        let ratio = try #require(slow.kpi("busy[s2]")?.mean) / (try #require(normal.kpi("busy[s2]")?.mean))
        #expect(abs(ratio - 2) < 0.01)
    }

    @Test func aWIPCapIncidentCapsTheUnitsInThePlant() async throws {
        // Orders arrive every minute and s1 needs 2 min: without a cap WIP grows without bound.
        let scenario = try ruleScenario(
            "  release: { policy: conwip, wip_cap: 40 }", top: "incidents: [{ at: 0h, do: set wip_cap = 3 }]")
        let results = try await Experiment.run(scenario)
        #expect((results.kpi("work_in_process")?.mean ?? 99) <= 3)
    }

    @Test func aMachineFailedByAnIncidentIsDownUntilItsRepairOrARepairCommand() async throws {
        // s1 is always busy (a unit a minute, 2 min each). Failed at 2 h for 1 h, it is down
        // 1 h of the 10 h; repaired by command at 2 h 30 min, 30 min of them.
        let failed = try await Experiment.run(
            try ruleScenario("", top: "incidents: [{ at: 2h, do: fail machine s1-1 for 1h }]"))
        #expect(abs(try #require(failed.kpi("down[s1]")?.mean) - 0.1) < 1e-9)
        let repaired = try await Experiment.run(
            try ruleScenario(
                "",
                top: """
                    incidents:
                      - { at: 2h, do: fail machine s1-1 for 1h }
                      - { at: 150m, do: repair machine s1-1 }
                    """))
        #expect(abs(try #require(repaired.kpi("down[s1]")?.mean) - 0.05) < 1e-9)
    }

    @Test func anUnknownMachineIsNamedWithTheNearestOne() {
        #expect(throws: ScenarioErrors.self) {
            try ruleScenario("", top: "incidents: [{ at: 2h, do: fail machine s3-1 for 1h }]")
        }
        do {
            _ = try ruleScenario("", top: "incidents: [{ at: 2h, do: repair machine s1-2 }]")
            Issue.record("an unknown machine was accepted")
        } catch {
            #expect("\(error)".contains("unknown machine `s1-2`"))
            #expect("\(error)".contains("did you mean `s1-1`?"))
        }
    }

    @Test func aReleasePolicyIncidentSwitchesPushToCONWIP() async throws {
        // Push lets WIP grow by half a unit a minute; CONWIP 3 from the start caps it.
        let scenario = try ruleScenario("", top: "incidents: [{ at: 0h, do: set release conwip 3 }]")
        let results = try await Experiment.run(scenario)
        #expect((results.kpi("work_in_process")?.mean ?? 99) <= 3)
        let mes = try auditedMES(scenario)
        #expect(
            mes.core.pendingAudit.contains {
                $0.action == "set-release" && $0.old == "push" && $0.new == "conwip(cap: 3)"
            })
    }

    @Test func aRuleOnAControlChartSignalFiresAtEverySignal() async throws {
        let scenario = try ScenarioReader.parse(
            yaml: """
                name: spc-rule
                horizon: 2d
                replications: 2
                products: [{ id: board, route: [print] }]
                stations:
                  - id: print
                    cycle: const(1m)
                    measures: { name: t, unit: um, nominal: 100um, sd: 1um, drift_per_hour: 1um, lsl: 90um, usl: 110um }
                mes:
                  orders: { generate: { every: const(1m), quantity: 1, due_in: 1h, product: board } }
                  spc: [{ station: print, chart: individuals, baseline: 20, rules: western-electric, react: [adjust] }]
                  rules:
                    - { name: signal, when: spc.signal(print), then: page quality }
                """, file: "spc.yaml")
        let results = try await Experiment.run(scenario)
        let signals = try #require(results.kpi("spc_signals[print]")?.values)
        #expect(signals.allSatisfy { $0 > 1 })
        #expect(results.kpi("pages[quality]")?.values == signals)
    }

    @Test func assertionsCountPagesByRoleAndFiringsByRuleName() async throws {
        // The rule fires at 540 s and 600 s (see the first test): two firings, two pages, in
        // each of the two (identical, deterministic) replications.
        let scenario = try ruleScenario(
            """
              rules:
                - { name: too-crowded, when: "wip(line) > 5", then: page supervisor }
            """, top: #"assert: ["pages(supervisor) == 2", "rule_firings(too-crowded) == 2"]"#, replications: 2)
        let results = try await Experiment.run(scenario)
        #expect(scenario.assertions.map { Check.judge($0, results: results).verdict } == [.pass, .pass])
    }

    @Test func anAssertionOnARoleNoRulePagesIsABadScenario() {
        let yaml =
            oneStationMES + """
                  rules: [{ name: crowded, when: "wip(line) > 5", then: page supervisor }]
                assert: ["pages(supervisr) == 0", "rule_firings(crowdd) == 0"]
                """
        #expect(
            problems(yaml) == [
                """
                test.yaml:8:17: assert[0]: no rule or incident pages `supervisr` (did you mean `supervisor`?)
                    pages(supervisr) == 0
                          ^^^^^^^^^
                """,
                """
                test.yaml:8:49: assert[1]: unknown rule `crowdd` (did you mean `crowded`?)
                    rule_firings(crowdd) == 0
                                 ^^^^^^
                """,
            ])
    }

    @Test func ruleErrorsPointAtTheTokenWithACaret() {
        let yaml =
            oneStationMES + """
                  rules:
                    - when: "s11.fail_rate(last: 1h) > 0.02"
                      then: hold station s1
                """
        #expect(
            problems(yaml) == [
                """
                test.yaml:8:14: mes.rules[0].when: unknown station `s11` (did you mean `s1`?)
                    s11.fail_rate(last: 1h) > 0.02
                    ^^^^^^^^^^^^^^^^^^^^^^^
                """
            ])
    }

    @Test func releaseUnitWithoutASerialNumberAndHoldUnitInAnIncidentAreErrors() {
        let yaml =
            oneStationMES + """
                  rules:
                    - when: "wip(line) > 5"
                      then: [release unit]
                incidents: [{ at: 1h, do: hold unit }]
                """
        #expect(
            problems(yaml) == [
                """
                test.yaml:9:14: mes.rules[0].then[0]: `release unit` needs a unit's serial number, as in `release unit 120` (or `release units` for every unit put on hold)
                    release unit
                    ^^^^^^^^^^^^
                """,
                """
                test.yaml:10:27: incidents[0].do: an incident has no event's unit: name one, as in `hold unit 120`
                    hold unit
                    ^^^^^^^^^
                """,
            ])
    }

    @Test func anActionErrorPointsAtTheWord() {
        let yaml =
            oneStationMES + """
                  rules:
                    - when: "wip(line) > 5"
                      then: [hodl station s1]
                """
        #expect(
            problems(yaml) == [
                """
                test.yaml:9:14: mes.rules[0].then[0]: unknown action `hodl`; expected hold, release, abort, dispatch, maintain, adjust, page, set (did you mean `hold`?)
                    hodl station s1
                    ^^^^
                """
            ])
    }
}
