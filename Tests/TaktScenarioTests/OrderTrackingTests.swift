import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Reads `yaml` with `book` as its `orders.csv`, in a directory of its own.
func scenarioWithBook(_ yaml: String, book: String, overrides: [String] = []) throws -> Scenario {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-book-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try book.write(to: directory.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
    return try ScenarioReader.parse(yaml: yaml, file: "t.yaml", directory: directory.path, overrides: overrides)
}

@Suite("Order tracking per product and live WIP by order")
struct OrderTrackingTests {
    /// One machine, 1 h per unit of `a` and 2 h per unit of `b`; both orders arrive at 0, due at 3 h,
    /// and are released at once, first in first out. By hand: a's units run 0–1 h and 1–2 h,
    /// b's unit 2–4 h. So a: lead time 2 h, lateness −1 h, on time; b: lead time 4 h,
    /// lateness and tardiness +1 h, late.
    static let twoProducts = """
        name: two-products
        horizon: 10h
        replications: 2
        stations:
          - { id: press, cycle: { default: const(1h), b: const(2h) } }
        products:
          - { id: a, route: [press] }
          - { id: b, route: [press] }
        mes:
          orders: { book: orders.csv }
          release: push
          dispatch: fifo
        """

    @Test("lead time, lateness, tardiness and on-time delivery are reported per product")
    func perProductFigures() async throws {
        let scenario = try scenarioWithBook(Self.twoProducts, book: "product,quantity,due\na,2,3h\nb,1,3h\n")
        let results = try await Experiment.run(scenario)
        let expected: [(String, Double)] = [
            ("order_lead_time[a]", 2), ("order_lead_time[b]", 4), ("order_lead_time", 3),
            ("order_lateness[a]", -1), ("order_lateness[b]", 1), ("order_tardiness[a]", 0),
            ("order_tardiness[b]", 1), ("on_time_delivery[a]", 1), ("on_time_delivery[b]", 0),
            ("on_time_delivery", 0.5), ("orders_completed[a]", 1), ("orders_completed[b]", 1),
        ]
        for (name, value) in expected {
            #expect(results.kpi(name)?.mean == value, "\(name)")
        }
        // Time-weighted WIP over 10 h: a has 2 units for 1 h and 1 for 1 h (3 unit-hours),
        // b has 1 unit for 4 h.
        let wipA = try #require(results.kpi("work_in_process[a]")?.mean)
        let wipB = try #require(results.kpi("work_in_process[b]")?.mean)
        #expect(abs(wipA - 0.3) < 1e-12)
        #expect(abs(wipB - 0.4) < 1e-12)
    }

    @Test("a scenario with one product reports order figures only for the whole")
    func oneProduct() async throws {
        let scenario = try ScenarioReader.parse(yaml: mesScenario, file: "t.yaml", overrides: ["replications=2"])
        let results = try await Experiment.run(scenario)
        #expect(results.kpi("order_lead_time") != nil)
        #expect(results.kpi("order_lead_time[bracket]") == nil)
    }

    @Test("live WIP by order adds up to the units in the plant at every instant")
    func workInProcessByOrder() throws {
        let scenario = try ScenarioReader.parse(yaml: mesScenario, file: "t.yaml")
        let settings = try #require(scenario.mes?.settings)
        let mes = try MES(
            layout: scenario.layout, settings: settings, rule: EDDRule(), idealCycle: scenario.idealCycles,
            seed: scenario.seed, replication: 0)
        var simulation = try Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        var busyInstants = 0
        for instant in stride(from: 600.0, to: scenario.horizon, by: 600) {
            simulation.run(until: instant)
            let byOrder = simulation.model.controller.workInProcessByOrder()
            let total = byOrder.reduce(0) { $0 + $1.units }
            #expect(total == simulation.model.unitsInProcess)
            #expect(total == simulation.model.workInProcess().total)
            #expect(total == simulation.model.controller.workInProcess)
            #expect(total <= 12)
            if byOrder.count > 1 { busyInstants += 1 }
        }
        #expect(busyInstants > 0)
    }

    @Test("time-weighted WIP by product adds up to the plant's time-weighted WIP")
    func workInProcessByProductSums() async throws {
        let yaml = Self.twoProducts.replacingOccurrences(of: "horizon: 10h", with: "horizon: 200h\nwarmup: 20h")
            .replacingOccurrences(of: "const(1h)", with: "exp(1h)")
            .replacingOccurrences(
                of: "orders: { book: orders.csv }",
                with: """
                    orders:
                        generate: { every: exp(5h), quantity: "uniform(1, 3)", due_in: 8h, mix: { a: 0.5, b: 0.5 } }
                    """)
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml", overrides: ["replications=3"])
        let results = try await Experiment.run(scenario)
        let sum = try #require(results.kpi("work_in_process[a]")).values
        let b = try #require(results.kpi("work_in_process[b]")).values
        let plant = try #require(results.kpi("work_in_process")).values
        for r in sum.indices {
            #expect(abs(sum[r] + b[r] - plant[r]) < 1e-9 * max(1, plant[r]))
        }
        #expect(plant.allSatisfy { $0 > 0 })
    }
}
