import TaktKernel
import TaktPlant

/// Hears every observation with its time, for tests that follow units one by one.
struct ObservationLog: PlantController {
    static var observesPlant: Bool { true }
    var entries: [(time: Double, observation: PlantObservation)] = []

    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        entries.append((time, observation))
    }
}

/// Shorthands for building layouts in tests.
enum Layouts {
    static func exp(_ mean: Double) -> Distribution {
        // Test layouts use valid means only.
        try! Distribution.exponential(mean: mean)
    }

    static func const(_ value: Double) -> Distribution { try! Distribution.constant(value) }

    /// Stations in a row, one product through all of them, fed by `source`.
    static func line(
        _ stations: [Station], arrivals: Source.Arrivals = .unlimited, defectTypes: [String] = []
    ) -> PlantLayout {
        PlantLayout(
            products: [Product(name: "part", route: stations.indices.map { RouteStep(station: $0) })],
            stations: stations, sources: [Source(product: 0, arrivals: arrivals)], defectTypes: defectTypes)
    }
}

/// Runs `replications` replications and returns their results.
func replicate(
    _ layout: PlantLayout, replications: Int = 10, warmup: Double, runLength: Double, seed: UInt64 = 2026
) throws -> [PlantResults] {
    try (0..<replications).map {
        try PlantRun.replicate(layout, warmup: warmup, runLength: runLength, seed: seed, replication: $0)
    }
}

/// Whether the replication mean of `values` is within `standardErrors` of `expected`.
func agrees(_ values: [Double], with expected: Double, standardErrors: Double = 4.5) throws -> Bool {
    let interval = try ConfidenceInterval(values: values)
    return abs(interval.mean - expected) <= standardErrors * interval.standardError
}
