import Testing
import TaktKernel
import TaktPlant

/// Sends each command at its time and logs every observation.
struct ScriptedCommands: PlantController {
    static var observesPlant: Bool { true }
    let script: [(time: Double, command: PlantCommand)]
    var entries: [(time: Double, observation: PlantObservation)] = []

    init(_ script: [(time: Double, command: PlantCommand)]) { self.script = script }

    mutating func start(at time: Double, commands: inout [PlantCommand]) {
        for (tag, step) in script.enumerated() { commands.append(.setTimer(tag: Int32(tag), delay: step.time - time)) }
    }

    mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        commands.append(script[Int(tag)].command)
    }

    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        entries.append((time, observation))
    }

    /// When `serial` started processing on `machine`, in order.
    func starts(of serial: Int, on machine: Int32) -> [Double] {
        entries.compactMap { entry in
            if case .processingStarted(serial, machine) = entry.observation { entry.time } else { nil }
        }
    }

    /// When the first observation matching `observation` came, if it did.
    func time(of observation: PlantObservation) -> Double? {
        entries.first { $0.observation == observation }?.time
    }
}

@Suite("Holding and releasing single units")
struct UnitHoldTests {
    /// An unlimited source feeds station a (10 s per unit, machine 0) then b (30 s, machine 1):
    /// unit n leaves a at 10n and b is the bottleneck, so units queue in b's buffer.
    static let line = Layouts.line([
        Station(name: "a", cycle: Layouts.const(10), inputCapacity: 0),
        Station(name: "b", cycle: Layouts.const(30)),
    ])

    /// The same, but b has no buffer places: a blocks while b works.
    static let blockingLine = Layouts.line([
        Station(name: "a", cycle: Layouts.const(10), inputCapacity: 0),
        Station(name: "b", cycle: Layouts.const(30), inputCapacity: 0),
    ])

    @Test("a unit held in a buffer starts nothing until released, then rejoins the buffer's end")
    func heldInBuffer() throws {
        // At 45, unit 3 (arrived at b at 30) waits behind unit 2 (on b since 40).
        let script = ScriptedCommands([(45, .holdUnit(serial: 3)), (200, .releaseUnitHold(serial: 3))])
        let simulation = try run(Self.line, script, until: 400)
        let log = simulation.model.controller
        #expect(log.time(of: .unitHeld(serial: 3, station: 1)) == 45)
        #expect(log.starts(of: 4, on: 1) == [70])
        #expect(log.time(of: .unitHoldReleased(serial: 3)) == 200)
        // Back at 200 behind units 4…19 (unit 19 reached b at 190, unit 20 comes at 200 but
        // after the release): b runs units 4–19 from 70 to 550, so unit 3 is not started by 400.
        #expect(log.starts(of: 3, on: 1).isEmpty)
        #expect(simulation.model.unitsOnHold.isEmpty)
    }

    @Test("a unit held in process finishes its operation, then waits in the hold area and never ships")
    func heldInProcess() throws {
        let script = ScriptedCommands([(15, .holdUnit(serial: 1))])
        let simulation = try run(Self.line, script, until: 1_000)
        let log = simulation.model.controller
        #expect(log.time(of: .unitHeld(serial: 1, station: 1)) == 40)
        #expect(log.time(of: .unitShipped(serial: 1, defective: false)) == nil)
        #expect(log.starts(of: 2, on: 1) == [40])
        #expect(simulation.model.unitsOnHold == [1])
    }

    @Test("a held unit whose last operation is done ships when its hold is released")
    func releasedToShipping() throws {
        let script = ScriptedCommands([(15, .holdUnit(serial: 1)), (500, .releaseUnitHold(serial: 1))])
        let simulation = try run(Self.line, script, until: 1_000)
        #expect(simulation.model.controller.time(of: .unitShipped(serial: 1, defective: false)) == 500)
    }

    @Test("holding a finished unit blocked on its machine frees the machine at once")
    func heldWhileBlocked() throws {
        // Unit 2 finishes on a at 20 and blocks a: b works on unit 1 until 40.
        let script = ScriptedCommands([(25, .holdUnit(serial: 2)), (105, .releaseUnitHold(serial: 2))])
        let simulation = try run(Self.blockingLine, script, until: 400)
        let log = simulation.model.controller
        #expect(log.time(of: .unitHeld(serial: 2, station: 0)) == 25)
        #expect(log.starts(of: 3, on: 0) == [25])
        #expect(log.starts(of: 3, on: 1) == [40])
        // b runs units 1, 3, 4, 5 from 10, 40, 70, 100. Released at 105 into b's buffer,
        // beyond its zero places, unit 2 starts when unit 5 is done, ahead of the blocked unit 6.
        #expect(log.starts(of: 2, on: 1) == [130])
        #expect(log.starts(of: 6, on: 1) == [160])
    }

    @Test("releasing a hold before the operation ends cancels it")
    func cancelledHold() throws {
        let script = ScriptedCommands([(15, .holdUnit(serial: 1)), (20, .releaseUnitHold(serial: 1))])
        let simulation = try run(Self.line, script, until: 100)
        let log = simulation.model.controller
        #expect(log.time(of: .unitShipped(serial: 1, defective: false)) == 40)
        #expect(!log.entries.contains { $0.observation == .unitHeld(serial: 1, station: 1) })
    }

    @Test("a held unit in a batch leaves the batch for the hold area when the batch is done")
    func heldInBatch() throws {
        // An oven of 3 units, 50 s, behind a 10 s station: the first batch (units 1–3) runs 30–80.
        let layout = Layouts.line([
            Station(name: "a", cycle: Layouts.const(10), inputCapacity: 0),
            Station(name: "oven", cycle: Layouts.const(50), batch: BatchRule(capacity: 3, maxWait: 1_000)),
        ])
        let script = ScriptedCommands([(40, .holdUnit(serial: 2))])
        let simulation = try run(layout, script, until: 100)
        let log = simulation.model.controller
        #expect(log.time(of: .unitHeld(serial: 2, station: 1)) == 80)
        #expect(log.time(of: .unitShipped(serial: 1, defective: false)) == 80)
        #expect(log.time(of: .unitShipped(serial: 3, defective: false)) == 80)
        #expect(simulation.model.unitsOnHold == [2])
    }

    @Test("the live WIP snapshot places every unit in the plant exactly once")
    func snapshotAccountsForEveryUnit() throws {
        let layout = Layouts.line(
            [
                Station(name: "a", cycle: Layouts.exp(9), inputCapacity: 2),
                Station(name: "b", machines: 2, cycle: Layouts.exp(19), inputCapacity: 3),
                Station(name: "oven", cycle: Layouts.exp(25), batch: BatchRule(capacity: 3, maxWait: 60)),
            ], arrivals: .process(Layouts.exp(10)))
        var steps: [(time: Double, command: PlantCommand)] = []
        for time in stride(from: 100.0, to: 5_000, by: 100) {
            let serial = Int(time / 20)
            steps.append((time, .holdUnit(serial: serial)))
            steps.append((time + 250, .releaseUnitHold(serial: serial)))
        }
        let script = ScriptedCommands(steps)
        var plant = try Plant(layout: layout, controller: script, seed: 7, replication: 0)
        var calendar = EventCalendar<PlantEvent>(reservingCapacity: 64)
        plant.start(calendar: &calendar)
        var simulation = Simulation(model: plant, calendar: calendar)
        var heldSeen = 0
        for instant in stride(from: 37.0, to: 6_000, by: 37) {
            simulation.run(until: instant)
            let snapshot = simulation.model.workInProcess()
            #expect(snapshot.total == simulation.model.unitsInProcess)
            #expect(snapshot.units.count == snapshot.total)
            #expect(Set(snapshot.units.map { $0.serial }).count == snapshot.total)
            #expect(snapshot.onHold == simulation.model.unitsOnHold.count)
            heldSeen += snapshot.onHold
        }
        let counts = simulation.model.lifetimeCounts
        #expect(counts.released - counts.shipped - counts.scrapped == simulation.model.unitsInProcess)
        #expect(heldSeen > 0)
    }
}
