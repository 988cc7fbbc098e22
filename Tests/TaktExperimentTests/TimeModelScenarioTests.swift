import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// A scenario from YAML text.
private func scenario(_ yaml: String, _ overrides: [String] = []) throws -> Scenario {
    try ScenarioReader.parse(yaml: yaml, file: "t.yaml", overrides: overrides)
}

/// The mean of `values` is within 4.5 standard errors of `expected` (REFERENCE.md), plus a
/// deterministic `slack` where the test says where it comes from.
private func near(_ values: [Double], _ expected: Double, slack: Double = 0) throws -> Bool {
    let interval = try ConfidenceInterval(values: values)
    return abs(interval.mean - expected) <= 4.5 * interval.standardError + slack
}

@Suite("The time model on whole runs")
struct TimeModelScenarioTests {
    @Test(
        "on every bundled scenario each machine's elements add up to the calendar, and the losses to planned busy time",
        arguments: ["first-line", "smt-router-line", "smt-router-rules", "transfer-line", "ft06-job-shop"])
    func elementsAddUpOnBundledScenarios(_ name: String) throws {
        let loaded = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/\(name).yaml", overrides: ["replications=1"])
        let window = loaded.horizon - loaded.warmup
        let replication = try Experiment.replicate(loaded, replication: 0)
        for (s, account) in replication.stationOEE.enumerated() {
            let machines = Double(loaded.layout.stations[s].machines)
            #expect(abs(account.calendarTime - window * machines) <= 1e-9 * window * machines, "station \(s)")
            #expect(
                abs(account.losses.total + account.fullyProductiveTime - account.plannedBusyTime)
                    <= 1e-9 * window * machines, "station \(s)")
        }
        let line = replication.lineOEE
        #expect(abs(line.losses.total + line.idealTimeGood - line.plannedBusyTime) <= 1e-9 * window)
    }

    /// One press, 8 h a day, that breaks every 2 h of operation for a 10 h repair.
    static let longRepairs = """
        name: long-repairs
        horizon: 10d
        warmup: 0s
        replications: 1
        stations:
          - id: press
            cycle: const(60s)
            calendar: day
            failures: { between: const(2h), repair: const(10h) }
        products:
          - { id: part, route: [press] }
        sources:
          - { product: part, supply: unlimited }
        calendars:
          - name: day
            shifts:
              - { start: "06:00", length: 8h }
        """

    @Test("planned wins: an 8 h shift with 10 h repairs has 8 h of planned busy time a day, not 10")
    func plannedWinsOverRepairs() throws {
        let replication = try Experiment.replicate(try scenario(Self.longRepairs), replication: 0)
        let press = replication.stationOEE[0]
        #expect(abs(press.plannedBusyTime - 10 * 8 * 3_600) < 1e-6)
        #expect(abs(press.plannedDownTime - 10 * 16 * 3_600) < 1e-6)
        // A repair running into the night is planned down time there, not unit delay.
        #expect(press.seconds(.breakdown) < press.plannedBusyTime)
        #expect(abs(press.seconds(.breakdown) + press.actualProductionTime - press.plannedBusyTime) < 1e-6)
    }

    /// One press, one unit a minute at its ideal rate, always with work (an order every 30 s),
    /// for 5 days; `mes` goes into its `mes:` section and `top` at the top level.
    static func busyPress(mes: String = "", top: String = "") -> String {
        """
        name: busy-press
        horizon: 5d
        warmup: 0s
        replications: 1
        stations:
          - { id: press, cycle: const(60s) }
        products:
          - { id: part, route: [press] }
        mes:
          orders: { generate: { every: const(30s), quantity: 1, due_in: 1d, product: part } }
        \(mes)
        \(top)
        """
    }

    /// The busy press held by the MES 6 h every day.
    static func dailyHold(_ held: Bool) -> String {
        busyPress(
            top: held
                ? "incidents:\n"
                    + (0..<5).map { "  - { at: \($0)d 08:00, do: hold station press for 6h }" }.joined(separator: "\n")
                : "")
    }

    @Test("a daily 6 h MES hold is an availability loss inside planned busy time: OEE 18/24, not 1")
    func dailyHoldLowersOEE() async throws {
        let free = try await Experiment.run(try scenario(Self.dailyHold(false)))
        let held = try await Experiment.run(try scenario(Self.dailyHold(true)))
        // Each hold waits for the unit in process (at most one 60 s cycle), 5 holds in 5 days.
        let slack = 5 * 60.0 / (5 * 86_400)
        #expect(abs(try #require(free.kpi("oee[press]")).mean - 1) <= slack)
        #expect(abs(try #require(held.kpi("oee[press]")).mean - 18.0 / 24) <= slack)
        #expect(abs(try #require(held.kpi("loss_mes_holds[press]")).mean - 6.0 / 24) <= slack)
        #expect(abs(try #require(held.kpi("oee")).mean - 18.0 / 24) <= slack)
    }

    /// One machine fed by random arrivals at half its rate (M/D/1, ρ = 0.5).
    static let demandLimited = """
        name: demand-limited
        horizon: 60d
        warmup: 1d
        replications: 8
        stations:
          - { id: press, cycle: const(5m), buffer: 1000 }
        products:
          - { id: part, route: [press] }
        sources:
          - { product: part, every: exp(10m) }
        """

    @Test("a demand-limited machine loses 1 − ρ to no work released, and none of it to small stops")
    func demandLimitedMachine() async throws {
        let results = try await Experiment.run(try scenario(Self.demandLimited))
        // M/D/1 with ρ = 0.5: idle (no work released) half of the time.
        #expect(try near(try #require(results.kpi("loss_no_work_released[press]")).values, 0.5))
        #expect(try near(try #require(results.kpi("availability[press]")).values, 0.5))
        #expect(try #require(results.kpi("loss_small_stops[press]")).values.allSatisfy { $0 == 0 })
        #expect(try #require(results.kpi("loss_starved[press]")).values.allSatisfy { $0 == 0 })
        guard case .demandLimited(let station, _) = Bottleneck.finding(results) else {
            Issue.record("a demand-limited line names a bottleneck: \(String(describing: Bottleneck.finding(results)))")
            return
        }
        #expect(station == "press")
    }

    /// A cutter (the constraint, 60 s), placers at 100 s each, a 30 s packer; constant times.
    static func parallelPlacers(_ placers: Int) -> String {
        """
        name: placers
        horizon: 2d
        warmup: 2h
        replications: 1
        stations:
          - { id: cut, cycle: const(60s) }
          - { id: place, machines: \(placers), cycle: const(100s), buffer: 2 }
          - { id: pack, cycle: const(30s) }
        products:
          - { id: part, route: [cut, place, pack] }
        sources:
          - { product: part, supply: unlimited }
        """
    }

    @Test("a third parallel machine at equal output does not lower the line's OEE")
    func parallelMachineAtEqualOutput() async throws {
        let two = try await Experiment.run(try scenario(Self.parallelPlacers(2)))
        let three = try await Experiment.run(try scenario(Self.parallelPlacers(3)))
        #expect(try #require(two.kpi("shipped")).mean == (try #require(three.kpi("shipped")).mean))
        let oeeTwo = try #require(two.kpi("oee")).mean
        let oeeThree = try #require(three.kpi("oee")).mean
        #expect(abs(oeeThree - oeeTwo) < 1e-12)
        // The cutter works without a pause at its ideal rate: every unit out took 60 s of it.
        #expect(abs(oeeTwo - 1) < 1e-3)
        // The time-weighted roll-up of every machine does drop: it counts the idle placer.
        #expect(try #require(three.kpi("equipment_oee")).mean < (try #require(two.kpi("equipment_oee")).mean) - 0.05)
    }

    /// A press making 1% defects and a tester that finds them all and scraps them.
    static let onePercentRejects = """
        name: one-percent
        horizon: 20d
        warmup: 0s
        replications: 6
        stations:
          - id: press
            cycle: const(10s)
            defects: [{ name: crack, p: 0.01 }]
          - id: test
            cycle: const(5s)
            inspects: { defects: [crack], detect: 1 }
        products:
          - { id: part, route: [press, test] }
        sources:
          - { product: part, supply: unlimited }
        """

    @Test("a line with one inspection that rejects 1% has a line quality ratio of 0.99: each unit counts once")
    func lineQualityRatio() async throws {
        let results = try await Experiment.run(try scenario(Self.onePercentRejects))
        #expect(try near(try #require(results.kpi("quality_ratio")).values, 0.99))
        // The press made the rejects; the tester only found them.
        #expect(try near(try #require(results.kpi("quality_ratio[press]")).values, 0.99))
        #expect(try #require(results.kpi("quality_ratio[test]")).values.allSatisfy { $0 == 1 })
    }

    @Test("a defect no inspection finds is not an OEE reject: it stays in escape_rate")
    func undetectedDefectsAreEscapes() async throws {
        let blind = Self.onePercentRejects.replacingOccurrences(of: "detect: 1", with: "detect: 0")
        let results = try await Experiment.run(try scenario(blind))
        #expect(try #require(results.kpi("quality_ratio")).values.allSatisfy { $0 == 1 })
        #expect(try #require(results.kpi("quality_ratio[press]")).values.allSatisfy { $0 == 1 })
        #expect(try near(try #require(results.kpi("escape_rate")).values, 0.01))
    }

    @Test("a unit a measurement finds out of specification is a reject, at its station and for the line")
    func measuredOutOfSpecificationIsAReject() async throws {
        // Thickness ~ N(100, 1) with limits at ±1.96σ: P(out) = 2 × (1 − Φ(1.96)) = 0.0499958.
        let yaml = """
            name: measured
            horizon: 10d
            warmup: 0s
            replications: 6
            stations:
              - id: press
                cycle: const(10s)
                measures: { name: thickness, unit: um, nominal: 100um, sd: 1um, lsl: 98.04um, usl: 101.96um }
            products:
              - { id: part, route: [press] }
            sources:
              - { product: part, supply: unlimited }
            """
        let results = try await Experiment.run(try scenario(yaml))
        let conforming = 1 - 0.0499958
        #expect(try near(try #require(results.kpi("quality_ratio[press]")).values, conforming))
        // The units ship (nothing scraps them yet), but the MES knows them bad: not good output.
        #expect(try near(try #require(results.kpi("quality_ratio")).values, conforming))
    }

    /// The busy press with a 2 h maintenance every day, planned or not.
    static func dailyMaintenance(planned: Bool) -> String {
        busyPress(
            mes: "  maintenance:\n    - { station: press, every: 1d, duration: 2h, planned: \(planned) }")
    }

    @Test("maintenance marked planned is planned down time; unmarked, it is a loss inside planned busy time")
    func plannedMaintenance() async throws {
        let planned = try await Experiment.run(try scenario(Self.dailyMaintenance(planned: true)))
        let unplanned = try await Experiment.run(try scenario(Self.dailyMaintenance(planned: false)))
        // Maintenance every day from the start: at 1d, 2d, 3d and 4d, 8 h of the 120 h. Each
        // waits for the unit in process: at most 60 s, 4 times.
        let slack = 4 * 60.0 / (5 * 86_400)
        #expect(abs(try #require(planned.kpi("availability[press]")).mean - 1) <= slack)
        #expect(abs(try #require(unplanned.kpi("availability[press]")).mean - 112.0 / 120) <= slack)
        #expect(abs(try #require(unplanned.kpi("loss_unplanned_maintenance[press]")).mean - 8.0 / 120) <= slack)
        #expect(try #require(planned.kpi("loss_unplanned_maintenance[press]")).mean == 0)
    }

    @Test("a line held back by a slow station names it as the bottleneck")
    func capacityLimitedLine() async throws {
        let results = try await Experiment.run(try scenario(Self.parallelPlacers(1)))
        #expect(Bottleneck.finding(results).map { if case .station(let name, _) = $0 { name } else { "" } } == "place")
    }
}

@Suite("Operators and per-product ideal cycles in the time model")
struct OperatorsAndProductsTests {
    /// A bench always with work, run by one fitter on a 12 h day shift.
    static func bench(machines: Int) -> String {
        """
        name: operator-attendance
        horizon: 5d
        warmup: 0s
        replications: 1
        stations:
          - { id: bench, machines: \(machines), cycle: const(7m), calendar: day, operators: fitters }
        products:
          - { id: part, route: [bench] }
        sources:
          - { product: part, supply: unlimited }
        operators:
          - { pool: fitters, size: 1 }
        calendars:
          - name: day
            shifts:
              - { start: "06:00", length: 12h }
        """
    }

    @Test(
        "operator utilisation is over attendance (the shifts), not calendar time: a fitter never idle on shift is at 1")
    func utilisationOverAttendance() async throws {
        let results = try await Experiment.run(try scenario(Self.bench(machines: 1)))
        #expect(abs(try #require(results.kpi("operator_utilisation[fitters]")).mean - 1) < 1e-9)
    }

    @Test("waiting for an operator is its own loss: of two benches and one fitter, one always waits")
    func waitingForOperatorIsALoss() async throws {
        let results = try await Experiment.run(try scenario(Self.bench(machines: 2)))
        // Each 7-minute unit is followed by the other bench's: every bench waits half its shift.
        // At each shift start both benches resume: at most one 7-minute unit of difference a day.
        let slack: Double = 5 * 420 / (2 * 5 * 12 * 3_600)
        #expect(abs(try #require(results.kpi("loss_waiting_for_operator[bench]")).mean - 0.5) <= slack)
        #expect(abs(try #require(results.kpi("availability[bench]")).mean - 0.5) <= slack)
    }

    @Test("a station's ideal cycle may be per product, and defaults to each product's own mean cycle")
    func perProductIdealCycle() async throws {
        let yaml = """
            name: two-products
            horizon: 2d
            warmup: 0s
            replications: 1
            stations:
              - { id: press, cycle: { default: const(30s), b: const(60s) } }
            products:
              - { id: a, route: [press] }
              - { id: b, route: [press] }
            sources:
              - { mix: { a: 0.5, b: 0.5 }, supply: unlimited }
            """
        // Each unit takes exactly its product's ideal cycle: effectiveness 1 (but for the unit
        // in process at the end, at most 60 s of 2 days).
        let own = try await Experiment.run(try scenario(yaml))
        #expect(abs(try #require(own.kpi("effectiveness[press]")).mean - 1) <= 60.0 / (2 * 86_400))
        // Named per product: b planned at 30 s, so b's units run at half speed.
        let named = yaml.replacingOccurrences(
            of: "cycle: { default: const(30s), b: const(60s) } }",
            with: "cycle: { default: const(30s), b: const(60s) }, ideal_cycle: { default: 30s, b: 30s } }")
        let planned = try await Experiment.run(try scenario(named))
        let effectiveness = try #require(planned.kpi("effectiveness[press]")).mean
        // Half the units at 30 s of 30, half at 30 of 60: 2 × 30 / (30 + 60) = 2/3, within the
        // spread of the product mix (about 5 200 units; ±4.5 binomial standard errors).
        #expect(abs(effectiveness - 2.0 / 3) < 0.02, "\(effectiveness)")
    }

    @Test("a per-product ideal cycle naming an unknown product is refused with the nearest")
    func unknownProductInIdealCycle() {
        let yaml = """
            name: t
            horizon: 1d
            stations:
              - { id: press, cycle: const(30s), ideal_cycle: { default: 30s, bb: 20s } }
            products:
              - { id: b, route: [press] }
            sources:
              - { product: b, supply: unlimited }
            """
        #expect(throws: ScenarioErrors.self) { try scenario(yaml) }
        do {
            _ = try scenario(yaml)
        } catch {
            #expect(
                "\(error)"
                    == "t.yaml:4:66: stations[0].ideal_cycle.bb: unknown key `bb`; expected one of default, b (did you mean `b`?)"
            )
        }
    }
}

@Suite("The time model's scenario keys")
struct TimeModelKeysTests {
    static let base = """
        name: t
        horizon: 1d
        stations:
          - { id: press, cycle: const(30s) }
        products:
          - { id: b, route: [press] }
        sources:
          - { product: b, supply: unlimited }
        """

    /// The located errors of `yaml`, one per line.
    func problems(_ yaml: String) -> String {
        do {
            _ = try scenario(yaml)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("`oee.minor_stop` sets the threshold; a misspelt key is refused with the nearest")
    func minorStopKey() throws {
        let set = try scenario(Self.base + "\noee: { minor_stop: 2m }")
        #expect(set.minorStopThreshold == 120)
        #expect(try scenario(Self.base).minorStopThreshold == 300)
        #expect(
            problems(Self.base + "\noee: { minor_stp: 2m }")
                == "t.yaml:9:8: oee.minor_stp: unknown key `minor_stp`; expected one of minor_stop (did you mean `minor_stop`?)"
        )
    }

    @Test("a minor-stop threshold that is not a positive duration is refused at its column")
    func minorStopMustBePositive() {
        #expect(problems(Self.base + "\noee: { minor_stop: 0s }").hasPrefix("t.yaml:9:20: oee.minor_stop: "))
        #expect(problems(Self.base + "\noee: { minor_stop: 5 }").contains("a duration needs a unit"))
    }

    @Test("`planned` on a maintenance plan must be true or false")
    func plannedMustBeABoolean() {
        let yaml = Self.base.replacingOccurrences(
            of: "sources:\n  - { product: b, supply: unlimited }",
            with:
                "mes:\n  orders: { generate: { every: const(1m), quantity: 1, due_in: 1d, product: b } }\n  maintenance:\n    - { station: press, every: 1d, duration: 1h, planned: maybe }"
        )
        #expect(
            problems(yaml).contains("mes.maintenance[0].planned: expected true or false; found `maybe`"),
            "\(problems(yaml))")
    }
}

@Suite("Assertions written before the line OEE followed output")
struct OutputOEEAliasTests {
    @Test("`output_oee` in an assertion reads the line's `oee`, which replaced it")
    func outputOEEReadsOEE() throws {
        let loaded = try scenario(TimeModelKeysTests.base + "\nassert:\n  - \"output_oee >= 0.5\"")
        #expect(loaded.assertions.first?.kpis.map(\.name) == ["oee"])
    }
}
