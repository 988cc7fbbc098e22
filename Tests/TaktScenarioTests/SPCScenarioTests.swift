import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktScenario

/// One station measuring every unit (nominal 100, sd 1, drifting 1 per operating hour,
/// specification 97…103), fed by orders, charted X̄–R(5) with the Western Electric rules.
let spcScenario = """
    name: spc
    horizon: 25h
    warmup: 1h
    replications: 6
    stations:
      - id: press
        cycle: const(60s)
        measures: { name: height, nominal: 100, sd: 1, drift_per_hour: 1, lsl: 97, usl: 103 }
    products:
      - { id: part, route: [press] }
    mes:
      orders:
        generate: { every: const(1h), quantity: const(60), due_in: 8h, product: part }
      spc:
        - { station: press, chart: xbar-r(5), baseline: 10, rules: western-electric, react: [adjust] }
    """

@Suite("SPC in the MES")
struct SPCScenarioTests {
    func run(_ yaml: String, _ overrides: [String] = []) async throws -> ExperimentResults {
        try await Experiment.run(ScenarioReader.parse(yaml: yaml, file: "spc.yaml", overrides: overrides))
    }

    @Test("adjusting on a signal keeps a drifting process in specification; notifying alone does not")
    func adjustCorrectsDrift() async throws {
        // Without adjustment the mean leaves 97…103 after 3 h and keeps going: over the
        // 24 h window most units are out of specification. With adjustment on each signal the
        // drift is reset long before it nears a limit (a subgroup mean drifts 0.08 per
        // subgroup; 3σ of X̄ is 1.34): almost none are.
        let adjusted = try await run(spcScenario)
        let notified = try await run(spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [notify]"))
        let withAdjustment = try #require(adjusted.kpi("out_of_spec[press]"))
        let withoutAdjustment = try #require(notified.kpi("out_of_spec[press]"))
        #expect(withAdjustment.mean < 0.02)
        #expect(withoutAdjustment.mean > 0.5)
        #expect((adjusted.kpi("spc_signals[press]")?.mean ?? 0) >= 5)
    }

    @Test("Cp and Cpk from the baseline agree with (USL − LSL) / 6σ for a centred process")
    func capability() async throws {
        // No drift: Cp = Cpk = 6 / (6 · 1) = 1, up to the estimate's noise.
        let results = try await run(
            spcScenario.replacingOccurrences(of: "drift_per_hour: 1", with: "drift_per_hour: 0"),
            ["replications=12"])
        for name in ["cp[press]", "cpk[press]"] {
            let kpi = try #require(results.kpi(name))
            let interval = try ConfidenceInterval(values: kpi.values)
            #expect(abs(interval.mean - 1) <= 4.5 * interval.standardError + 0.02, "\(name) = \(interval.mean)")
        }
    }

    @Test("every signal is recorded with its rules and the reactions carried out")
    func signalsRecorded() throws {
        let scenario = try ScenarioReader.parse(yaml: spcScenario, file: "spc.yaml")
        let settings = try #require(scenario.mes?.settings)
        let mes = try MES(
            layout: scenario.layout, settings: settings, rule: FIFORule(), idealCycle: scenario.idealCycles,
            seed: scenario.seed, replication: 0)
        var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        simulation.run(until: scenario.horizon)
        let spc = simulation.model.controller.spc[0]
        #expect(spc.chart != nil)
        #expect(!spc.signals.isEmpty)
        for signal in spc.signals {
            // A location rule, or the R chart's own limit (recorded as an R signal).
            #expect(!signal.rules.isEmpty || signal.dispersion?.chart == "R")
            #expect(signal.reactions == [.adjust])
            #expect(signal.station == 0)
        }
        // One point per subgroup of five after the ten baseline subgroups.
        #expect(spc.points.count == (simulation.model.lifetimeCounts.shipped / 5) - 10)
    }

    @Test("holding the station on a signal stops it for the hold, less at most one unit's work")
    func holdStation() async throws {
        let yaml = spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [adjust, hold_station(15m)]")
        let results = try await run(yaml)
        let stopped = try #require(results.kpi("planned_stop[press]")).values
        let signals = try #require(results.kpi("spc_signals[press]")).values
        for (share, count) in zip(stopped, signals) {
            let seconds = share * 24 * 3_600
            // Each hold starts when the unit in process ends (within 60 s) and ends 15 min after
            // the signal; a hold still running at either end of the window counts in part.
            #expect(seconds <= count * 900 + 900 + 1e-6)
            #expect(seconds >= (count - 1) * 840 - 1e-6)
        }
    }

    @Test(
        "SPC errors name the key and suggest the nearest",
        arguments: [
            ("station: press, chart", "station: pres, chart", "unknown station `pres`", "(did you mean `press`?)"),
            ("chart: xbar-r(5)", "chart: xbar-q(5)", "unknown chart `xbar-q(5)`", "(did you mean `xbar-r(5)`?)"),
            ("chart: xbar-r(5)", "chart: xbar-r(40)", "subgroup size must be a whole number from 2 to 25", ""),
            ("react: [adjust]", "react: [adjsut]", "unknown reaction `adjsut`", "(did you mean `adjust`?)"),
            ("react: [adjust]", "react: [hold_station(15)]", "hold_station needs a duration with a unit", ""),
            (
                "rules: western-electric", "rules: westren-electric", "unknown rules `westren-electric`",
                "(did you mean `western-electric`?)"
            ),
            ("lsl: 97, usl: 103", "lsl: 97, usl: 90", "upper specification limit must lie above the lower", ""),
        ])
    func errors(_ row: (from: String, to: String, message: String, suggestion: String)) {
        let found = problems(spcScenario.replacingOccurrences(of: row.from, with: row.to))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains(row.message) == true, "\(found)")
        #expect(found.first?.hasSuffix(row.suggestion) == true, "\(found)")
        #expect(found.first?.hasPrefix("test.yaml:") == true)
    }

    @Test("a station that measures nothing cannot be charted")
    func stationWithoutMeasurement() {
        let yaml = spcScenario.replacingOccurrences(
            of: "\n    measures: { name: height, nominal: 100, sd: 1, drift_per_hour: 1, lsl: 97, usl: 103 }", with: "")
        #expect(
            problems(yaml).first?.hasSuffix(
                "mes.spc[0].station: station `press` measures nothing; give it `measures:` to chart it") == true)
    }
}

@Suite("SPC holding the units since the last good subgroup")
struct SPCHoldUnitsTests {
    @Test(
        "a signal holds the units measured since the last good subgroup; the review scraps those out of specification")
    func holdUnits() throws {
        let yaml = spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [adjust, hold_units(10m)]")
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "spc.yaml")
        let mes = try MES(
            layout: scenario.layout, settings: try #require(scenario.mes?.settings), rule: FIFORule(),
            idealCycle: scenario.idealCycles, seed: scenario.seed, replication: 0)
        var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        simulation.run(until: scenario.horizon)
        let spc = simulation.model.controller.spc[0]
        #expect(!spc.signals.isEmpty)
        for signal in spc.signals {
            // The signalling subgroup at least, and whole subgroups only.
            #expect(signal.suspects.count >= 5 && signal.suspects.count % 5 == 0)
        }
        #expect(spc.heldUnits == spc.signals.reduce(0) { $0 + $1.suspects.count })
        let reviewed = spc.signals.filter { $0.time + 600 <= scenario.horizon }
        let outOfSpecification = reviewed.flatMap(\.suspects).filter { spc.isOutOfSpecification($0.value) }.count
        #expect(spc.scrappedUnits == outOfSpecification)
        // After their review, no held unit is left on hold: only those of later signals may be.
        let pending = Set(spc.signals.filter { $0.time + 600 > scenario.horizon }.flatMap(\.suspects).map(\.serial))
        #expect(Set(simulation.model.unitsOnHold).isSubset(of: pending))
    }

    @Test("hold_units needs a review time with a unit")
    func reviewTimeNeedsUnit() {
        let found = problems(spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [hold_units(30)]"))
        #expect(found.count == 1)
        #expect(
            found.first?.contains("hold_units needs a duration with a unit, e.g. hold_units(15m); found `30`") == true)
    }
}

@Suite("SPC dispositions: rework")
struct SPCReworkTests {
    @Test("with rework_at, held units out of specification are reworked there and none is scrapped")
    func rework() throws {
        let yaml =
            spcScenario
            .replacingOccurrences(of: "react: [adjust]", with: "react: [adjust, hold_units(10m)], rework_at: bench")
            .replacingOccurrences(
                of: "\nproducts:",
                with: "\n  - { id: bench, cycle: const(5m) }\n  - { id: pack, cycle: const(30s) }\nproducts:"
            )
            .replacingOccurrences(of: "route: [press]", with: "route: [press, pack]")
            .replacingOccurrences(of: "\n  spc:", with: "\n  record_operations: true\n  spc:")
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "spc.yaml")
        let mes = try MES(
            layout: scenario.layout, settings: try #require(scenario.mes?.settings), rule: FIFORule(),
            idealCycle: scenario.idealCycles, seed: scenario.seed, replication: 0)
        var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        simulation.run(until: scenario.horizon)
        let controller = simulation.model.controller
        let spc = controller.spc[0]
        let reviewed = spc.signals.filter { $0.time + 600 <= scenario.horizon }
        let bad = Set(reviewed.flatMap(\.suspects).filter { spc.isOutOfSpecification($0.value) }.map(\.serial))
        #expect(!bad.isEmpty)
        #expect(spc.reworkedUnits == bad.count)
        #expect(spc.scrappedUnits == 0)
        #expect(simulation.model.lifetimeCounts.scrapped == 0)
        // Held after the press, they were on their way to packing: only those units went to
        // the bench, each operation there marked as rework. All but the last review's (at most
        // five, 5 min each) were through it by the horizon.
        let atBench = controller.operations.filter { $0.station == 1 }
        #expect(Set(atBench.map(\.serial)).isSubset(of: bad))
        // Suspects that had already been packed and shipped when their signal came cannot be
        // held, so they never reach the bench.
        var packed: [Int: Double] = [:]
        for operation in controller.operations where operation.station == 2 { packed[operation.serial] = operation.end }
        let holdable = Set(
            reviewed.flatMap { signal in
                signal.suspects.filter {
                    spc.isOutOfSpecification($0.value) && (packed[$0.serial] ?? .infinity) > signal.time
                }
                .map(\.serial)
            })
        #expect(atBench.allSatisfy { $0.rework })
        #expect(atBench.count >= holdable.count - 5)
    }

    @Test("rework_at without hold_units is refused")
    func reworkNeedsHold() {
        let yaml =
            spcScenario
            .replacingOccurrences(of: "react: [adjust]", with: "react: [adjust], rework_at: press")
        #expect(
            problems(yaml).first?.hasSuffix(
                "mes.spc[0].rework_at: rework_at is where held units go; it needs the reaction hold_units(review time)")
                == true)
    }
}
