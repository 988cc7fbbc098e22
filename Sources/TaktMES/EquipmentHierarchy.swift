import TaktPlant

/// The ISA-95 role-based equipment hierarchy of a scenario's plant: one site, one area, one
/// production line; each station is a work centre and each of its machines a work unit.
///
/// OEE rolls up along it by time (ISO 22400-2): a work centre sums its units' times, the line
/// sums its work centres', and the site — one line here — equals its line.
public struct EquipmentHierarchy: Sendable, Codable, Equatable {
    /// A work centre: a station and its machines (work units).
    public struct WorkCentre: Sendable, Codable, Equatable {
        /// The station's name.
        public var name: String
        /// Its machines' names, `<station>-1`, `<station>-2`, … in machine order.
        public var units: [String]
    }

    /// The enterprise's site, the area in it, and the production line.
    public var site: String
    public var area: String
    public var line: String
    /// The line's work centres, in layout order.
    public var workCentres: [WorkCentre]

    /// The hierarchy of `layout`, placed in `site`, `area` and `line`.
    public init(layout: PlantLayout, site: String, area: String, line: String) {
        self.site = site
        self.area = area
        self.line = line
        workCentres = layout.stations.map { station in
            WorkCentre(name: station.name, units: (1...max(1, station.machines)).map { "\(station.name)-\($0)" })
        }
    }

    /// Every work unit's name, in machine order (the plant numbers machines station by station).
    public var unitNames: [String] { workCentres.flatMap(\.units) }

    /// The path of machine `machine` from the site down: `site/area/line/work centre/unit`.
    public func path(ofMachine machine: Int) -> String {
        var remaining = machine
        for centre in workCentres {
            if remaining < centre.units.count {
                return [site, area, line, centre.name, centre.units[remaining]].joined(separator: "/")
            }
            remaining -= centre.units.count
        }
        preconditionFailure("machine \(machine) is not in the hierarchy")
    }
}

/// An ISA-95 product definition: the operations (process segments) a product goes through,
/// in route order, each with its work centre and standard time.
public struct ProductDefinition: Sendable, Codable, Equatable {
    /// One operation of the route.
    public struct Operation: Sendable, Codable, Equatable {
        /// The operation number: 10, 20, 30, … in route order.
        public var sequence: Int
        /// The work centre (station) that performs it.
        public var workCentre: String
        /// Mean processing time per unit, seconds (a batch's time covers the whole batch).
        public var standardTime: Double
        /// Operation numbers that may follow when the route branches (a number past the last
        /// operation means shipping); empty means the next operation, or shipping after the last.
        public var next: [Int]
    }

    /// The product's name.
    public var name: String
    /// Its operations in route order.
    public var operations: [Operation]

    /// The definition of every product of `layout`.
    public static func all(in layout: PlantLayout) -> [ProductDefinition] {
        layout.products.enumerated().map { p, product in
            ProductDefinition(
                name: product.name,
                operations: product.route.enumerated().map { k, step in
                    let station = layout.stations[step.station]
                    return Operation(
                        sequence: 10 * (k + 1), workCentre: station.name,
                        standardTime: (station.cycleByProduct[p] ?? station.cycle).mean,
                        next: step.branches.map { 10 * ($0.step + 1) })
                })
        }
    }
}
