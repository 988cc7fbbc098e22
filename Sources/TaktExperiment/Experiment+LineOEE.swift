import TaktMES
import TaktPlant
import TaktScenario

extension Scenario {
    /// The line's constraint: the station on the products' routes with the longest ideal cycle
    /// per machine (the first such station when several tie).
    public var constraintStation: Int {
        var best = -1
        var longest = -1.0
        for (s, station) in layout.stations.enumerated()
        where layout.products.contains(where: { $0.route.contains { $0.station == s } }) {
            let perMachine = idealCycles[s] / Double(max(station.machines, 1))
            if perMachine > longest {
                longest = perMachine
                best = s
            }
        }
        return max(best, 0)
    }

    /// Per product: the line's ideal cycle — the product's own `ideal_cycle`, else the longest
    /// ideal cycle per machine among the stations of its route (its constraint).
    public var lineIdealCycles: [Double] {
        layout.products.enumerated().map { p, product in
            product.idealCycle
                ?? product.route.reduce(0.0) { longest, step in
                    let station = layout.stations[step.station]
                    let ideal = station.idealCycleByProduct[p] ?? idealCycles[step.station]
                    return max(longest, ideal / Double(max(station.machines, 1)))
                }
        }
    }
}

extension Experiment {
    /// The output-based line OEE of one replication: units shipped and scrapped, each once,
    /// at the line's ideal cycle, over the constraint's planned busy time.
    static func lineOEE(
        _ scenario: Scenario, plant: PlantResults, stations: [OEEAccount], shippedNonconforming: [Int] = []
    ) -> LineOEE {
        let ideal = scenario.lineIdealCycles
        func idealTime(_ counts: [Int]) -> Double {
            zip(counts, ideal).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        }
        let rejects = stations.reduce(0) { $0 + $1.rejects }
        let startup = stations.reduce(0) { $0 + $1.startupRejects }
        let constraint = scenario.constraintStation
        return LineOEE(
            constraint: constraint, account: stations.isEmpty ? OEEAccount() : stations[constraint],
            machines: scenario.layout.stations.isEmpty ? 1 : scenario.layout.stations[constraint].machines,
            // A unit a measurement found out of specification is a reject even when it shipped.
            idealTimeShipped: idealTime(plant.shippedByProduct) - idealTime(shippedNonconforming),
            idealTimeScrapped: idealTime(plant.scrappedByProduct) + idealTime(shippedNonconforming),
            startupShare: rejects > 0 ? Double(startup) / Double(rejects) : 0)
    }

    /// What one replication measured, from the plant's results and the MES's OEE accounts.
    static func replication(_ scenario: Scenario, plant: PlantResults, oee: OEECalculator) -> Replication {
        let stations = oee.stationAccounts(stations: scenario.layout.stations.count)
        return Replication(
            plant: plant, stationOEE: stations, equipmentOEE: oee.total,
            lineOEE: lineOEE(
                scenario, plant: plant, stations: stations, shippedNonconforming: oee.shippedNonconformingByProduct))
    }
}
