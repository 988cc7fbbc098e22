import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

private func scenario(_ yaml: String, _ overrides: [String] = []) throws -> Scenario {
    try ScenarioReader.parse(yaml: yaml, file: "t.yaml", overrides: overrides)
}

/// The mean of `values` is within 4.5 standard errors of `expected` (REFERENCE.md).
private func near(_ values: [Double], _ expected: Double) throws -> Bool {
    let interval = try ConfidenceInterval(values: values)
    return abs(interval.mean - expected) <= 4.5 * interval.standardError
}

private func values(_ results: ExperimentResults, _ name: String) throws -> [Double] {
    guard let kpi = results.kpi(name) else { throw MissingKPI(name: name) }
    return kpi.values
}

private struct MissingKPI: Error { let name: String }

/// A 1 s machine measuring every unit, then an inspection detecting with probability 0.9.
private let measuredLine = """
    name: measured
    horizon: 200000s
    replications: 10
    stations:
      - id: m
        cycle: const(1s)
        measures: { name: width, unit: mm, nominal: 100mm, sd: 1mm, lsl: 97mm, usl: 103mm }
      - id: check
        cycle: const(1s)
        inspects: { defects: [width], detect: 0.9 }
    products:
      - { id: p, route: [m, check] }
    sources:
      - { product: p, supply: unlimited }
    """

@Suite("Measurements decide conformance")
struct ConformanceTests {
    // P(|Z| > 3) = 0.0026997960632601866 for a process centred between limits 6σ apart.
    static let outside = 0.0026997960632601866

    @Test(
        "a centred process with limits at ±3σ puts 0.27% out of specification, and an inspection of detection 0.9 scraps 0.9 of them"
    )
    func centredProcess() async throws {
        let results = try await Experiment.run(try scenario(measuredLine))
        #expect(try near(values(results, "out_of_spec[m]"), Self.outside))
        // Yield counts good units: every unit out of specification is bad, found or not.
        #expect(try near(values(results, "yield"), 1 - Self.outside))
        // Escapes: the 10% missed, over the units shipped.
        #expect(try near(values(results, "escape_rate"), 0.1 * Self.outside / (1 - 0.9 * Self.outside)))
    }

    @Test("`out_of_spec: scrap` scraps at the measuring station; `nothing` keeps the old behaviour")
    func consequences() async throws {
        let scrapped = try await Experiment.run(
            try scenario(measuredLine, ["stations[m].measures.out_of_spec=scrap", "replications=4"]))
        #expect(try near(values(scrapped, "scrap_rate"), Self.outside))
        #expect(try values(scrapped, "escape_rate").allSatisfy { $0 == 0 })
        let ignored = try await Experiment.run(
            try scenario(measuredLine, ["stations[m].measures.out_of_spec=nothing", "replications=2"]))
        #expect(try values(ignored, "yield").allSatisfy { $0 == 1 })
    }

    @Test("a drifting process without adjustment puts more out of specification and yields less, as the share says")
    func driftLowersYield() async throws {
        let drifting = try await Experiment.run(
            try scenario(measuredLine, ["stations[m].measures.drift_per_hour=0.05mm", "replications=4"]))
        let share = try values(drifting, "out_of_spec[m]")
        #expect(share.allSatisfy { $0 > 10 * Self.outside })
        // Yield follows the share replication by replication: 1 − share (a unit out of
        // specification is bad, found or not), up to the units still in the plant at the end.
        for (y, s) in zip(try values(drifting, "yield"), share) { #expect(abs(y - (1 - s)) < 1e-4) }
        // Escapes are the 10% of them the inspection misses, over the units shipped.
        for (e, s) in zip(try values(drifting, "escape_rate"), share) {
            #expect(abs(e - 0.1 * s / (1 - 0.9 * s)) < 4.5 * (0.09 * s / 2e5).squareRoot() + 1e-4)
        }
    }

    @Test("`out_of_spec: { rework: S }` sends the unit to S and back to be measured again")
    func reworkAndMeasureAgain() async throws {
        let yaml =
            measuredLine.replacingOccurrences(
                of: "lsl: 97mm, usl: 103mm }", with: "lsl: 97mm, usl: 103mm, out_of_spec: { rework: bench } }")

        let withBench = yaml.replacingOccurrences(
            of: "  - id: check\n", with: "  - { id: bench, cycle: const(1s) }\n  - id: check\n")
        let results = try await Experiment.run(try scenario(withBench, ["replications=4"]))
        #expect(try near(values(results, "reworks_per_unit"), Self.outside))
        // Reworked once, measured again: scrapped only if out of specification twice.
        #expect(try values(results, "scrap_rate").allSatisfy { $0 < 5 * Self.outside * Self.outside + 1e-4 })
    }
}

@Suite("Inspections with false calls")
struct FalseCallTests {
    @Test("a false-reject probability of 5% sends 5% of good units to rework, and a second false call scraps")
    func falseRejectsGoToRework() async throws {
        let yaml = """
            name: false-calls
            horizon: 100000s
            replications: 10
            stations:
              - { id: m, cycle: const(1s), defects: [{ name: flaw, p: 0 }] }
              - id: check
                cycle: const(0.5s)
                inspects: { defects: [flaw], detect: 1, false_reject: 0.05 }
                rework: { station: bench, max: 1 }
              - { id: bench, cycle: const(1s) }
            products:
              - { id: p, route: [m, check] }
            sources:
              - { product: p, supply: unlimited }
            """
        let results = try await Experiment.run(try scenario(yaml))
        #expect(try near(values(results, "reworks_per_unit"), 0.05))
        #expect(try near(values(results, "scrap_rate"), 0.05 * 0.05))
        let falseRejects = try values(results, "false_rejects[check]")
        let completed = try values(results, "units_completed[m]")
        #expect(try near(zip(falseRejects, completed).map { $0 / $1 }, 0.05 + 0.05 * 0.05))
    }
}

@Suite("Material lots carry quality")
struct LotQualityTests {
    @Test("a lot with defect probability 0.3 and detection 0.9 lets 3% of its units escape")
    func badLotEscapes() throws {
        // Lot 3 of 1000 pieces goes to units 2001–3000: 1000 × 0.3 × 0.1 = 30 escapes expected.
        let yaml = """
            name: bad-lot
            horizon: 5000s
            replications: 10
            materials:
              - { id: chip, lot_size: 1000, lots: { 3: { defect: void, p: 0.3 } } }
            stations:
              - { id: place, cycle: const(1s) }
              - id: aoi
                cycle: const(1s)
                inspects: { defects: [void], detect: 0.9 }
            products:
              - { id: p, route: [place, aoi], bom: [{ material: chip, qty: 1, at: place }] }
            sources:
              - { product: p, supply: unlimited }
            """
        let scenario = try scenario(yaml)
        let escapes = try (0..<scenario.replications).map {
            Double(try Experiment.replicate(scenario, replication: $0).plant.shippedDefective)
        }
        let scrapped = try (0..<scenario.replications).map {
            Double(try Experiment.replicate(scenario, replication: $0).plant.scrapped)
        }
        #expect(try near(escapes, 30))
        #expect(try near(scrapped, 270))
    }

    /// One unit a second through a placer and an AOI (detection 0.9); at 4000 s, after lot 3
    /// (units 2001–3000) has shipped, an incident marks it bad with p 0.3.
    static let badLotIncident = """
        name: bad-lot-incident
        horizon: 5000s
        replications: 10
        materials:
          - { id: chip, lot_size: 1000 }
        stations:
          - { id: place, cycle: const(1s) }
          - id: aoi
            cycle: const(1s)
            inspects: { defects: [chip], detect: 0.9 }
        products:
          - { id: p, route: [place, aoi], bom: [{ material: chip, qty: 1, at: place }] }
        mes:
          orders: { generate: { every: const(1s), quantity: 1, due_in: 1h, product: p } }
        incidents:
          - { at: 4000s, do: mark lot chip/3 bad with p 0.3 }
        """

    @Test("an incident `mark lot chip/3 bad with p 0.3` makes the lot bad from the start, and recalls it")
    func badLotFromAnIncident() throws {
        // As above, but the MES is told at 4000 s, after lot 3 (units 2001–3000) has shipped.
        let scenario = try scenario(Self.badLotIncident)
        #expect(scenario.layout.materials[0].lotQuality == [LotQuality(lot: 3, defect: 0, probability: 0.3)])
        #expect(scenario.mes?.settings.traceability?.recalls.count == 1)
        let escapes = try (0..<scenario.replications).map {
            Double(try Experiment.replicate(scenario, replication: $0).plant.shippedDefective)
        }
        #expect(try near(escapes, 30))
    }

    @Test(
        "the recall counts the units that drew from the lot (1000) and, of them, those really carrying its defect (≈ 300)"
    )
    func recallCountsTheReallyDefective() async throws {
        let results = try await Experiment.run(try scenario(Self.badLotIncident))
        #expect(try values(results, "recall_affected").allSatisfy { $0 == 1_000 })
        // Binomial(1000, 0.3): 300 expected.
        #expect(try near(values(results, "recall_defective"), 300))
    }

    @Test("`with p` above 1 in an incident is an error")
    func incidentProbabilityRange() {
        let yaml = """
            name: bad
            horizon: 1h
            materials:
              - { id: chip, lot_size: 10 }
            stations:
              - { id: place, cycle: const(1s) }
            products:
              - { id: p, route: [place], bom: [{ material: chip, qty: 1, at: place }] }
            mes:
              orders: { generate: { every: const(1m), quantity: 1, due_in: 1h, product: p } }
            incidents:
              - { at: 10m, do: mark lot chip/3 bad with p 1.5 }
            """
        #expect(scenarioProblems(yaml).contains { $0.contains("a defect probability lies from 0 to 1; found 1.5") })
    }

    @Test("a lot number below 1 is an error at its key")
    func lotNumbers() {
        let yaml = """
            name: bad
            horizon: 1h
            materials:
              - { id: chip, lot_size: 10, lots: { 0: { defect: void, p: 0.3 } } }
            stations:
              - { id: place, cycle: const(1s) }
            products:
              - { id: p, route: [place], bom: [{ material: chip, qty: 1, at: place }] }
            sources:
              - { product: p, supply: unlimited }
            """
        #expect(
            scenarioProblems(yaml).contains {
                $0.contains("materials[0].lots.0: a lot is named by its number 1, 2, …; found `0`")
            })
    }
}

@Suite("Out-of-specification consequences are checked as written")
struct OutOfSpecificationErrorTests {
    func problems(_ yaml: String) -> [String] { scenarioProblems(yaml) }

    @Test("`out_of_spec` without specification limits is an error")
    func needsLimits() {
        let yaml = measuredLine.replacingOccurrences(
            of: "lsl: 97mm, usl: 103mm }", with: "out_of_spec: scrap }"
        ).replacingOccurrences(of: "inspects: { defects: [width], detect: 0.9 }", with: "")
        #expect(
            problems(yaml).contains {
                $0.hasSuffix(
                    "stations[0].measures.out_of_spec: `out_of_spec` needs specification limits: give `lsl`, `usl` or both"
                )
            })
    }

    @Test("an unknown consequence is an error with the nearest one")
    func unknownConsequence() {
        let yaml = measuredLine.replacingOccurrences(
            of: "lsl: 97mm, usl: 103mm }", with: "lsl: 97mm, usl: 103mm, out_of_spec: scarp }")
        #expect(
            problems(yaml).contains {
                $0.hasSuffix(
                    "stations[0].measures.out_of_spec: unknown consequence `scarp`; expected scrap, nothing, { defect: NAME } or { rework: STATION, max: 1 } (did you mean `scrap`?)"
                )
            })
    }

    @Test("a false-reject probability above 1 is an error")
    func falseRejectRange() {
        let yaml = measuredLine.replacingOccurrences(
            of: "inspects: { defects: [width], detect: 0.9 }",
            with: "inspects: { defects: [width], detect: 0.9, false_reject: 1.5 }")
        #expect(problems(yaml).contains { $0.contains("stations[1].inspects.false_reject") })
    }
}

@Suite("Capability and performance of a known process")
struct CapabilityTests {
    // A stable normal process with σ = 1 centred between limits at ±3: Cp = Cpk = Pp = Ppk = 1.
    @Test("Cp, Cpk, Pp and Ppk of a centred process with limits ±3σ are 1 within their intervals")
    func knownProcess() async throws {
        let yaml = """
            name: capable
            horizon: 100000s
            warmup: 1000s
            replications: 10
            stations:
              - id: m
                cycle: const(10s)
                measures: { name: width, nominal: 100, sd: 1, lsl: 97, usl: 103, out_of_spec: nothing }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { generate: { every: const(10s), quantity: 1, due_in: 1h, product: p } }
              spc:
                - { station: m, chart: xbar-r(5), baseline: 25, rules: nelson-1, react: [notify] }
            """
        let results = try await Experiment.run(try scenario(yaml))
        for name in ["pp[m]", "ppk[m]", "cp[m]", "cpk[m]"] {
            #expect(try near(values(results, name), 1), "\(name)")
        }
        // Pp from ~10,000 values each: its interval is tight.
        #expect(try ConfidenceInterval(values: values(results, "pp[m]")).halfWidth < 0.01)
    }
}

@Suite("Imperfect adjustment")
struct ImperfectAdjustmentTests {
    /// A nearly noise-free process drifting 1 mm per operating hour, charted as individuals;
    /// each signal adjusts it.
    func run(error: String?) throws -> (points: [SPCPoint], first: Double) {
        let yaml = """
            name: funnel
            horizon: 20h
            replications: 1
            stations:
              - id: m
                cycle: const(60s)
                measures: { name: width, unit: mm, nominal: 100mm, sd: 0.01mm, drift_per_hour: 1mm }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { generate: { every: const(60s), quantity: 1, due_in: 1h, product: p } }
              spc:
                - station: m
                  chart: individuals
                  baseline: 10
                  rules: nelson-1
                  react: [adjust]

            """ + (error.map { "      adjust: { error: \($0) }\n" } ?? "")
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml")
        let settings = try #require(scenario.mes?.settings)
        let mes = try MES(
            layout: scenario.layout, settings: settings, rule: FIFORule(), idealCycle: scenario.idealCycles,
            seed: scenario.seed, replication: 0)
        var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        simulation.run(until: scenario.horizon)
        let spc = simulation.model.controller.spc[0]
        return (spc.points, try #require(spc.signals.first).time)
    }

    @Test("an adjustment with error const(2mm) leaves the mean 2 mm above nominal, then drifting on")
    func constantError() throws {
        let (points, first) = try run(error: "const(2mm)")
        let after = points.filter { $0.time > first }
        #expect(!after.isEmpty)
        // Reset to 100 + 2, then up by at most the drift between signals; the noise is 0.01.
        #expect(after.allSatisfy { $0.location > 102 - 0.05 })
        let exact = try run(error: nil)
        #expect(exact.points.filter { $0.time > exact.first }.allSatisfy { $0.location < 102 - 0.05 })
    }
}
