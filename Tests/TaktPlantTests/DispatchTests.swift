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
