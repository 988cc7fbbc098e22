import Testing
import TaktKernel
import TaktPlant

/// A controller that runs a script: on the n-th observation matching `trigger`, send commands.
struct ScriptedController: PlantController {
    static var observesPlant: Bool { true }
    var onFirstFinish: [PlantCommand]
    var onTimer: [Int32: [PlantCommand]] = [:]
    var log: [(time: Double, observation: PlantObservation)] = []
    private var fired = false

    init(onFirstFinish: [PlantCommand], onTimer: [Int32: [PlantCommand]] = [:]) {
        self.onFirstFinish = onFirstFinish
        self.onTimer = onTimer
    }

    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        log.append((time, observation))
        if case .processingFinished = observation, !fired {
            fired = true
            commands += onFirstFinish
        }
    }

    mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        commands += onTimer[tag] ?? []
    }

    var finishTimes: [Double] {
        log.compactMap { if case .processingFinished = $0.observation { $0.time } else { nil } }
    }
}

func run<C: PlantController>(_ layout: PlantLayout, _ controller: C, until end: Double) throws -> Simulation<Plant<C>> {
    var plant = try Plant(layout: layout, controller: controller, seed: 1, replication: 0)
    var calendar = EventCalendar<PlantEvent>()
    plant.start(calendar: &calendar)
    var simulation = Simulation(model: plant, calendar: calendar)
    simulation.run(until: end)
    return simulation
}

@Suite("Plant behaviour")
struct PlantBehaviourTests {
    static let press = Layouts.line([Station(name: "press", cycle: Layouts.const(60))])

    @Test("conservation: released = shipped + scrapped + in process, at every instant")
    func conservation() throws {
        let layout = PlantLayout(
            products: [
                Product(name: "p", route: [RouteStep(station: 0), RouteStep(station: 1), RouteStep(station: 2)])
            ],
            stations: [
                Station(
                    name: "a", machines: 2, cycle: Layouts.exp(1.5), inputCapacity: 2,
                    failures: Failures(
                        between: Layouts.exp(50), repair: Layouts.exp(5), clock: .calendarTime, technicianPool: 0),
                    defects: [DefectCreation(defect: 0, probability: 0.3)]),
                Station(
                    name: "b", cycle: Layouts.exp(0.8), inputCapacity: 1,
                    inspection: Inspection(detects: [(defect: 0, probability: 0.8)], reworkStation: 3, maxReworks: 2)),
                Station(
                    name: "c", cycle: Layouts.exp(0.9), inputCapacity: 0,
                    failures: Failures(between: Layouts.exp(30), repair: Layouts.exp(4), technicianPool: 0)),
                Station(name: "fix", cycle: Layouts.exp(2), defects: [DefectCreation(defect: 0, probability: 0.3)]),
            ],
            sources: [Source(product: 0, arrivals: .process(Layouts.exp(1)))],
            defectTypes: ["d"], technicianPools: [TechnicianPool(name: "tech", size: 1)])
        var simulation = try PlantRun.simulation(layout, seed: 9)
        for step in 1...200 {
            simulation.run(until: Double(step) * 97.3)
            let counts = simulation.model.lifetimeCounts
            #expect(counts.released == counts.shipped + counts.scrapped + simulation.model.unitsInProcess)
        }
        let counts = simulation.model.lifetimeCounts
        #expect(counts.shipped > 5_000 && counts.scrapped > 0)
    }

    @Test("a held machine finishes its unit, stays in planned stop, and works again when released")
    func holdAndRelease() throws {
        // Unit 1 finishes at 60; the hold stops the machine until the timer releases it at 560;
        // unit 2 then takes 560–620.
        let controller = ScriptedController(
            onFirstFinish: [.holdMachine(0), .setTimer(tag: 1, delay: 500)], onTimer: [1: [.releaseMachine(0)]])
        var simulation = try run(Self.press, controller, until: 700)
        #expect(simulation.model.controller.finishTimes == [60, 620, 680])
        let result = simulation.model.results(at: 700)
        #expect(abs(result.stations[0].stateShare[MachineState.plannedStop.rawValue] * 700 - 500) < 1e-9)
    }

    @Test("planned maintenance starts after the current unit and lasts its duration")
    func maintenance() throws {
        let controller = ScriptedController(onFirstFinish: [.startMaintenance(machine: 0, duration: 300, planned: true)]
        )
        let simulation = try run(Self.press, controller, until: 500)
        #expect(simulation.model.controller.finishTimes == [60, 420, 480])
    }

    @Test("a machine that fails after a number of units goes down once the last of them is done")
    func unitCountFailures() throws {
        let layout = Layouts.line([
            Station(
                name: "press", cycle: Layouts.const(10),
                failures: Failures(between: Layouts.const(1), repair: Layouts.const(5), clock: .units(3)))
        ])
        let simulation = try run(layout, ScriptedController(onFirstFinish: []), until: 76)
        #expect(simulation.model.controller.finishTimes == [10, 20, 30, 45, 55, 65])
    }

    @Test("a repair waits for a free technician from the pool")
    func technicianPool() throws {
        // Both machines fail at t = 100 (calendar clock); one technician: the first repair ends
        // at 130, the second starts then and ends at 160.
        let layout = Layouts.line([
            Station(
                name: "pair", machines: 2, cycle: Layouts.const(1_000),
                failures: Failures(
                    between: Layouts.const(100), repair: Layouts.const(30), clock: .calendarTime, technicianPool: 0))
        ])
        var withPool = layout
        withPool.technicianPools = [TechnicianPool(name: "tech", size: 1)]
        let simulation = try run(withPool, ScriptedController(onFirstFinish: []), until: 170)
        let backToWork = simulation.model.controller.log.compactMap { entry -> Double? in
            if case .machineStateChanged(_, .down, .busy, _) = entry.observation { entry.time } else { nil }
        }
        #expect(backToWork == [130, 160])
    }

    @Test("energy is power × time in each state: 60% busy at 4.5 kW and 40% idle at 1.2 kW")
    func energy() throws {
        let layout = Layouts.line(
            [Station(name: "oven", cycle: Layouts.const(60), power: PowerDraw(busy: 4.5, idle: 1.2))],
            arrivals: .process(Layouts.const(100)))
        let result = try PlantRun.replicate(layout, warmup: 1_000, runLength: 100_000, seed: 1, replication: 0)
        // (0.6 × 4.5 + 0.4 × 1.2) kW × 100,000 s / 3,600 s/h = 88.333… kWh, over the 1,000
        // units shipped in the window.
        #expect(abs(result.stations[0].energyKilowattHours - 3.18 * 100_000 / 3_600) < 1e-9)
        #expect(result.goodShipped == 1_000)
        #expect(abs(result.energyPerGoodUnitKilowattHours - 3.18 * 100 / 3_600) < 1e-12)
        #expect(abs(result.energyPerGoodUnitKilowattHours(station: 0) - 3.18 * 100 / 3_600) < 1e-12)
    }

    @Test("a measurement drifts with operating hours and an adjustment resets the drift")
    func measurementDrift() throws {
        // One unit per operating hour; the mean drifts +0.2 per hour; no noise. The first
        // finish triggers an adjustment, so the second unit starts from the nominal again.
        let layout = Layouts.line([
            Station(
                name: "printer", cycle: Layouts.const(3_600),
                measurement: Measurement(name: "paste", nominal: 120, sd: 0, driftPerHour: 0.2))
        ])
        let controller = ScriptedController(onFirstFinish: [.adjustProcess(station: 0)])
        let simulation = try run(layout, controller, until: 4 * 3_600 + 1)
        let values = simulation.model.controller.log.compactMap { entry -> Double? in
            if case .measured(_, _, let value) = entry.observation { value } else { nil }
        }
        #expect(values.count == 4)
        for (value, expected) in zip(values, [120.2, 120.2, 120.4, 120.6]) {
            #expect(abs(value - expected) < 1e-9)
        }
    }

    @Test("with nobody listening and the same seed, two runs give identical results")
    func determinism() throws {
        let layout = Layouts.line(
            [
                Station(name: "a", cycle: Layouts.exp(1), inputCapacity: 2),
                Station(
                    name: "b", cycle: Layouts.exp(0.9),
                    failures: Failures(between: Layouts.exp(100), repair: Layouts.exp(10))),
            ], arrivals: .process(Layouts.exp(1.2)))
        let first = try PlantRun.replicate(layout, warmup: 100, runLength: 10_000, seed: 5, replication: 2)
        let second = try PlantRun.replicate(layout, warmup: 100, runLength: 10_000, seed: 5, replication: 2)
        let other = try PlantRun.replicate(layout, warmup: 100, runLength: 10_000, seed: 6, replication: 2)
        #expect(first == second)
        #expect(first != other)
    }
}
