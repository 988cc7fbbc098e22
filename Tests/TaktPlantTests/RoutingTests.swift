import Testing
import TaktKernel
import TaktPlant

@Suite("Routes and processing times per product")
struct RoutingTests {
    @Test("a branch sends each unit on with its probability")
    func branchShares() throws {
        // After station 0, 30% of units skip to station 2 and 70% go through station 1 first.
        let layout = PlantLayout(
            products: [
                Product(
                    name: "p",
                    route: [
                        RouteStep(station: 0, branches: [(step: 1, probability: 0.7), (step: 2, probability: 0.3)]),
                        RouteStep(station: 1), RouteStep(station: 2),
                    ])
            ],
            stations: [
                Station(name: "a", cycle: Layouts.exp(1)), Station(name: "b", cycle: Layouts.exp(1)),
                Station(name: "c", cycle: Layouts.exp(1)),
            ],
            sources: [Source(product: 0, arrivals: .process(Layouts.exp(2)))])
        let result = try PlantRun.replicate(layout, warmup: 0, runLength: 200_000, seed: 8, replication: 0)
        let n = Double(result.stations[0].processed)
        let throughB = Double(result.stations[1].processed) / n
        // Binomial standard error of the share; allow 4.5 of them (units still in process at
        // the end shift it by a few in 100,000).
        #expect(abs(throughB - 0.7) <= 4.5 * (0.21 / n).squareRoot() + 5 / n)
        #expect(abs(Double(result.stations[2].processed) - n) <= 5)
    }

    @Test("each product takes its own processing time at a station")
    func cyclePerProduct() throws {
        // A takes 10 s and B 30 s at the same machine; one of each arrives every 100 s, so the
        // machine is busy 40 s in every 100.
        let layout = PlantLayout(
            products: [
                Product(name: "a", route: [RouteStep(station: 0)]), Product(name: "b", route: [RouteStep(station: 0)]),
            ],
            stations: [Station(name: "s", cycle: Layouts.const(10), cycleByProduct: [1: Layouts.const(30)])],
            sources: [
                Source(product: 0, arrivals: .process(Layouts.const(100))),
                Source(product: 1, arrivals: .process(Layouts.const(100))),
            ])
        let result = try PlantRun.replicate(layout, warmup: 1_000, runLength: 100_000, seed: 1, replication: 0)
        #expect(abs(result.stations[0].utilisation - 0.4) < 1e-12)
    }

    @Test("every arrival at a station is reported, whether the unit starts at once or waits")
    func arrivalsReported() throws {
        let layout = Layouts.line(
            [Station(name: "a", cycle: Layouts.const(10)), Station(name: "b", cycle: Layouts.const(15))],
            arrivals: .process(Layouts.const(10)))
        let simulation = try run(layout, ObservationLog(), until: 101)
        let arrivals = simulation.model.controller.entries.compactMap { entry -> Int32? in
            if case .unitArrived(_, let station) = entry.observation { station } else { nil }
        }
        // Units arrive at a every 10 s (10 … 100) and at b when a finishes (20 … 100).
        #expect(arrivals.filter { $0 == 0 }.count == 10)
        #expect(arrivals.filter { $0 == 1 }.count == 9)
    }
}
