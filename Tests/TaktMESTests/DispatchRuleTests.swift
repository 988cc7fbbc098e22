import Testing
import TaktKernel
import TaktMES
import TaktPlant

@Suite("Dispatching rules")
struct DispatchRuleTests {
    /// One machine; p0 takes 10 s, p1 30 s, p2 20 s. Four orders arrive at time 0 and are pushed
    /// in id order: A (p1) starts at once; at t = 30 three wait, oldest first:
    /// B (p2, 20 s, due 300), C (p0, 10 s, due 400), D (p1, 30 s, due 100).
    static let layout: PlantLayout = {
        let route = [RouteStep(station: 0)]
        let cycle = try! Distribution.constant(10)
        return PlantLayout(
            products: [
                Product(name: "p0", route: route), Product(name: "p1", route: route), Product(name: "p2", route: route),
            ],
            stations: [
                Station(name: "s", cycle: cycle, cycleByProduct: [1: try! .constant(30), 2: try! .constant(20)])
            ],
            sources: [])
    }()

    static let book = [
        WorkOrder(id: 0, product: 1, quantity: 1, arrival: 0, due: 1_000),  // A
        WorkOrder(id: 1, product: 2, quantity: 1, arrival: 0, due: 300),  // B
        WorkOrder(id: 2, product: 0, quantity: 1, arrival: 0, due: 400),  // C
        WorkOrder(id: 3, product: 1, quantity: 1, arrival: 0, due: 100),  // D
    ]

    /// The order started second (at t = 30) under `rule`.
    static func secondStarted<Rule: DispatchRule>(_ rule: Rule, book: [WorkOrder] = book) throws -> Int? {
        let simulation = try runMES(
            layout, MESSettings(generation: nil, orderBook: book, release: .push), rule: rule, until: 31)
        return simulation.model.controller.book.orders.first { $0.enteredState[WorkOrderState.running.rawValue] == 30 }?
            .id
    }

    @Test("FIFO takes the unit that has waited longest: B")
    func fifo() throws { #expect(try Self.secondStarted(FIFORule()) == 1) }

    @Test("SPT takes the shortest processing time: C (10 s)")
    func spt() throws { #expect(try Self.secondStarted(SPTRule()) == 2) }

    @Test("LPT takes the longest processing time: D (30 s)")
    func lpt() throws { #expect(try Self.secondStarted(LPTRule()) == 3) }

    @Test("EDD takes the earliest due date: D (due 100)")
    func edd() throws { #expect(try Self.secondStarted(EDDRule()) == 3) }

    @Test("critical ratio: B 270/20 = 13.5, C 370/10 = 37, D 70/30 = 2.3 — takes D")
    func criticalRatio() throws { #expect(try Self.secondStarted(CriticalRatioRule()) == 3) }

    @Test("minimum slack: B 250, C 360, D 40 — takes D")
    func minimumSlack() throws { #expect(try Self.secondStarted(MinimumSlackRule()) == 3) }

    @Test("ATC weighs urgency against length: D's small slack wins")
    func atc() throws { #expect(try Self.secondStarted(ATCRule(k: 2)) == 3) }

    @Test("setup-aware takes the machine's last product (p1, after A) first: D, where FIFO takes B")
    func setupAware() throws { #expect(try Self.secondStarted(SetupAwareRule(base: FIFORule())) == 3) }

    @Test("ties go to the unit that has waited longest")
    func ties() throws {
        // B and C both due at 300 under EDD: B waited longer.
        var book = Self.book
        book[2] = WorkOrder(id: 2, product: 0, quantity: 1, arrival: 0, due: 300)
        book[3] = WorkOrder(id: 3, product: 1, quantity: 1, arrival: 0, due: 900)
        #expect(try Self.secondStarted(EDDRule(), book: book) == 1)
    }
}
