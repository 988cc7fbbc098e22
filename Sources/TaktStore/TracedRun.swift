import Foundation
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Runs one replication of a scenario with its records streamed into a trace store.
public enum TracedRun {
    /// What a traced run wrote.
    public struct Summary: Sendable {
        /// Rows written (units, operations, lot draws, measurements, defects, audit entries).
        public var rows: Int
        /// Audit entries among them.
        public var auditEntries: Int
        /// CPU seconds of the whole run, writing included.
        public var seconds: Double
    }

    /// Runs replication `replication` of `scenario` to its horizon, writing to `path`.
    public static func run(_ scenario: Scenario, replication: Int = 0, to path: String) throws -> Summary {
        let started = clock()
        let names = TraceNames(scenario)
        let store = try TraceStore(
            creating: path,
            run: [
                "scenario": scenario.name, "file": scenario.file, "seed": "\(scenario.seed)",
                "replication": "\(replication)", "horizon_s": "\(scenario.horizon)",
                "schema_version": "\(TraceStore.schemaVersion)",
            ], names: names)
        if scenario.mes != nil {
            try scenario.visitDispatchRule(Visitor(scenario: scenario, replication: replication, store: store))
        } else {
            let monitor = OEEMonitor(
                layout: scenario.layout, idealCycle: scenario.idealCycles,
                minorStopThreshold: scenario.minorStopThreshold)
            try simulate(TraceWriter(monitor, store: store), scenario, replication)
        }
        try store.finish()
        return Summary(
            rows: store.rowsWritten, auditEntries: store.auditSequence,
            seconds: Double(clock() - started) / Double(CLOCKS_PER_SEC))
    }

    struct Visitor: DispatchRuleVisitor {
        let scenario: Scenario
        let replication: Int
        let store: TraceStore

        func visit<Rule: DispatchRule>(_ rule: Rule) throws {
            guard var settings = scenario.mes?.settings else { return }
            settings.audits = true
            settings.retainsHistory = false
            let mes = try MES(
                layout: scenario.layout, settings: settings, rule: rule, idealCycle: scenario.idealCycles,
                seed: scenario.seed, replication: replication)
            try TracedRun.simulate(TraceWriter(mes, store: store), scenario, replication)
        }
    }

    static func simulate<Inner: OEEKeeping>(_ writer: TraceWriter<Inner>, _ scenario: Scenario, _ replication: Int)
        throws
    {
        var simulation = try Experiment.startedSimulation(scenario, replication: replication, controller: writer)
        simulation.run(until: scenario.horizon)
        if let failure = simulation.model.controller.failure { throw failure }
        try simulation.checkCompleted()
    }
}
