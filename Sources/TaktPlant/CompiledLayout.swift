import TaktKernel

/// The layout flattened into arrays indexed by integers, built once per replication so the
/// per-event path does no look-up by name and no dictionary access.
struct CompiledLayout {
    let productCount: Int
    let stationCount: Int
    let machineCount: Int
    /// Per station: its first machine; machines of a station are contiguous.
    let firstMachine: [Int32]
    let machinesAtStation: [Int32]
    /// Per machine: its station.
    let stationOfMachine: [Int32]
    /// Per station: input capacity (Int.max when unlimited).
    let inputCapacity: [Int]
    /// Per (station × productCount + product): processing time.
    let cycle: [Distribution]
    /// Per station: setup times by (from × productCount + to), empty when none.
    let setupTimes: [[SimTime]]
    /// Per station: its failures, if any.
    let failures: [Failures?]
    /// Per station: defects created, as (defect bit, probability).
    let defectsCreated: [[(bit: UInt64, defect: Int32, probability: Double)]]
    /// Per station: what it inspects for.
    let inspects: [[(bit: UInt64, defect: Int32, probability: Double)]]
    let reworkStation: [Int32]
    let maxReworks: [Int32]
    let measurement: [Measurement?]
    /// Per product: the station of each route step.
    let routeStations: [[Int32]]
    /// Per product and step: the branch choice and its target steps, when the step branches.
    let branches: [[(choice: DiscreteChoice, targets: [Int32])?]]
    /// Per station: whether an unlimited source feeds it (its machines are never starved),
    /// and the product it feeds.
    let unlimitedProduct: [Int32]
    let power: [[Double]]
    let technicianPoolOfStation: [Int32]
    let technicianPoolSizes: [Int]

    init(_ layout: PlantLayout) {
        productCount = layout.products.count
        stationCount = layout.stations.count
        var first: [Int32] = []
        var counts: [Int32] = []
        var stationOf: [Int32] = []
        for (index, station) in layout.stations.enumerated() {
            first.append(Int32(stationOf.count))
            counts.append(Int32(station.machines))
            stationOf += Array(repeating: Int32(index), count: station.machines)
        }
        firstMachine = first
        machinesAtStation = counts
        stationOfMachine = stationOf
        machineCount = stationOf.count
        inputCapacity = layout.stations.map { $0.inputCapacity ?? Int.max }
        cycle = layout.stations.flatMap { station in
            (0..<layout.products.count).map { station.cycleByProduct[$0] ?? station.cycle }
        }
        setupTimes = layout.stations.map { $0.setupTimes?.flatMap { $0 } ?? [] }
        failures = layout.stations.map(\.failures)
        defectsCreated = layout.stations.map { station in
            station.defects.map { (UInt64(1) << UInt64($0.defect), Int32($0.defect), $0.probability) }
        }
        inspects = layout.stations.map { station in
            station.inspection?.detects.map { (UInt64(1) << UInt64($0.defect), Int32($0.defect), $0.probability) } ?? []
        }
        reworkStation = layout.stations.map { Int32($0.inspection?.reworkStation ?? -1) }
        maxReworks = layout.stations.map { Int32($0.inspection?.maxReworks ?? 0) }
        measurement = layout.stations.map(\.measurement)
        routeStations = layout.products.map { $0.route.map { Int32($0.station) } }
        branches = layout.products.map { product in
            product.route.map { step in
                guard !step.branches.isEmpty,
                    let choice = try? DiscreteChoice(probabilities: step.branches.map(\.probability))
                else { return nil }
                return (choice, step.branches.map { Int32($0.step) })
            }
        }
        var unlimited = [Int32](repeating: -1, count: layout.stations.count)
        for source in layout.sources {
            if case .unlimited = source.arrivals, let firstStep = layout.products[source.product].route.first {
                unlimited[firstStep.station] = Int32(source.product)
            }
        }
        unlimitedProduct = unlimited
        power = layout.stations.map(\.power.kilowatts)
        technicianPoolOfStation = layout.stations.map { Int32($0.failures?.technicianPool ?? -1) }
        technicianPoolSizes = layout.technicianPools.map(\.size)
    }
}
