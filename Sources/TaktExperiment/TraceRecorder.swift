import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Wraps a controller and records what a report draws: every machine state and time-element change, each
/// unit's release time, and each shipment with its lead time. Used for one replication only
/// when a report is asked for; everything else passes through to the wrapped controller.
public struct TraceRecorder<Inner: OEEKeeping>: WrappingController {
    /// The controller that decides and keeps OEE.
    public var inner: Inner
    /// Every change of what a machine's time counts as: (time, machine, new ISO 22400-2 time
    /// element with its cause), in time order.
    public private(set) var stateChanges: [(time: Double, machine: Int32, element: TimeElement)] = []
    /// Per serial number − 1: when the unit entered the plant.
    var releaseTime: [Double] = []
    /// Every shipment: (time, lead time, good).
    public private(set) var shipments: [(time: Double, leadTime: Double, good: Bool)] = []
    /// The MES's audit entries, less dispatching and unit releases (one of each per unit).
    public private(set) var decisions: [AuditEntry] = []
    var drained: [AuditEntry] = []

    /// A recorder around `inner`.
    public init(_ inner: Inner) { self.inner = inner }

    public static var observesPlant: Bool { true }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        switch observation {
        case .machineStateChanged(let machine, _, _, let element):
            stateChanges.append((time, machine, element))
        case .unitReleased(let serial, _):
            while releaseTime.count < serial { releaseTime.append(time) }
        case .unitShipped(let serial, let defective):
            let released = serial >= 1 && serial <= releaseTime.count ? releaseTime[serial - 1] : time
            shipments.append((time, time - released, !defective))
        default:
            break
        }
        if Inner.observesPlant { inner.observe(observation, at: time, commands: &commands) }
        if inner.hasPendingAudit { takeAudit() }
    }

    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        inner.timerFired(tag, at: time, commands: &commands)
        if inner.hasPendingAudit { takeAudit() }
    }

    mutating func takeAudit() {
        inner.drainAudit(into: &drained)
        decisions += drained.lazy.filter { $0.action != "dispatch" && $0.action != "release" }
    }
}

extension Experiment {
    /// ``observeWindow(_:_:)`` with a recorder: the same events (the run only pauses on the
    /// hour to sample WIP and buffers), then the trace built from the recorder's logs.
    static func observeWindowRecording<Inner: OEEKeeping>(
        _ simulation: inout Simulation<Plant<TraceRecorder<Inner>>>, _ scenario: Scenario, replication: Int,
        settings: TraceSettings
    ) throws -> Replication {
        var workInProcess: [Double] = []
        var buffers = [[Double]](repeating: [], count: scenario.layout.stations.count)
        func sample(_ simulation: Simulation<Plant<TraceRecorder<Inner>>>) {
            let snapshot = simulation.model.workInProcess()
            workInProcess.append(Double(snapshot.total))
            for s in buffers.indices { buffers[s].append(Double(snapshot.inBuffer[s])) }
        }
        sample(simulation)
        var snapshots = Snapshots(scenario)
        var hour = 3_600.0
        var warmupDone = scenario.warmup <= 0
        while hour <= scenario.horizon || !warmupDone {
            if !warmupDone, scenario.warmup <= hour {
                snapshots.run(&simulation, until: scenario.warmup)
                simulation.model.endWarmup(at: scenario.warmup)
                simulation.model.controller.startObservation(at: scenario.warmup)
                warmupDone = true
                continue
            }
            snapshots.run(&simulation, until: hour)
            sample(simulation)
            hour += 3_600
        }
        snapshots.run(&simulation, until: scenario.horizon)
        try simulation.checkCompleted()
        let balance = simulation.model.unitBalance()
        assert(balance.holds, "units lost or duplicated: \(balance)")
        simulation.model.controller.endObservation(at: scenario.horizon)
        let oee = simulation.model.controller.oee
        let recorder = simulation.model.controller
        var result = Experiment.replication(
            scenario, plant: simulation.model.results(at: scenario.horizon), oee: oee)
        result.unitBalance = balance
        result.snapshots = snapshots.taken
        result.trace = RunTrace.build(
            scenario: scenario, replication: replication, stateChanges: recorder.stateChanges,
            shipments: recorder.shipments, workInProcess: workInProcess, buffers: buffers, settings: settings,
            spc: recorder.spcCharts, audit: recorder.decisions)
        return result
    }

    /// Runs the warm-up (statistics and OEE restart at its end), then the observation window,
    /// and returns what the plant and the OEE accounts measured.
    static func observeWindow<Controller: OEEKeeping>(
        _ simulation: inout Simulation<Plant<Controller>>, _ scenario: Scenario
    ) throws -> Replication {
        var snapshots = Snapshots(scenario)
        if scenario.warmup > 0 {
            snapshots.run(&simulation, until: scenario.warmup)
            simulation.model.endWarmup(at: scenario.warmup)
            simulation.model.controller.startObservation(at: scenario.warmup)
        }
        snapshots.run(&simulation, until: scenario.horizon)
        try simulation.checkCompleted()
        let balance = simulation.model.unitBalance()
        assert(balance.holds, "units lost or duplicated: \(balance)")
        simulation.model.controller.endObservation(at: scenario.horizon)
        let oee = simulation.model.controller.oee
        var result = Experiment.replication(
            scenario, plant: simulation.model.results(at: scenario.horizon), oee: oee)
        result.unitBalance = balance
        result.snapshots = snapshots.taken
        return result
    }
}

/// The WIP by station at the scenario's snapshot times (`snapshot:`, `--snapshot-at`): the
/// run pauses at each (which changes no event) and counts the units at every station then —
/// in its buffer and on its machines — before the events due at that very instant.
struct Snapshots {
    let times: [Double]
    var next = 0
    /// Per snapshot time: units at each station, then the plant's total (hold area included).
    var taken: [[Double]] = []

    init(_ scenario: Scenario) { times = scenario.snapshots.filter { $0 <= scenario.horizon }.sorted() }

    /// Runs `simulation` to `end`, taking every snapshot due on the way.
    mutating func run<Controller: PlantController>(_ simulation: inout Simulation<Plant<Controller>>, until end: Double)
    {
        while next < times.count, times[next] <= end {
            simulation.run(until: times[next])
            let wip = simulation.model.workInProcess()
            taken.append(wip.inBuffer.indices.map { Double(wip.atStation($0)) } + [Double(wip.total)])
            next += 1
        }
        simulation.run(until: end)
    }
}
