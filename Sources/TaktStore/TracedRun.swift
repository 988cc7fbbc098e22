import Foundation
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Runs replications of a scenario with their records streamed into one trace store, one
/// replication after another (each row names its replication).
public enum TracedRun {
    /// What a traced run wrote.
    public struct Summary: Sendable {
        /// The replications traced, in the order written.
        public var replications: [Int]
        /// Rows written (units, operations, lot draws, measurements, defects, audit entries).
        public var rows: Int
        /// Audit entries among them.
        public var auditEntries: Int
        /// CPU seconds of the whole run, writing included.
        public var seconds: Double
        /// The store's seal (signed when a signer was given), also in the `STORE.seal` sidecar.
        public var seal: SealRecord
    }

    /// The run failed after its store was started: the partial store is kept beside the
    /// target, which is left as it was.
    public struct Interrupted: Error, CustomStringConvertible {
        public var path: String
        public var cause: Error

        public var description: String {
            "\(cause); the records up to the failure are in \(TraceTarget.partial(of: path)) (marked incomplete), and \(path) was left as it was"
        }
    }

    /// Runs the replications `replications` of `scenario` to its horizon, one after another,
    /// writing to `path` (audit entries are numbered across them). The
    /// store is written to ``TraceTarget/partial(of:)`` and moved to `path` (replacing what
    /// is there; callers check with ``TraceTarget/check(_:replace:)`` first) only when the
    /// run has finished, and its seal (signed by `signer`) to ``SealFile/path(of:)``; a
    /// failed or killed run leaves the partial store, marked incomplete.
    public static func run(
        _ scenario: Scenario, replications: [Int] = [0], to path: String,
        provenance: Provenance = Provenance(taktVersion: "unknown"), signer: SealSigner? = nil
    ) throws -> Summary {
        let partial = TraceTarget.partial(of: path)
        let summary: Summary
        do {
            let written = try write(
                scenario, replications: replications, to: partial, provenance: provenance, signer: signer)
            try TraceTarget.install(partial, at: path)
            summary = written
        } catch {
            throw Interrupted(path: path, cause: error)
        }
        do {
            try SealFile.write(summary.seal, store: path)
        } catch {
            throw SealError(
                description:
                    "\(path) is complete, but its seal file \(SealFile.path(of: path)) cannot be written (\(error.localizedDescription)); its seal is \(summary.seal.seal)"
            )
        }
        return summary
    }

    static func write(
        _ scenario: Scenario, replications: [Int], to path: String, provenance: Provenance, signer: SealSigner?
    ) throws -> Summary {
        let started = clock()
        let names = TraceNames(scenario)
        var wallClock = WallClock()
        var record = provenance.record(scenarioFile: scenario.file, startedAt: wallClock.now())
        record.merge([
            "scenario": scenario.name, "file": scenario.file, "seed": "\(scenario.seed)",
            "replications": replications.map(String.init).joined(separator: ","),
            "horizon_s": "\(scenario.horizon)",
            "schema_version": "\(TraceStore.schemaVersion)",
        ]) { $1 }
        let store = try TraceStore(creating: path, run: record, names: names)
        do {
            for replication in replications {
                try store.beginReplication(replication)
                if scenario.mes != nil {
                    try scenario.visitDispatchRule(Visitor(scenario: scenario, replication: replication, store: store))
                } else {
                    let monitor = OEEMonitor(
                        layout: scenario.layout, idealCycle: scenario.idealCycles,
                        minorStopThreshold: scenario.minorStopThreshold)
                    try simulate(TraceWriter(monitor, store: store), scenario, replication)
                }
            }
        } catch {
            // The partial store stays, marked incomplete. Its writer thread may still be
            // writing the last batches: let it finish and close the file before the failure
            // is reported, or whoever opens the partial store next finds it locked.
            try? store.flush()
            try? store.waitForWrites()
            try? store.close()
            throw error
        }
        let seal = try store.finish(summary: ["finished_utc": wallClock.now()], signer: signer)
        try store.close()
        return Summary(
            replications: replications, rows: store.rowsWritten, auditEntries: store.auditSequence,
            seconds: Double(clock() - started) / Double(CLOCKS_PER_SEC), seal: seal)
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
