import TaktKernel
import TaktPlant

/// One draw of a component lot by a unit: the genealogy's link between the two.
public struct LotConsumption: Sendable, Equatable, Codable {
    public var serial: Int
    public var material: Int32
    public var lot: Int32
    public var quantity: Int32
    public var station: Int32
    /// Seconds since time 0.
    public var time: Double
}

/// Where a unit is at a given time, as far as traceability is concerned.
public enum UnitFate: Sendable, Equatable {
    /// Not yet released.
    case notReleased
    /// In the plant (in process, waiting or on hold).
    case inProcess
    case shipped
    case scrapped
}

/// The MES's as-built records: every lot each unit consumed, its measurements and the
/// defects found on it, and when it entered and left the plant. With operation records
/// (``OperationRecord``) this is each serial number's full genealogy.
public struct Genealogy: Sendable {
    /// Every lot draw, in time order.
    public private(set) var consumptions: [LotConsumption] = []
    /// Every measurement: (serial, station, value, time).
    public private(set) var measurements: [(serial: Int, station: Int32, value: Double, time: Double)] = []
    /// Every defect an inspection found: (serial, defect, station, time).
    public private(set) var defectsFound: [(serial: Int, defect: Int32, station: Int32, time: Double)] = []
    /// Per serial − 1: when it was released, shipped and scrapped (infinity: not yet).
    public private(set) var releasedAt: [Double] = []
    public private(set) var shippedAt: [Double] = []
    public private(set) var scrappedAt: [Double] = []
    /// Per material: when each lot (number − 1) was loaded (its first draw), infinity until then.
    public private(set) var lotLoadedAt: [[Double]]

    /// Empty records for `materials` materials.
    public init(materials: Int) {
        lotLoadedAt = Array(repeating: [], count: materials)
    }

    /// Takes in one observation (inlined to pass over the many it does not keep without a call).
    @inline(__always)
    mutating func record(_ observation: PlantObservation, at time: Double) {
        switch observation {
        case .unitReleased, .lotConsumed, .measured, .defectDetected, .unitShipped, .unitScrapped:
            keep(observation, at: time)
        default:
            break
        }
    }

    mutating func keep(_ observation: PlantObservation, at time: Double) {
        switch observation {
        case .unitReleased(let serial, _):
            while releasedAt.count < serial {
                releasedAt.append(.infinity)
                shippedAt.append(.infinity)
                scrappedAt.append(.infinity)
            }
            releasedAt[serial - 1] = time
        case .lotConsumed(let serial, let material, let lot, let quantity, let station):
            consumptions.append(
                LotConsumption(
                    serial: serial, material: material, lot: lot, quantity: quantity, station: station, time: time))
            let m = Int(material)
            while lotLoadedAt[m].count < Int(lot) { lotLoadedAt[m].append(.infinity) }
            if lotLoadedAt[m][Int(lot) - 1] == .infinity { lotLoadedAt[m][Int(lot) - 1] = time }
        case .measured(let serial, let station, let value):
            measurements.append((serial, station, value, time))
        case .defectDetected(let serial, let defect, let station):
            defectsFound.append((serial, defect, station, time))
        case .unitShipped(let serial, _):
            if serial >= 1, serial <= shippedAt.count { shippedAt[serial - 1] = time }
        case .unitScrapped(let serial, _):
            if serial >= 1, serial <= scrappedAt.count { scrappedAt[serial - 1] = time }
        default:
            break
        }
    }

    /// Backward trace: the lots unit `serial` consumed, in the order it drew them.
    public func lots(ofSerial serial: Int) -> [LotConsumption] { consumptions.filter { $0.serial == serial } }

    /// Forward trace (where used): the units that drew from `lot` of `material`, in order.
    public func units(ofMaterial material: Int32, lot: Int32) -> [Int] {
        var seen = Set<Int>()
        return consumptions.filter { $0.material == material && $0.lot == lot }.map(\.serial).filter {
            seen.insert($0).inserted
        }
    }

    /// Where unit `serial` was at `time`.
    public func fate(of serial: Int, at time: Double) -> UnitFate {
        guard serial >= 1, serial <= releasedAt.count, releasedAt[serial - 1] <= time else { return .notReleased }
        if shippedAt[serial - 1] <= time { return .shipped }
        if scrappedAt[serial - 1] <= time { return .scrapped }
        return .inProcess
    }
}
