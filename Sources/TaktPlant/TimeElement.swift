/// Where a second of a machine's time goes in the ISO 22400-2 time model, with its cause.
///
/// Every instant of a machine falls in exactly one element, so the elements' times add up to
/// the calendar time. Planned wins: while a machine's work calendar has it off shift, or it is
/// in maintenance the scenario marks planned, its time is planned down time whatever else
/// happens then (a repair under way, an MES hold). See docs/oee.md.
public enum TimeElement: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Processing a unit: actual production time, APT.
    case production = 0
    /// Changing over: actual unit setup time, AUST.
    case setup
    /// Failed, waiting for or under repair: actual unit delay time, ADET (malfunction).
    case breakdown
    /// Stopped by the MES (a rule, an SPC reaction, a quality hold): ADET.
    case mesHold
    /// In maintenance the scenario does not mark planned (condition-based, rule-driven): ADET.
    case unplannedMaintenance
    /// Work waits, but no operator is free to run it: ADET (an order is registered).
    case waitingForOperator
    /// Idle while units are in the line upstream of it: starved, actual unit down time, ADOT.
    case starved
    /// Holding a finished unit the next station has no room for: ADOT.
    case blocked
    /// Idle because no work was released to it (demand-limited): ADOT.
    case noWorkReleased
    /// In maintenance the scenario marks planned: planned down time, PDOT.
    case plannedMaintenance
    /// Off shift or on a break of its work calendar: planned down time, PDOT.
    case offShift
    /// Work waits, but a material the station consumes has run out: ADET (an order is
    /// registered; the line waits for the supplier's lot).
    /// (Last, so that the other elements keep their raw values in saved results.)
    case waitingForMaterial

    /// The number of elements; per-machine time arrays have this stride.
    @inlinable public static var count: Int { 12 }

    /// The ISO 22400-2 time element it belongs to.
    public var isoElement: ISOTimeElement {
        switch self {
        case .production: .actualProductionTime
        case .setup: .actualUnitSetupTime
        case .breakdown, .mesHold, .unplannedMaintenance, .waitingForOperator, .waitingForMaterial:
            .actualUnitDelayTime
        case .starved, .blocked, .noWorkReleased: .actualUnitDownTime
        case .plannedMaintenance, .offShift: .plannedDownTime
        }
    }

    /// Whether a short spell of it is a small stop (Nakajima's minor stoppages): every stop in
    /// planned busy time but a setup, and idling for want of orders.
    public var canBeSmallStop: Bool {
        switch self {
        case .breakdown, .mesHold, .unplannedMaintenance, .waitingForOperator, .waitingForMaterial, .starved,
            .blocked:
            true
        case .production, .setup, .noWorkReleased, .plannedMaintenance, .offShift: false
        }
    }

    /// The name used in KPI keys and reports: `no_work_released`.
    public var key: String {
        switch self {
        case .production: "production"
        case .setup: "setup"
        case .breakdown: "breakdown"
        case .mesHold: "mes_hold"
        case .unplannedMaintenance: "unplanned_maintenance"
        case .waitingForOperator: "waiting_for_operator"
        case .waitingForMaterial: "waiting_for_material"
        case .starved: "starved"
        case .blocked: "blocked"
        case .noWorkReleased: "no_work_released"
        case .plannedMaintenance: "planned_maintenance"
        case .offShift: "off_shift"
        }
    }

    public var description: String { String(key.map { $0 == "_" ? " " : $0 }) }
}

/// The ISO 22400-2 time elements of a work unit (as OPC 40001-1 Annex C.2 interprets them).
public enum ISOTimeElement: Int, CaseIterable, Sendable {
    /// APT: executing, processing.
    case actualProductionTime
    /// AUST: setting up.
    case actualUnitSetupTime
    /// ADET: out of service or interrupted with an order registered: malfunctions, holds.
    case actualUnitDelayTime
    /// ADOT: available but not executing: no order, starved, blocked.
    case actualUnitDownTime
    /// PDOT: planned down time: breaks, shifts off, planned maintenance.
    case plannedDownTime
}
