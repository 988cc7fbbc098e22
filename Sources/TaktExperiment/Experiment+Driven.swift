import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// A replication driven from outside ``Experiment/run(_:parallelism:trace:sideJob:progress:)``
/// — a live session that advances in slices and takes commands between them — ends its
/// warm-up and closes its window exactly as a batch replication does, so its results are
/// read the same way.
extension Experiment {
    /// Ends the warm-up at `time`: the plant's and the controller's statistics restart.
    public static func endWarmup<Controller: OEEKeeping>(
        _ simulation: inout Simulation<Plant<Controller>>, at time: Double
    ) {
        simulation.model.endWarmup(at: time)
        simulation.model.controller.startObservation(at: time)
    }

    /// The results of a replication under an MES that has been run to `scenario`'s horizon:
    /// the window is closed, and the plant's figures, OEE accounts and MES records are read
    /// as ``run(_:parallelism:trace:sideJob:progress:)`` reads them.
    ///
    /// - Throws: ``RunAborted`` when the run was given up.
    public static func finishedReplication<Rule: DispatchRule>(
        _ simulation: inout Simulation<Plant<MES<Rule>>>, _ scenario: Scenario
    ) throws -> Replication {
        try simulation.checkCompleted()
        let balance = simulation.model.unitBalance()
        simulation.model.controller.endObservation(at: scenario.horizon)
        var result = replication(
            scenario, plant: simulation.model.results(at: scenario.horizon), oee: simulation.model.controller.oee)
        result.unitBalance = balance
        MESReplication.addMESRecords(simulation.model.controller, to: &result, scenario)
        return result
    }
}
