/// How finely the MES knows which units used which material: the traceability strategy.
public enum TraceGranularity: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Per serial number: exactly which lot each unit drew.
    case serial
    /// Per work order: which lots an order's units drew, not which unit drew which.
    case workOrder
    /// Per time window: when a lot was loaded at the station, to the nearest window.
    case window(seconds: Double)

    public var description: String {
        switch self {
        case .serial: "serial"
        case .workOrder: "lot"
        case .window: "window"
        }
    }
}

/// A bad component lot found at a time, and what the MES does: quarantine the lot, hold the
/// units in the plant that its granularity cannot clear, and after the investigation scrap
/// those really affected and release the rest.
public struct LotRecall: Sendable, Equatable {
    public var material: Int32
    public var lot: Int32
    /// When the lot is found bad, seconds since time 0.
    public var time: Double
    /// How long the held units wait for their disposition.
    public var investigation: Double

    /// A recall of `lot` of `material` at `time`.
    public init(material: Int32, lot: Int32, time: Double, investigation: Double) {
        self.material = material
        self.lot = lot
        self.time = time
        self.investigation = investigation
    }
}

/// What one recall would take back under one granularity.
public struct RecallScope: Sendable, Equatable, Codable {
    public var granularity: String
    /// Units that must be recalled (released by the recall time).
    public var recalled: Int
    /// Units that really drew from the bad lot.
    public var affected: Int
    /// Recalled units that had already shipped.
    public var shipped: Int
    /// Recalled units still in the plant (to hold).
    public var inProcess: Int

    /// The serial numbers behind the counts are not kept; these are the what-if's answer.
    init(granularity: TraceGranularity, recalled: Set<Int>, affected: Int, genealogy: Genealogy, at time: Double) {
        self.granularity = granularity.description
        self.recalled = recalled.count
        self.affected = affected
        shipped = recalled.filter { genealogy.fate(of: $0, at: time) == .shipped }.count
        inProcess = recalled.filter { genealogy.fate(of: $0, at: time) == .inProcess }.count
    }

    /// The units to recall under `granularity` for `recall`, given each unit's order.
    ///
    /// - serial: the units that drew from the lot;
    /// - work order: every unit released so far of every order one of those units belongs
    ///   to (units without an order form one group);
    /// - window: every unit that drew the material at the lot's station between the start of
    ///   the window in which the lot was loaded and the end of the window in which the next
    ///   lot was (or the recall time, if it was still in use).
    public static func units(
        _ granularity: TraceGranularity, recall: LotRecall, genealogy: Genealogy, orderOfSerial: (Int) -> Int32
    ) -> Set<Int> {
        let time = recall.time
        let draws = genealogy.consumptions.filter {
            $0.material == recall.material && $0.lot == recall.lot && $0.time <= time
        }
        let affected = Set(draws.map(\.serial))
        switch granularity {
        case .serial:
            return affected
        case .workOrder:
            let orders = Set(affected.map(orderOfSerial))
            var recalled = Set<Int>()
            for (index, released) in genealogy.releasedAt.enumerated()
            where released <= time && orders.contains(orderOfSerial(index + 1)) {
                recalled.insert(index + 1)
            }
            return recalled
        case .window(let width):
            guard let first = draws.first else { return [] }
            let loads = genealogy.lotLoadedAt[Int(recall.material)]
            let next = Int(recall.lot) < loads.count ? loads[Int(recall.lot)...].first { $0.isFinite } : nil
            let from = (first.time / width).rounded(.down) * width
            let to = min(((next ?? time) / width).rounded(.up) * width, time)
            let station = first.station
            return Set(
                genealogy.consumptions.filter {
                    $0.material == recall.material && $0.station == station && $0.time >= from
                        && ($0.time < to || ($0.time <= time && to == time))
                }.map(\.serial))
        }
    }
}
