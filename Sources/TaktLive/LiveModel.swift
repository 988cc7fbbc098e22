import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// One replication of a scenario under its MES, as a live session drives it: in slices of
/// simulated time, with commands between them. Generic over the dispatching rule underneath
/// (``LiveModelOf``), so the per-event path stays specialised; the session holds it through
/// this protocol, called once per slice, never per event.
protocol LiveModel: AnyObject {
    var now: Double { get }
    var executedEvents: UInt64 { get }
    /// The time of the next event, if any.
    func nextEventTime() -> Double?
    /// Runs every event due strictly before `time`.
    func run(until time: Double)
    /// Runs the next event.
    func runOneEvent()
    /// Ends the warm-up at `time`.
    func endWarmup(at time: Double)
    /// Queues `actions` for the MES and schedules their timer now.
    func submit(_ actions: [RuleAction], actor: String, reason: String)
    /// The MES's audit entries made since the last call.
    func drainAudit(into entries: inout [AuditEntry])
    /// What the live view shows of the plant and the MES now (reads only).
    func machineViews() -> [MachineView]
    func workInProcess() -> WorkInProcessSnapshot
    var counts: LifetimeCounts { get }
    /// The OEE accounts brought up to `now` (on a copy: the run's own are untouched).
    func oeeSoFar() -> OEECalculator
    var orders: [WorkOrder] { get }
    var workInProcessByOrder: [(order: Int, units: Int)] { get }
    /// Whether the run was given up, and why.
    var abortReason: String? { get }
    /// The replication's results, once it has run to the horizon.
    func finish() throws -> Experiment.Replication
}

final class LiveModelOf<Rule: DispatchRule>: LiveModel {
    var simulation: Simulation<Plant<MES<Rule>>>
    let scenario: Scenario

    init(_ simulation: Simulation<Plant<MES<Rule>>>, scenario: Scenario) {
        self.simulation = simulation
        self.scenario = scenario
    }

    var now: Double { simulation.now }
    var executedEvents: UInt64 { simulation.executedEvents }

    func nextEventTime() -> Double? { simulation.calendar.nextEventTime() }

    func run(until time: Double) { simulation.run(until: time) }

    func runOneEvent() { simulation.run(events: 1) }

    func endWarmup(at time: Double) { Experiment.endWarmup(&simulation, at: time) }

    func submit(_ actions: [RuleAction], actor: String, reason: String) {
        simulation.model.controller.submit(actions, actor: actor, reason: reason)
        simulation.calendar.schedule(.controllerTimer(tag: MESCore.liveCommandTag), at: simulation.now)
    }

    func drainAudit(into entries: inout [AuditEntry]) { simulation.model.controller.drainAudit(into: &entries) }

    func machineViews() -> [MachineView] { simulation.model.machineViews() }

    func workInProcess() -> WorkInProcessSnapshot { simulation.model.workInProcess() }

    var counts: LifetimeCounts { simulation.model.lifetimeCounts }

    func oeeSoFar() -> OEECalculator {
        var copy = simulation.model.controller.oee
        copy.close(at: simulation.now)
        return copy
    }

    var orders: [WorkOrder] { simulation.model.controller.book.orders }

    var workInProcessByOrder: [(order: Int, units: Int)] { simulation.model.controller.workInProcessByOrder() }

    var abortReason: String? { simulation.calendar.abortReason }

    func finish() throws -> Experiment.Replication { try Experiment.finishedReplication(&simulation, scenario) }
}

/// Builds the model of `scenario`'s replication under its own dispatching rule.
struct LiveModelBuilder: DispatchRuleVisitor {
    let scenario: Scenario
    let replication: Int

    func visit<Rule: DispatchRule>(_ rule: Rule) throws -> any LiveModel {
        guard var settings = scenario.mes?.settings else { preconditionFailure("no MES settings") }
        // The ticker shows the MES's decisions; a recall marked during the session needs the
        // genealogy from the start.
        settings.audits = true
        settings.retainsHistory = true
        let mes = try MES(
            layout: scenario.layout, settings: settings, rule: rule, idealCycle: scenario.idealCycles,
            seed: scenario.seed, replication: replication)
        let simulation = try Experiment.startedSimulation(scenario, replication: replication, controller: mes)
        return LiveModelOf(simulation, scenario: scenario)
    }
}
