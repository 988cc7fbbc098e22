import Testing
import TaktKernel
import TaktPlant

@Suite("Failures, setups and quality against hand calculations")
struct FailureAndQualityTests {
    @Test("one machine with exponential failures: availability 0.9, 54 parts/h, 52.38 good parts/h")
    func availability() throws {
        // REFERENCE.md: cycle 60 s, MTBF 3600 s in operating time, MTTR 400 s, 3% defective,
        // never starved or blocked → availability 3600/4000 = 0.9, 0.9 × 60 = 54 parts/h,
        // good 54 × 0.97 = 52.38/h. Every defect is found and scrapped at once.
        let layout = Layouts.line(
            [
                Station(
                    name: "press", cycle: Layouts.const(60),
                    failures: Failures(between: Layouts.exp(3_600), repair: Layouts.exp(400)),
                    defects: [DefectCreation(defect: 0, probability: 0.03)],
                    inspection: Inspection(detects: [(defect: 0, probability: 1)], maxReworks: 0))
            ], defectTypes: ["crack"])
        let results = try replicate(layout, warmup: 10 * 3_600, runLength: 2_000 * 3_600)
        let availability = results.map { 1 - $0.stations[0].stateShare[MachineState.down.rawValue] }
        let partsPerHour = results.map { Double($0.stations[0].processed) / ($0.observedTime / 3_600) }
        let goodPerHour = results.map(\.throughput).map { $0 * 3_600 }
        #expect(try agrees(availability, with: 0.9))
        #expect(try agrees(partsPerHour, with: 54))
        #expect(try agrees(goodPerHour, with: 52.38))
        #expect(try ConfidenceInterval(values: availability).halfWidth < 0.005)
    }

    @Test("a failure interrupts the unit in process, which resumes with exactly its remaining time")
    func interruptedUnitKeepsRemainingTime() throws {
        // Cycle 60 s; a failure after every 25 s of operation; repairs take 10 s.
        // First unit: fails at 25 (35 s left), repaired at 35, fails at 60 (10 s left),
        // repaired at 70, finishes at 80 — 60 s of work plus two 10 s repairs.
        let layout = Layouts.line([
            Station(
                name: "press", cycle: Layouts.const(60),
                failures: Failures(between: Layouts.const(25), repair: Layouts.const(10)))
        ])
        var plant = try Plant(layout: layout, controller: ObservationLog(), seed: 1, replication: 0)
        var calendar = EventCalendar<PlantEvent>()
        plant.start(calendar: &calendar)
        var simulation = Simulation(model: plant, calendar: calendar)
        simulation.run(until: 81)
        let finished = simulation.model.controller.entries.filter {
            if case .processingFinished = $0.observation { return true } else { return false }
        }
        #expect(finished.map(\.time) == [80])
        let downs = simulation.model.controller.entries.compactMap { entry -> Double? in
            if case .machineStateChanged(_, _, .down, _) = entry.observation { return entry.time } else { return nil }
        }
        #expect(downs == [25, 60])
    }

    @Test("setups between two alternating products take the share of time the matrix implies")
    func setupCapacity() throws {
        // Products A and B each arrive every 110 s, at the same instants, A first. The machine
        // takes 20 s per unit and 30 s to change over either way, so every 110 s it does
        // setup 30 + A 20 + setup 30 + B 20 = 100 s of work: busy 40/110, setup 60/110,
        // idle 10/110, throughput 2/110 per second. (Its capacity when alternating is
        // 3600 / 100 = 36 pairs per hour.) Everything is deterministic, so the shares are exact.
        let machine = Station(
            name: "placer", cycle: Layouts.const(20), setupTimes: [[0, 30], [30, 0]])
        let layout = PlantLayout(
            products: [
                Product(name: "A", route: [RouteStep(station: 0)]),
                Product(name: "B", route: [RouteStep(station: 0)]),
            ],
            stations: [machine],
            sources: [
                Source(product: 0, arrivals: .process(Layouts.const(110))),
                Source(product: 1, arrivals: .process(Layouts.const(110))),
            ])
        let result = try PlantRun.replicate(layout, warmup: 1_100, runLength: 110_000, seed: 1, replication: 0)
        let share = result.stations[0].stateShare
        #expect(abs(share[MachineState.busy.rawValue] - 40.0 / 110) < 1e-9)
        #expect(abs(share[MachineState.setup.rawValue] - 60.0 / 110) < 1e-9)
        #expect(abs(share[MachineState.idle.rawValue] - 10.0 / 110) < 1e-9)
        #expect(result.shipped == 2_000)
    }

    @Test("rework and scrap fractions match the defect, detection and rework probabilities")
    func reworkAndScrap() throws {
        // Soldering creates a defect with p = 0.2; inspection finds it with 0.9; rework fixes
        // it but adds a defect of its own with 0.25; one rework at most. Per unit released:
        //   reworked         0.2 × 0.9                     = 0.18
        //   scrapped         0.18 × (0.25 × 0.9)           = 0.0405
        //   shipped defective 0.2 × 0.1 + 0.18 × 0.25 × 0.1 = 0.0245
        let layout = PlantLayout(
            products: [Product(name: "board", route: [RouteStep(station: 0), RouteStep(station: 1)])],
            stations: [
                Station(
                    name: "solder", cycle: Layouts.exp(1), defects: [DefectCreation(defect: 0, probability: 0.2)]),
                Station(
                    name: "inspect", cycle: Layouts.exp(0.5),
                    inspection: Inspection(detects: [(defect: 0, probability: 0.9)], reworkStation: 2, maxReworks: 1)),
                Station(
                    name: "rework", cycle: Layouts.exp(2), defects: [DefectCreation(defect: 0, probability: 0.25)]),
            ],
            sources: [Source(product: 0, arrivals: .process(Layouts.exp(1.6)))],
            defectTypes: ["bridge"])
        let results = try replicate(layout, replications: 5, warmup: 1_000, runLength: 400_000)
        let released = Double(results.map(\.released).reduce(0, +))
        // Binomial standard deviation of each count over all released units; allow 4.5 of them.
        func check(_ count: Int, _ p: Double, _ label: String) {
            let tolerance = 4.5 * (released * p * (1 - p)).squareRoot()
            #expect(abs(Double(count) - released * p) <= tolerance, "\(label): \(count) of \(released)")
        }
        check(results.map(\.reworks).reduce(0, +), 0.18, "reworked")
        check(results.map(\.scrapped).reduce(0, +), 0.0405, "scrapped")
        check(results.map(\.shippedDefective).reduce(0, +), 0.0245, "shipped defective")
    }
}
