import Testing
import TaktKernel
import TaktPlant

@Suite("Product mix and the full-featured benchmark line")
struct ProductMixTests {
    @Test("a source's product mix gives each product its share of units")
    func mixShares() throws {
        let route = [RouteStep(station: 0)]
        let layout = PlantLayout(
            products: [Product(name: "a", route: route), Product(name: "b", route: route)],
            stations: [Station(name: "s", cycle: Layouts.exp(1))],
            sources: [Source(mix: [(0, 0.3), (1, 0.7)], arrivals: .unlimited)])
        let simulation = try run(layout, ObservationLog(), until: 20_000)
        let products = simulation.model.controller.entries.compactMap { entry -> Int32? in
            if case .unitReleased(_, let product) = entry.observation { product } else { nil }
        }
        let n = Double(products.count)
        let shareA = Double(products.filter { $0 == 0 }.count) / n
        // Binomial standard error of the share; allow 4.5 of them.
        #expect(abs(shareA - 0.3) <= 4.5 * (0.3 * 0.7 / n).squareRoot())
        #expect(n > 15_000)
    }

    @Test(
        "mix mistakes are rejected with their key path",
        arguments: [
            ([(0, 0.5), (1, 0.6)], "sources[0].mix: probabilities must be 0 or more and sum to 1; they sum to 1.1"),
            ([(0, 0.5), (5, 0.5)], "sources[0].mix[1].product: no product number 5; there are 2"),
            (
                [(0, 0.5), (1, 0.5)],
                "sources[0].mix: the products of a mix must start at the same station; they start at [0, 1]"
            ),
        ] as [([(Int, Double)], String)])
    func rejected(_ row: ([(Int, Double)], String)) {
        let layout = PlantLayout(
            products: [
                Product(name: "a", route: [RouteStep(station: 0)]),
                Product(name: "b", route: [RouteStep(station: row.1.contains("same station") ? 1 : 0)]),
            ],
            stations: [Station(name: "s", cycle: Layouts.const(1)), Station(name: "t", cycle: Layouts.const(1))],
            sources: [Source(mix: row.0.map { (product: $0.0, probability: $0.1) }, arrivals: .unlimited)])
        do {
            try layout.validate()
            Issue.record("no error for \(row.1)")
        } catch {
            #expect(error.description == row.1)
        }
    }

    @Test("the full-featured benchmark line runs with every feature active and conserves units")
    func fullFeaturedLine() throws {
        var simulation = try PlantRun.simulation(TransferLine.fullFeaturedLayout(), seed: 3)
        simulation.run(until: 20_000)
        let counts = simulation.model.lifetimeCounts
        #expect(counts.released == counts.shipped + counts.scrapped + simulation.model.unitsInProcess)
        let result = simulation.model.results(at: 20_000)
        let first = result.stations[0].stateShare
        #expect(first[MachineState.setup.rawValue] > 0)
        #expect(first[MachineState.down.rawValue] > 0)
        // The calendar stops 30 s in every 480 s, 1/16 of each full cycle; 20,000 s is 41⅔
        // cycles, so the share is 41 × 30 / 20,000 = 0.0615 — within 0.005 of 1/16.
        #expect(abs(first[MachineState.plannedStop.rawValue] - 30.0 / 480) < 0.005)
        #expect(result.stations[0].energyKilowattHours > 0)
    }
}

@Suite("Product runs from a mix")
struct ProductRunTests {
    @Test("with a run length, a source keeps one product for that many units before drawing again")
    func runs() throws {
        let route = [RouteStep(station: 0)]
        var source = Source(mix: [(0, 0.5), (1, 0.5)], arrivals: .unlimited)
        source.runLength = 5
        let layout = PlantLayout(
            products: [Product(name: "a", route: route), Product(name: "b", route: route)],
            stations: [Station(name: "s", cycle: Layouts.const(1))], sources: [source])
        let simulation = try run(layout, ObservationLog(), until: 200)
        let products = simulation.model.controller.entries.compactMap { entry -> Int32? in
            if case .unitReleased(_, let product) = entry.observation { product } else { nil }
        }
        for start in stride(from: 0, to: products.count - 5, by: 5) {
            #expect(Set(products[start..<(start + 5)]).count == 1)
        }
        #expect(Set(products).count == 2)
    }
}
