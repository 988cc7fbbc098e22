import Testing
import TaktKernel
import TaktMES
import TaktPlant

/// A two-station line fed only by the MES's releases.
func releasedLine(products: Int = 1) throws -> PlantLayout {
    let route = [RouteStep(station: 0), RouteStep(station: 1)]
    return PlantLayout(
        products: (0..<products).map { Product(name: "p\($0)", route: route) },
        stations: [
            Station(name: "a", cycle: try .exponential(mean: 50)),
            Station(name: "b", cycle: try .exponential(mean: 55), inputCapacity: 3),
        ],
        sources: [])
}

/// Runs `layout` under an MES with `settings` until `end`, checking `check` at every event.
func runMES<Rule: DispatchRule>(
    _ layout: PlantLayout, _ settings: MESSettings, rule: Rule, until end: Double,
    check: (MES<Rule>, Plant<MES<Rule>>) -> Void = { _, _ in }
) throws -> Simulation<Plant<MES<Rule>>> {
    let mes = try MES(
        layout: layout, settings: settings, rule: rule, idealCycle: layout.stations.map(\.cycle.mean), seed: 3,
        replication: 0)
    var plant = try Plant(layout: layout, controller: mes, seed: 3, replication: 0)
    var calendar = EventCalendar<PlantEvent>()
    plant.start(calendar: &calendar)
    var simulation = Simulation(model: plant, calendar: calendar)
    while simulation.now < end, simulation.run(events: 1) == .reachedEventLimit {
        check(simulation.model.controller, simulation.model)
    }
    return simulation
}

@Suite("Order release")
struct ReleaseTests {
    static func generated(products: Int = 1) throws -> OrderGeneration {
        OrderGeneration(
            interarrival: try .exponential(mean: 600), quantity: try .uniform(min: 5, max: 15),
            dueIn: try .constant(7_200),
            mix: (0..<products).map { (Int32($0), 1.0 / Double(products)) })
    }

    @Test("CONWIP never lets more units into the plant than its cap, and does reach it")
    func conwipCap() throws {
        var worst = 0
        let simulation = try runMES(
            releasedLine(), MESSettings(generation: try Self.generated(), release: .conwip(cap: 6)), rule: FIFORule(),
            until: 200_000
        ) { mes, plant in
            worst = max(worst, plant.unitsInProcess)
            #expect(mes.workInProcess == plant.unitsInProcess)
        }
        #expect(worst == 6)
        #expect(simulation.model.controller.maximumWorkInProcess == 6)
        #expect(simulation.model.controller.book.orders.filter { $0.state == .completed }.count > 100)
    }

    @Test("kanban cards are conserved: in use plus free is always the loop's card count")
    func kanbanCards() throws {
        let cards = [3, 2]
        let simulation = try runMES(
            releasedLine(products: 2),
            MESSettings(generation: try Self.generated(products: 2), release: .kanban(cards: cards)),
            rule: FIFORule(), until: 200_000
        ) { mes, plant in
            for p in 0..<2 { #expect(mes.cardsInUse[p] >= 0 && mes.cardsInUse[p] <= cards[p]) }
            #expect(mes.cardsInUse.reduce(0, +) == plant.unitsInProcess)
        }
        #expect(simulation.model.controller.cardsInUse.reduce(0, +) <= 5)
    }

    @Test("push releases every unit of an order the moment it arrives")
    func push() throws {
        let simulation = try runMES(
            releasedLine(), MESSettings(generation: try Self.generated(), release: .push), rule: FIFORule(),
            until: 50_000)
        let mes = simulation.model.controller
        for order in mes.book.orders {
            let releaseTimes = mes.releases.filter { $0.order == order.id }.map(\.time)
            #expect(releaseTimes.count == order.quantity)
            #expect(releaseTimes.allSatisfy { $0 == order.arrival })
        }
    }

    @Test("a fixed schedule releases each order at its due date less the planned lead time")
    func schedule() throws {
        let book = [
            WorkOrder(id: 0, product: 0, quantity: 2, arrival: 0, due: 5_000),
            WorkOrder(id: 1, product: 0, quantity: 3, arrival: 100, due: 1_000),
        ]
        let simulation = try runMES(
            releasedLine(), MESSettings(generation: nil, orderBook: book, release: .schedule(leadTime: 2_000)),
            rule: FIFORule(), until: 20_000)
        let releases = simulation.model.controller.releases
        #expect(releases.filter { $0.order == 0 }.map(\.time) == [3_000, 3_000])
        // Due 1000 − 2000 is before its arrival at 100: released on arrival.
        #expect(releases.filter { $0.order == 1 }.map(\.time) == [100, 100, 100])
        #expect(simulation.model.controller.book.orders.allSatisfy { $0.state == .completed })
    }
}
