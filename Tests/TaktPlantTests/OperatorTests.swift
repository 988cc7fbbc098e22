import Testing
import TaktKernel
import TaktPlant

@Suite("Operator pools")
struct OperatorTests {
    static func pair(operators: Int) -> PlantLayout {
        PlantLayout(
            products: [Product(name: "p", route: [RouteStep(station: 0)])],
            stations: [Station(name: "pair", machines: 2, cycle: Layouts.const(10), operatorPool: 0)],
            sources: [Source(product: 0, arrivals: .unlimited)],
            operatorPools: [OperatorPool(name: "crew", size: operators)])
    }

    @Test("two machines sharing one operator take turns: each busy half the time, the operator always")
    func sharedOperator() throws {
        let result = try PlantRun.replicate(
            Self.pair(operators: 1), warmup: 100, runLength: 10_000, seed: 1, replication: 0)
        #expect(abs(result.stations[0].utilisation - 0.5) < 1e-12)
        #expect(abs(result.throughput - 0.1) < 1e-12)
        #expect(abs(result.operatorUtilisation[0] - 1) < 1e-12)
    }

    @Test("with an operator for each machine both run all the time")
    func operatorPerMachine() throws {
        let result = try PlantRun.replicate(
            Self.pair(operators: 2), warmup: 100, runLength: 10_000, seed: 1, replication: 0)
        #expect(abs(result.stations[0].utilisation - 1) < 1e-12)
        #expect(abs(result.throughput - 0.2) < 1e-12)
    }

    @Test("an operator moves to the machine that has waited longest")
    func firstComeFirstServed() throws {
        // Three machines, one operator, 30 s per unit: machines 1 and 2 queue for the operator
        // at time 0 behind machine 0, and each machine that finishes joins the back of the
        // queue, so work rotates 0, 1, 2, 0, … one unit every 30 s.
        let layout = PlantLayout(
            products: [Product(name: "p", route: [RouteStep(station: 0)])],
            stations: [Station(name: "trio", machines: 3, cycle: Layouts.const(30), operatorPool: 0)],
            sources: [Source(product: 0, arrivals: .unlimited)],
            operatorPools: [OperatorPool(name: "crew", size: 1)])
        let simulation = try run(layout, ObservationLog(), until: 181)
        let started = simulation.model.controller.entries.compactMap { entry -> Int32? in
            if case .processingStarted(_, let machine) = entry.observation { machine } else { nil }
        }
        #expect(started == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test("a station naming an unknown operator pool, or a pool of nobody, is rejected")
    func rejected() {
        var layout = Self.pair(operators: 1)
        layout.stations[0].operatorPool = 4
        #expect(throws: PlantLayoutError("stations[0].operators", "no operator pool number 4; there are 1")) {
            try layout.validate()
        }
        #expect(throws: PlantLayoutError("operator_pools[0].size", "expected at least 1 operator; found 0")) {
            try Self.pair(operators: 0).validate()
        }
    }
}
