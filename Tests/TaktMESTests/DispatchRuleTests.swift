import Testing
import TaktKernel
import TaktMES
import TaktPlant

@Suite("Dispatching rules")
struct DispatchRuleTests {
    /// One machine; p0 takes 10 s, p1 30 s, p2 20 s. Four orders arrive at time 0 and are pushed
    /// in id order; the machine chooses at the end of the instant, among all four:
    /// A (p1, 30 s, due 1000), B (p2, 20 s, due 300), C (p0, 10 s, due 400), D (p1, 30 s, due 100).
    static let layout: PlantLayout = {
        let route = [RouteStep(station: 0)]
        let cycle = try! Distribution.constant(10)
        return PlantLayout(
            products: ["p0", "p1", "p2"].map { Product(name: $0, route: route) },
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

    /// The orders in the order they started under `rule`, as letters.
    static func startOrder<Rule: DispatchRule>(
        _ rule: Rule, book: [WorkOrder] = book, ties: DispatchTieBreak = .arrival
    ) throws -> String {
        var settings = MESSettings(generation: nil, orderBook: book, release: .push)
        settings.dispatchTies = ties
        let simulation = try runMES(layout, settings, rule: rule, until: 200)
        func start(_ order: WorkOrder) -> Double { order.enteredState[WorkOrderState.running.rawValue] ?? .infinity }
        let started = simulation.model.controller.book.orders.sorted { start($0) < start($1) }
        return String(started.map { Character(UnicodeScalar(UInt8(65 + $0.id))) })
    }

    @Test("FIFO: in order of arrival — A B C D")
    func fifo() throws { #expect(try Self.startOrder(FIFORule()) == "ABCD") }

    @Test("SPT: C (10 s), B (20 s), then A and D (30 s each; A has waited longer)")
    func spt() throws { #expect(try Self.startOrder(SPTRule()) == "CBAD") }

    @Test("LPT: A and D (30 s; A first), B (20 s), C (10 s)")
    func lpt() throws { #expect(try Self.startOrder(LPTRule()) == "ADBC") }

    @Test("EDD: D (100), B (300), C (400), A (1000)")
    func edd() throws { #expect(try Self.startOrder(EDDRule()) == "DBCA") }

    @Test("critical ratio: D (100/30) at 0; B (270/20) at 30; A (950/30 < C 350/10) at 50; C")
    func criticalRatio() throws { #expect(try Self.startOrder(CriticalRatioRule()) == "DBAC") }

    @Test("minimum slack: D (70) at 0; B (250) at 30; C (340 < A 920) at 50; A")
    func minimumSlack() throws { #expect(try Self.startOrder(MinimumSlackRule()) == "DBCA") }

    @Test("ATC: D at 0 (smallest slack); B at 30; C at 50 (A's slack of 920 s dwarfs its cost); A")
    func atc() throws { #expect(try Self.startOrder(ATCRule(k: 2)) == "DBCA") }

    @Test("setup-aware: nothing ran before, so FIFO takes A (p1); then D, the other p1, before B and C")
    func setupAware() throws { #expect(try Self.startOrder(SetupAwareRule(base: FIFORule())) == "ADBC") }

    @Test("ties go to the unit that has waited longest")
    func ties() throws {
        // EDD with B and C both due at 300 (and D at 900): B, which arrived first, goes first.
        var book = Self.book
        book[2] = WorkOrder(id: 2, product: 0, quantity: 1, arrival: 0, due: 300)
        book[3] = WorkOrder(id: 3, product: 1, quantity: 1, arrival: 0, due: 900)
        #expect(try Self.startOrder(EDDRule(), book: book) == "BCDA")
    }

    /// C (order 2) arrives at 0 and starts; B (order 1) arrives at 1, A (order 0) at 5, both
    /// waiting when C ends at 10.
    static let staggered = [
        WorkOrder(id: 0, product: 1, quantity: 1, arrival: 5, due: 1_000),  // A
        WorkOrder(id: 1, product: 2, quantity: 1, arrival: 1, due: 1_000),  // B
        WorkOrder(id: 2, product: 0, quantity: 1, arrival: 0, due: 1_000),  // C
    ]

    @Test("ties by arrival: B, which came first, before A")
    func tiesByArrival() throws {
        #expect(try Self.startOrder(FIFORule(), book: Self.staggered, ties: .arrival) == "CBA")
    }

    @Test("ties by job: A (order 0) before B (order 1), whatever their arrival")
    func tiesByJob() throws {
        #expect(try Self.startOrder(FIFORule(), book: Self.staggered, ties: .job) == "CAB")
    }

    @Test("ties by release: B was released (pushed on arrival) before A")
    func tiesByRelease() throws {
        #expect(try Self.startOrder(FIFORule(), book: Self.staggered, ties: .release) == "CBA")
    }

    @Test("fcfs-operation: every unit waits for its first operation, so ties decide (by job: A B C D)")
    func fcfsOperation() throws {
        // All four at time 0, each at step 0 of its route: the key ties everywhere.
        #expect(try Self.startOrder(FCFSOperationRule(), ties: .job) == "ABCD")
    }
}
