import TaktKernel

/// The benchmark line of docs/performance.md: five stations in series, buffers of five
/// places between them, exponential processing times with means 1.0, 1.1, 1.2, 1.0 and
/// 0.9, raw material never short, blocking after service.
public enum TransferLine {
    /// The mean processing times of the five stations.
    public static let means = [1.0, 1.1, 1.2, 1.0, 0.9]

    /// The layout, built through `TaktPlant` exactly as a user would build it.
    public static func layout(bufferPlaces: Int = 5) throws -> PlantLayout {
        let stations = try means.enumerated().map { index, mean in
            Station(
                name: "s\(index + 1)", cycle: try .exponential(mean: mean),
                inputCapacity: index == 0 ? nil : bufferPlaces)
        }
        return PlantLayout(
            products: [Product(name: "part", route: stations.indices.map { RouteStep(station: $0) })],
            stations: stations, sources: [Source(product: 0, arrivals: .unlimited)])
    }

    /// The same line with every plant feature switched on, for the cost-of-features benchmark:
    /// two products in a 50/50 mix with 0.2 s changeovers; operating-time failures at every
    /// station (mean 200 cycles between, 5 cycles to repair); a work calendar stopping
    /// 30 s in every 480 s; power draw per state; a drifting measurement at the first station.
    public static func fullFeaturedLayout(bufferPlaces: Int = 5) throws -> PlantLayout {
        let stations = try means.enumerated().map { index, mean in
            Station(
                name: "s\(index + 1)", cycle: try .exponential(mean: mean),
                inputCapacity: index == 0 ? nil : bufferPlaces,
                failures: Failures(
                    between: try .exponential(mean: 200 * mean), repair: try .exponential(mean: 5 * mean)),
                setupTimes: [[0, 0.2], [0.2, 0]],
                power: PowerDraw(busy: 4.5, idle: 1.2, down: 0.3),
                measurement: index == 0 ? Measurement(name: "thickness", nominal: 120, sd: 4, driftPerHour: 0.2) : nil,
                calendar: 0)
        }
        let route = stations.indices.map { RouteStep(station: $0) }
        return PlantLayout(
            products: [Product(name: "a", route: route), Product(name: "b", route: route)],
            stations: stations,
            sources: [Source(mix: [(0, 0.5), (1, 0.5)], arrivals: .unlimited)],
            calendars: [WorkCalendar(name: "breaks", cycle: 480, stops: [.init(start: 450, length: 30)])])
    }
}
