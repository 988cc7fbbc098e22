import Foundation
import GRDB
import Testing
import TaktExperiment
import TaktMES
import TaktScenario
import TaktStore

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The directory this test process writes its stores into, removed when the process exits: a
/// run of these tests writes about 2.5 GB of trace stores, which must not pile up in the
/// system's temporary directory run after run until the disk is full.
let scratchDirectory: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("takt-store-tests-\(UUID().uuidString)")
        .path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { removeScratchDirectory() }
    return path
}()

private func removeScratchDirectory() { try? FileManager.default.removeItem(atPath: scratchDirectory) }

/// A fresh path in the scratch directory, ending in `suffix`.
func scratchPath(_ suffix: String = ".sqlite") -> String {
    scratchDirectory + "/takt-\(UUID().uuidString)\(suffix)"
}

/// A traced run of the flagship (five days) in a fresh scratch file.
func tracedFlagship() throws -> String {
    let path = scratchPath()
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=5d", "replications=1"])
    _ = try TracedRun.run(scenario, to: path)
    return path
}

/// Opens `path` for writing, to tamper with it as an attacker would.
func tamper(_ path: String, _ sql: String) throws {
    let database = try DatabaseQueue(path: path)
    try database.write { db in try db.execute(sql: sql) }
}

@Suite("The trace store and its audit trail")
struct TraceStoreTests {
    @Test("a finished traced run verifies and is marked complete")
    func intact() throws {
        let path = try tracedFlagship()
        #expect(try AuditVerification.verify(path).isEmpty)
        #expect(try TraceQuery.isComplete(DatabaseHandle(path).queue))
    }

    @Test("a flipped byte in an entry is found at that entry")
    func editedEntry() throws {
        let path = try tracedFlagship()
        try tamper(path, "UPDATE audit SET new = new || 'x' WHERE seq = 40")
        let findings = try AuditVerification.verify(path)
        #expect(findings.first?.entry == 40)
        #expect(findings.first?.problem.contains("edited") == true)
    }

    @Test("a deleted entry is found where the sequence jumps")
    func deletedEntry() throws {
        let path = try tracedFlagship()
        try tamper(path, "DELETE FROM audit WHERE seq = 40")
        let findings = try AuditVerification.verify(path)
        #expect(findings.first?.entry == 41)
        #expect(findings.first?.problem == "entry 40 is missing: deleted")
    }

    @Test("an inserted entry is found")
    func insertedEntry() throws {
        let path = try tracedFlagship()
        // A forged entry appended with the next number: its hash cannot follow the chain.
        try tamper(
            path,
            """
            INSERT INTO audit (replication, seq, time, recorded, actor, action, subject, reason, old, new, hash)
            SELECT replication, seq + 1, time, recorded, 'operator', 'release-unit', 'unit 1', 'forged', '', '', hash
            FROM audit ORDER BY rowid DESC LIMIT 1
            """)
        let entries = try DatabaseHandle(path).queue.read { db in
            try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM audit")
        }
        let findings = try AuditVerification.verify(path)
        #expect(findings.first?.entry == entries)
        #expect(findings.first?.problem.contains("inserted") == true)
    }

    @Test("a swapped pair is found as reordered")
    func swappedPair() throws {
        let path = try tracedFlagship()
        try tamper(
            path,
            """
            CREATE TEMP TABLE pair AS SELECT rowid AS r, * FROM audit WHERE seq IN (40, 41);
            UPDATE audit SET seq = (SELECT seq FROM pair WHERE r != audit.rowid),
                time = (SELECT time FROM pair WHERE r != audit.rowid),
                recorded = (SELECT recorded FROM pair WHERE r != audit.rowid),
                actor = (SELECT actor FROM pair WHERE r != audit.rowid),
                action = (SELECT action FROM pair WHERE r != audit.rowid),
                subject = (SELECT subject FROM pair WHERE r != audit.rowid),
                reason = (SELECT reason FROM pair WHERE r != audit.rowid),
                old = (SELECT old FROM pair WHERE r != audit.rowid),
                new = (SELECT new FROM pair WHERE r != audit.rowid),
                hash = (SELECT hash FROM pair WHERE r != audit.rowid)
            WHERE seq IN (40, 41);
            """)
        let findings = try AuditVerification.verify(path)
        #expect(findings.first?.entry == 41)
        #expect(findings.first?.problem == "comes before entry 40: entries were reordered")
    }

    @Test("a store of another schema version is refused with a clear error")
    func otherSchema() throws {
        let path = try tracedFlagship()
        try tamper(path, "PRAGMA user_version = 7")
        #expect(throws: TraceStore.StoreError.otherSchema(path: path, found: 7)) { try DatabaseHandle(path) }
        #expect(
            TraceStore.StoreError.otherSchema(path: path, found: 7).description.contains(
                "trace store schema version 7; this takt reads version 5"))
    }

    @Test("a unit's genealogy lists its lots, operations in route order and its measurement")
    func backwardTrace() throws {
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let unit = try #require(try TraceQuery.unit(500, in: database))
        #expect(unit.lots.map(\.material) == ["pcb-blank", "wifi-soc"])
        // The writer passes the MES's order book through: flagship units all belong to orders.
        #expect(unit.workOrder != nil)
        #expect(unit.operations.map(\.station).prefix(3) == ["print", "spi", "place"])
        #expect(unit.measurements.map(\.station) == ["print"])
        let forward = try TraceQuery.lot(unit.lots[1].lot, material: "wifi-soc", in: database)
        #expect(forward.units.contains { $0.serial == 500 })
        #expect(Set(forward.units.map(\.serial)).count == forward.units.count)
    }

    @Test("a run that never finished leaves a store that opens and reads as incomplete")
    func unfinished() throws {
        let path = scratchPath()
        do {
            let store = try TraceStore(creating: path, run: ["scenario": "t"])
            try store.appendAudit(AuditEntry(time: 1, actor: "a", action: "b", subject: "c", reason: "d"))
            try store.flush()
            try store.waitForWrites()
        }
        let database = try DatabaseHandle(path).queue
        #expect(try !TraceQuery.isComplete(database))
        #expect(try AuditVerification.verify(path).isEmpty)
    }
}

@Suite("Tracing beside the replications")
struct TracedSideJobTests {
    @Test("a traced replication run beside the others changes no result, and its store verifies")
    func sideJobChangesNothing() async throws {
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=3d", "replications=3"])
        let path = scratchPath()
        let plain = try await Experiment.run(scenario)
        let traced = try await Experiment.run(scenario, sideJob: { _ = try TracedRun.run(scenario, to: path) })
        #expect(traced == plain)
        #expect(try AuditVerification.verify(path).isEmpty)
        #expect(try TraceQuery.isComplete(DatabaseHandle(path).queue))
    }
}

@Suite("As-built records in the trace store")
struct AsBuiltTraceTests {
    @Test("changeovers are recorded only where products change over, rework only at the rework bench")
    func flags() throws {
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let (setupStations, reworkStations, setups, reworks) = try database.read { db in
            (
                try String.fetchAll(db, sql: "SELECT DISTINCT station FROM operation WHERE setup = 1"),
                try String.fetchAll(db, sql: "SELECT DISTINCT station FROM operation WHERE rework = 1"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operation WHERE setup = 1") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operation WHERE rework = 1") ?? 0
            )
        }
        #expect(setupStations == ["place"])
        #expect(reworkStations == ["rework-bench"])
        #expect(setups > 0 && reworks > 0)
    }

    @Test("every dispatching decision in the audit trail names the unit its machine worked on next")
    func dispatchDecisions() throws {
        // Two records written independently: the MES's decision (audit) and the plant's
        // operation (as-built, written when the operation ends). On each machine, the first
        // operation starting at or after a decision must be the unit the decision chose;
        // only a machine's last decision may have none (its unit was still in process at the
        // horizon, as at the printer stopped by the end of the shift).
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let (decisions, operations) = try database.read { db in
            (
                try Row.fetchAll(
                    db, sql: "SELECT time, subject, new FROM audit WHERE action = 'dispatch' ORDER BY seq"),
                try Row.fetchAll(db, sql: "SELECT machine, serial, start FROM operation ORDER BY start")
            )
        }
        #expect(decisions.count > 1_000)
        var starts: [String: [(start: Double, serial: Int)]] = [:]
        for row in operations { starts[row["machine"], default: []].append((row["start"], row["serial"])) }
        /// The machine's name in the operation table, from the entry's `machine place-2`.
        func machine(_ decision: Row) -> String { String((decision["new"] as String).dropFirst("machine ".count)) }
        var lastDecision: [String: Double] = [:]
        for decision in decisions { lastDecision[machine(decision)] = decision["time"] }
        var mismatches = 0
        for decision in decisions {
            let time: Double = decision["time"]
            let subject: String = decision["subject"]
            if let next = starts[machine(decision)]?.first(where: { $0.start >= time }) {
                if "unit \(next.serial)" != subject { mismatches += 1 }
            } else if lastDecision[machine(decision)] != time {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }
}
