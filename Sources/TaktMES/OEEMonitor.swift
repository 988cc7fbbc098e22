import TaktKernel
import TaktPlant

/// A controller that keeps OEE accounts (the experiment runner resets and closes them
/// around the observation window).
public protocol OEEKeeping: PlantController {
    /// The OEE accounts it keeps.
    var oee: OEECalculator { get set }

    /// The warm-up is over: statistics restart at `time`.
    mutating func startObservation(at time: Double)

    /// The observation window ends at `time`: accounts are brought up to date.
    mutating func endObservation(at time: Double)

    /// The SPC it keeps, per charted station (none by default).
    var spcCharts: [StationSPC] { get }

    /// Puts the audit entries made since the last call in `entries`, replacing what was there
    /// (none by default). The two buffers trade places, so neither side allocates anew.
    mutating func drainAudit(into entries: inout [AuditEntry])

    /// Whether there are audit entries to take (a cheap test before ``drainAudit()``).
    var hasPendingAudit: Bool { get }

    /// The work order unit `serial` belongs to, if it knows (nil by default).
    func workOrder(ofSerial serial: Int) -> String?

    /// Work orders it has received so far (none by default); they are numbered from 0 in
    /// the order received, and the count only grows.
    var workOrderCount: Int { get }

    /// Work order `index` (0 ..< ``workOrderCount``).
    func workOrder(at index: Int) -> WorkOrder?
}

extension OEEKeeping {
    /// By default only the OEE accounts restart.
    public mutating func startObservation(at time: Double) { oee.reset(at: time) }

    /// By default only the OEE accounts are closed.
    public mutating func endObservation(at time: Double) { oee.close(at: time) }

    /// By default no SPC.
    public var spcCharts: [StationSPC] { [] }

    /// By default no audit trail.
    public mutating func drainAudit(into entries: inout [AuditEntry]) { entries.removeAll(keepingCapacity: true) }

    /// Takes the audit entries made since the last call.
    public mutating func drainAudit() -> [AuditEntry] {
        var entries: [AuditEntry] = []
        drainAudit(into: &entries)
        return entries
    }

    /// By default no audit trail.
    public var hasPendingAudit: Bool { false }

    /// By default no work orders.
    public func workOrder(ofSerial serial: Int) -> String? { nil }

    /// By default no work orders.
    public var workOrderCount: Int { 0 }

    /// By default no work orders.
    public func workOrder(at index: Int) -> WorkOrder? { nil }
}

/// A controller that only keeps OEE: it listens to the plant and decides nothing.
public struct OEEMonitor: OEEKeeping {
    /// The OEE accounts it keeps.
    public var oee: OEECalculator

    /// A monitor for machines with these stations and planned runtimes per unit.
    public init(stationOfMachine: [Int32], idealCycle: [Double], stations: Int) {
        oee = OEECalculator(stationOfMachine: stationOfMachine, idealCycle: idealCycle, stations: stations)
    }

    /// A monitor for every machine of `layout`, with planned runtime per unit per station.
    public init(
        layout: PlantLayout, idealCycle: [Double],
        minorStopThreshold: Double = OEECalculator.defaultMinorStopThreshold
    ) {
        oee = OEECalculator(layout: layout, idealCycle: idealCycle, minorStopThreshold: minorStopThreshold)
    }

    public static var observesPlant: Bool { true }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        oee.observe(observation, at: time)
    }
}

/// A controller that wraps another and passes everything through to it, adding what it
/// records (a report trace, a trace store). Conformers only say how they observe.
public protocol WrappingController: OEEKeeping {
    associatedtype Inner: OEEKeeping
    /// The wrapped controller, which decides and keeps OEE.
    var inner: Inner { get set }
}

extension WrappingController {
    @inlinable public var oee: OEECalculator {
        get { inner.oee }
        set { inner.oee = newValue }
    }
    @inlinable public static var observesArrivals: Bool { Inner.observesArrivals }
    @inlinable public static var dispatches: Bool { Inner.dispatches }
    @inlinable public mutating func startObservation(at time: Double) { inner.startObservation(at: time) }
    @inlinable public mutating func endObservation(at time: Double) { inner.endObservation(at: time) }
    @inlinable public var spcCharts: [StationSPC] { inner.spcCharts }
    @inlinable public mutating func drainAudit(into entries: inout [AuditEntry]) { inner.drainAudit(into: &entries) }
    @inlinable public var hasPendingAudit: Bool { inner.hasPendingAudit }
    @inlinable public func workOrder(ofSerial serial: Int) -> String? { inner.workOrder(ofSerial: serial) }
    @inlinable public var workOrderCount: Int { inner.workOrderCount }
    @inlinable public func workOrder(at index: Int) -> WorkOrder? { inner.workOrder(at: index) }

    @inlinable
    public mutating func start(at time: Double, commands: inout [PlantCommand]) {
        inner.start(at: time, commands: &commands)
    }

    @inlinable
    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        inner.timerFired(tag, at: time, commands: &commands)
    }

    @inlinable
    public mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int {
        inner.selectNext(from: waiting, machine: machine, at: time)
    }
}
