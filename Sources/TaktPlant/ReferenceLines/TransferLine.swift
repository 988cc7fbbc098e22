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
}
