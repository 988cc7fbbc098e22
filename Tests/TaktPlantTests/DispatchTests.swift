import Testing
import TaktKernel
import TaktPlant

/// A dispatching rule for the test: product 0 first, then first in first out.
struct ProductZeroFirst: PlantController {
    static var observesPlant: Bool { true }
    static var dispatches: Bool { true }
    var started: [Int] = []
    var productOfSerial: [Int: Int32] = [:]

    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        switch observation {
        case .unitReleased(let serial, let product): productOfSerial[serial] = product
        case .processingStarted(let serial, _): started.append(serial)
        default: break
        }
    }

    mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int {
        (0..<waiting.count).first { waiting.product(at: $0) == 0 } ?? 0
    }
}

@Suite("Dispatching through the controller")
struct DispatchTests {
    /// Product 0 arrives every 3 s, product 1 every 4 s; one machine takes 10 s per unit, so a
    /// queue of both builds up.
    static let layout = PlantLayout(
        products: [
            Product(name: "a", route: [RouteStep(station: 0)]), Product(name: "b", route: [RouteStep(station: 0)]),
        ],
        stations: [Station(name: "s", cycle: Layouts.const(10))],
        sources: [
            Source(product: 0, arrivals: .process(Layouts.const(3))),
            Source(product: 1, arrivals: .process(Layouts.const(4))),
        ])

    @Test("a controller's rule picks which waiting unit a free machine takes")
    func ruleDecides() throws {
        let simulation = try run(Self.layout, ProductZeroFirst(), until: 60)
        let controller = simulation.model.controller
        let products = controller.started.map { controller.productOfSerial[$0] }
        #expect(products == Array(repeating: 0, count: products.count))
        #expect(products.count == 6)
    }

    @Test("without a rule the longest-waiting unit goes first")
    func firstInFirstOut() throws {
        let simulation = try run(Self.layout, ObservationLog(), until: 60)
        let started = simulation.model.controller.entries.compactMap { entry -> Int? in
            if case .processingStarted(let serial, _) = entry.observation { serial } else { nil }
        }
        #expect(started == started.sorted())
        #expect(started.count == 6)
    }
}

/// A first-in-first-out rule that records what the controller hears of machine states.
struct StateLog: PlantController {
    static var observesPlant: Bool { true }
    static var dispatches: Bool { true }
    var changes: [(time: Double, machine: Int32, from: MachineState, to: MachineState)] = []

    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        if case .machineStateChanged(let machine, let from, let to, _) = observation {
            changes.append((time, machine, from, to))
        }
    }

    mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int { 0 }
}

@Suite("Machine states a dispatching controller hears of")
struct DeferredStateReportTests {
    @Test("a machine that takes a waiting unit in the instant it freed reports no idle spell")
    func noZeroLengthIdleSpell() throws {
        // One machine, 10 s per unit, a unit every 3 s: from t = 3 on a unit always waits.
        let layout = Layouts.line(
            [Station(name: "s", cycle: Layouts.const(10))], arrivals: .process(Layouts.const(3)))
        var simulation = try run(layout, StateLog(), until: 60)
        let changes = simulation.model.controller.changes
        #expect(changes.count == 1)
        #expect(changes.first?.time == 3 && changes.first?.from == .idle && changes.first?.to == .busy)
        // The plant's own accounting still has the machine busy from t = 3 on.
        let results = simulation.model.results(at: 60)
        #expect(abs(results.stations[0].utilisation - 57.0 / 60) < 1e-12)
    }

    @Test("a machine still idle at the end of the instant is reported idle then, from the state last reported")
    func idleAtTheEndOfTheInstantIsReported() throws {
        // Machine 0 finishes product a at t = 11 and idles; machine 1 works product b from
        // t = 2 to 25. At t = 25 a unit of b arrives first (so machine 0 is to take it at the
        // end of the instant), then machine 1 frees with that unit waiting: it is left idle.
        var onceAt1 = Source(product: 0, arrivals: .process(Layouts.const(1)))
        onceAt1.limit = 1
        var onceAt2 = Source(product: 1, arrivals: .process(Layouts.const(2)))
        onceAt2.limit = 1
        let layout = PlantLayout(
            products: [
                Product(name: "a", route: [RouteStep(station: 0)]), Product(name: "b", route: [RouteStep(station: 0)]),
            ],
            stations: [
                Station(name: "s", machines: 2, cycle: Layouts.const(10), cycleByProduct: [1: Layouts.const(23)])
            ],
            sources: [onceAt1, onceAt2, Source(product: 1, arrivals: .process(Layouts.const(25)))])
        let simulation = try run(layout, StateLog(), until: 30)
        let second = simulation.model.controller.changes.filter { $0.machine == 1 }
        #expect(second.map(\.time) == [2, 25])
        #expect(second.last?.from == .busy && second.last?.to == .idle)
        let first = simulation.model.controller.changes.filter { $0.machine == 0 }
        #expect(first.map(\.time) == [1, 11, 25])
    }
}
