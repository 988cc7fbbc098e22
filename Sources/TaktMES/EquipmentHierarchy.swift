import TaktPlant

/// The ISA-95 role-based equipment hierarchy of a scenario's plant (IEC 62264-1): an
/// enterprise, one site, one area, and the production line as its **work centre**; each
/// station is a **work unit** of the line, and each of a station's machines a piece of
/// equipment within that unit.
///
/// OEE follows it: a work unit (station) sums its machines' times (ISO 22400-2), and the work
/// centre (the line) has the output-based line OEE; the area, site and enterprise — one line
/// here — have the line's.
public struct EquipmentHierarchy: Sendable, Codable, Equatable {
    /// A work unit: a station and its machines.
    public struct WorkUnit: Sendable, Codable, Equatable {
        /// The station's name.
        public var name: String
        /// Its machines' names, `<station>-1`, `<station>-2`, … in machine order.
        public var machines: [String]
    }

    /// The enterprise, its site, the area in it, and the production line (the work centre).
    public var enterprise: String
    public var site: String
    public var area: String
    public var line: String
    /// The line's work units (stations), in layout order.
    public var workUnits: [WorkUnit]

    /// The hierarchy of `layout`, placed in `enterprise`, `site`, `area` and `line`.
    public init(layout: PlantLayout, enterprise: String = "enterprise", site: String, area: String, line: String) {
        self.enterprise = enterprise
        self.site = site
        self.area = area
        self.line = line
        workUnits = layout.stations.map { station in
            WorkUnit(name: station.name, machines: (1...max(1, station.machines)).map { "\(station.name)-\($0)" })
        }
    }

    /// Every machine's name, in machine order (the plant numbers machines station by station).
    public var machineNames: [String] { workUnits.flatMap(\.machines) }

    /// The path of machine `machine` from the enterprise down:
    /// `enterprise/site/area/line/station/machine`.
    public func path(ofMachine machine: Int) -> String {
        var remaining = machine
        for unit in workUnits {
            if remaining < unit.machines.count {
                return [enterprise, site, area, line, unit.name, unit.machines[remaining]].joined(separator: "/")
            }
            remaining -= unit.machines.count
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
        /// The work unit (station) that performs it.
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
