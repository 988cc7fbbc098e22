import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktScenario

/// A placer drawing one chip a unit (lots of 1000; lot 3 is bad: a void with p 0.3) beside
/// its own 5% voids, and an AOI that finds every void; the AOI's rejects are charted p(100).
let attributeScenario = """
    name: attribute
    horizon: 5000s
    replications: 10
    materials:
      - { id: chip, lot_size: 1000, lots: { 3: { defect: void, p: 0.3 } } }
    stations:
      - { id: place, cycle: const(1s), defects: [{ name: void, p: 0.05 }] }
      - id: aoi
        cycle: const(1s)
        inspects: { defects: [void], detect: 1 }
    products:
      - { id: p, route: [place, aoi], bom: [{ material: chip, qty: 1, at: place }] }
    mes:
      orders: { generate: { every: const(100s), quantity: 100, due_in: 1h, product: p } }
      spc:
        - { station: aoi, chart: p(100), baseline: 10 }
    """

/// Runs replication `replication` of `yaml` with its MES; returns the charts.
func charts(_ yaml: String, replication: Int = 0, overrides: [String] = []) throws -> [StationSPC] {
    let scenario = try ScenarioReader.parse(yaml: yaml, file: "spc.yaml", overrides: overrides)
    let mes = try MES(
        layout: scenario.layout, settings: try #require(scenario.mes?.settings), rule: FIFORule(),
        idealCycle: scenario.idealCycles, seed: scenario.seed, replication: replication)
    var simulation = try Experiment.startedSimulation(scenario, replication: replication, controller: mes)
    simulation.run(until: scenario.horizon)
    return simulation.model.controller.spc
}

@Suite("Attribute charts on an inspection")
struct AttributeChartScenarioTests {
    @Test("Phase I gives p̄ near the 5% void rate (within 4.5 standard errors over 10 replications)")
    func centreFromTheBaseline() throws {
        let centres = try (0..<10).map {
            try #require(charts(attributeScenario, replication: $0)[0].attributeChart).centre
        }
        // Ten baseline subgroups of 100 from good lots: SE of one p̄ is √(0.05·0.95/1000).
        let interval = try ConfidenceInterval(values: centres)
        #expect(abs(interval.mean - 0.05) <= 4.5 * (0.05 * 0.95 / 1_000 / 10).squareRoot())
    }

    @Test("every subgroup built from the bad lot (p = 1 − 0.95·0.7 = 0.335) signals above the limit")
    func badLotSignals() throws {
        let spc = try charts(attributeScenario)[0]
        // Units 2001–3000 drew from lot 3: subgroups 21–30 of 100, points 11–20 after the baseline.
        let lotPoints = spc.points[10..<20]
        #expect(lotPoints.allSatisfy { $0.location > $0.upper })
        let signalled = Set(spc.signals.map(\.subgroup))
        #expect((11...20).allSatisfy { signalled.contains($0) })
        #expect(spc.signals.allSatisfy { $0.rules == [.beyondThreeSigma] })
    }

    @Test("with the process value given (p: 0.05) no subgroup is spent on Phase I: lot 3 is points 21–30")
    func givenStandard() throws {
        let yaml = attributeScenario.replacingOccurrences(of: "baseline: 10", with: "baseline: { p: 0.05 }")
        let spc = try charts(yaml)[0]
        #expect(spc.attributeChart?.centre == 0.05)
        // The first order comes at 100 s; a unit a second is inspected from 102 s to the
        // horizon at 5000 s: 4899 units, 48 whole subgroups.
        #expect(spc.points.count == 48)
        #expect(spc.points[20..<30].allSatisfy { $0.location > $0.upper })
        // 0.05 + 3√(0.05·0.95/100) = 0.11538.
        #expect(abs(spc.points[0].upper - 0.115_38) < 1e-5)
    }

    @Test("a p chart by period has limits that follow the units inspected in each period")
    func periodSubgroups() throws {
        let yaml = attributeScenario.replacingOccurrences(
            of: "chart: p(100), baseline: 10", with: "chart: p(10m), baseline: { p: 0.05 }")
        let spc = try charts(yaml)[0]
        // One unit a second from 102 s: 600 units in each ten minutes after the first.
        #expect(spc.points.count == 8)
        #expect(abs(spc.points[1].upper - (0.05 + 3 * (0.05 * 0.95 / 600).squareRoot())) < 1e-9)
        #expect(spc.points[0].time == 600 && spc.points[1].time == 1_200)
    }

    @Test("the run reports attribute_signals[aoi], and the report draws the chart")
    func kpiAndTrace() async throws {
        let scenario = try ScenarioReader.parse(yaml: attributeScenario, file: "spc.yaml")
        let results = try await Experiment.run(scenario)
        let signals = try #require(results.kpi("attribute_signals[aoi]"))
        #expect(signals.values.allSatisfy { $0 >= 10 })
        #expect(results.kpi("spc_signals[aoi]") == nil && results.kpi("out_of_spec[aoi]") == nil)
    }
}

@Suite("EWMA and CUSUM on a drifting process")
struct TimeWeightedScenarioTests {
    @Test(
        "a CUSUM on the drifting press signals, as CUSUM+ (the drift is upwards), and adjusting keeps it in specification"
    )
    func cusumOnDrift() async throws {
        let yaml = spcScenario.replacingOccurrences(
            of: "chart: xbar-r(5), baseline: 10, rules: western-electric",
            with: "chart: cusum(5), k: 0.5, h: 4, baseline: { mean: 100, sigma: 1 }")
        let spc = try charts(yaml)[0]
        #expect(!spc.signals.isEmpty)
        #expect(spc.signals.allSatisfy { $0.timeWeighted?.chart == "CUSUM+" })
        let results = try await Experiment.run(ScenarioReader.parse(yaml: yaml, file: "spc.yaml"))
        #expect(try #require(results.kpi("out_of_spec[press]")).mean < 0.02)
    }
}

@Suite("SPC chart errors")
struct SPCChartErrorTests {
    @Test(
        "every new chart key is checked where it is written",
        arguments: [
            (
                "chart: xbar-r(5), baseline: 10, rules: western-electric",
                "chart: ewma(5), baseline: 10, rules: western-electric", "an EWMA or CUSUM chart has no run rules"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: xbar-r(5), lambda: 0.2, baseline: 10",
                "`lambda` belongs to an EWMA chart"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: ewma(5), lambda: 2, baseline: 10",
                "λ (lambda) must lie from 0.01 to 1.0"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: cusum(5), h: 0, baseline: 10",
                "the decision interval h must lie from 0.1"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: xbar-r(5), baseline: { mean: 100 }",
                "missing required key `sigma`"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: xbar-r(5), baseline: { mean: 100, sigma: 0 }",
                "expected more than 0.0"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: xbar-r(5), baseline: { mean: 1, sigma: 1, p: 0.1 }",
                "unknown key `p`"
            ),
            (
                "chart: xbar-r(5), baseline: 10, rules: western-electric, react: [adjust]",
                "chart: p(50), baseline: 10, react: [notify]", "station `press` inspects nothing"
            ),
            (
                "chart: xbar-r(5), baseline: 10", "chart: ewma(0), baseline: 10",
                "subgroup size must be a whole number from 1 to 25"
            ),
            ("chart: xbar-r(5), baseline: 10", "chart: cusm(5), baseline: 10", "unknown chart `cusm(5)`"),
        ])
    func variablesChartErrors(_ row: (from: String, to: String, message: String)) {
        let found = problems(spcScenario.replacingOccurrences(of: row.from, with: row.to))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains(row.message) == true, "\(found)")
        #expect(found.first?.hasPrefix("test.yaml:") == true)
    }

    @Test(
        "attribute chart errors name the key and say what fits",
        arguments: [
            ("chart: p(100)", "chart: p(ten)", "`p` needs units per subgroup (p(50)) or a period with a unit (p(8h))"),
            ("chart: p(100)", "chart: np(1h)", "`np` needs the units per subgroup"),
            ("chart: p(100)", "chart: xbar-r(5)", "station `aoi` measures nothing"),
            ("baseline: 10 }", "baseline: 10, react: [adjust] }", "`adjust` is not possible here"),
            ("baseline: 10 }", "baseline: { p: 1.5 } }", "expected a probability from 0 to 1"),
            ("baseline: 10 }", "baseline: { p: 0 } }", "strictly between 0 and 1"),
            ("chart: p(100), baseline: 10 }", "chart: c(10), baseline: { c: 0 } }", "expected more than 0.0"),
        ])
    func attributeChartErrors(_ row: (from: String, to: String, message: String)) {
        let found = problems(attributeScenario.replacingOccurrences(of: row.from, with: row.to))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains(row.message) == true, "\(found)")
        #expect(found.first?.hasPrefix("test.yaml:") == true)
    }

    @Test("a station may have one variables and one attribute chart, not two of a kind")
    func twoChartsOfAKind() {
        let twice = attributeScenario + "\n    - { station: aoi, chart: c(10) }"
        #expect(problems(twice).contains { $0.contains("station `aoi` has two attribute charts; keep one") })
    }
}

@Suite("MES decisions as KPIs")
struct MESDecisionKPITests {
    @Test("units_held counts every unit the MES put on hold in the window: here the SPC's held suspects")
    func unitsHeldCountsSPCHolds() async throws {
        let yaml = spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [adjust, hold_units(10m)]")
        let results = try await Experiment.run(ScenarioReader.parse(yaml: yaml, file: "spc.yaml"))
        let held = try #require(results.kpi("units_held")).values
        let spcHeld = try #require(results.kpi("spc_held[press]")).values
        #expect(held == spcHeld)
        #expect(held.allSatisfy { $0 > 0 })
    }
}

@Suite("SPC reactions as KPIs")
struct SPCReactionKPITests {
    @Test("spc_adjustments counts the adjustments made: one per signal that locates the mean, none for a spread signal")
    func adjustmentsCounted() async throws {
        let scenario = try ScenarioReader.parse(yaml: spcScenario, file: "spc.yaml")
        let results = try await Experiment.run(scenario)
        let adjustments = try #require(results.kpi("spc_adjustments[press]")).values
        for replication in 0..<scenario.replications {
            let signals = try charts(spcScenario, replication: replication)[0].signals
            let locating = signals.filter { $0.time >= scenario.warmup && $0.locatesMean }.count
            #expect(adjustments[replication] == Double(locating))
        }
        #expect(adjustments.allSatisfy { $0 > 0 })
    }

    @Test("spc_station_holds counts one station hold per signal when the plan holds the station")
    func stationHoldsCounted() async throws {
        let yaml = spcScenario.replacingOccurrences(of: "react: [adjust]", with: "react: [adjust, hold_station(15m)]")
        let results = try await Experiment.run(ScenarioReader.parse(yaml: yaml, file: "spc.yaml"))
        #expect(results.kpi("spc_station_holds[press]")?.values == results.kpi("spc_signals[press]")?.values)
    }
}
