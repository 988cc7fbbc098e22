import Foundation
import GRDB
import Testing
import TaktExperiment
import TaktMES
import TaktScenario
import TaktStore

/// A fresh temporary path ending in `.sqlite`.
private func temporaryPath() -> String {
    scratchPath()
}

/// Removes the store at `path` and the files beside it, at once: the failing scenario's
/// partial store holds ten million events (270 MB).
private func removeRunFiles(_ path: String) {
    for suffix in ["", "-wal", "-shm", ".seal", ".incomplete", ".incomplete-wal", ".incomplete-shm"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
    }
}

/// The flagship set up so that its run fails after the store was started: arrivals every
/// 0 s never let simulated time move on.
private func failingScenario() throws -> Scenario {
    try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/first-line.yaml",
        overrides: ["replications=1", "sources[0].every=const(0s)", "sources[0].limit=2000000000"])
}

@Suite("Nothing is overwritten, nothing is mistaken")
struct TraceTargetTests {
    @Test("a new path may take a store; an existing store only with replace; any other file never")
    func targetPolicy() throws {
        let fresh = temporaryPath()
        #expect(throws: Never.self) { try TraceTarget.check(fresh, replace: false) }
        let store = try tracedFlagship()
        #expect(throws: TraceTarget.Refusal.exists(path: store)) { try TraceTarget.check(store, replace: false) }
        #expect(throws: Never.self) { try TraceTarget.check(store, replace: true) }
        let notes = temporaryPath()
        try "notes".write(toFile: notes, atomically: true, encoding: .utf8)
        #expect(throws: TraceTarget.Refusal.notAStore(path: notes)) { try TraceTarget.check(notes, replace: true) }
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "notes")
    }

    @Test("a run that fails leaves the earlier store as it was and its own records beside it, marked incomplete")
    func failedRunKeepsTheEarlierStore() throws {
        let path = try tracedFlagship()
        defer { removeRunFiles(path) }
        let before = try AuditVerification.check(path)
        #expect(before.findings.isEmpty && before.complete)
        #expect(throws: TracedRun.Interrupted.self) { _ = try TracedRun.run(failingScenario(), to: path) }
        #expect(try AuditVerification.check(path) == before)
        let partial = try AuditVerification.check(TraceTarget.partial(of: path))
        #expect(!partial.complete && partial.findings.isEmpty)
    }

    @Test("the failure says where the partial records are and that the target was left alone")
    func failureMessage() throws {
        let path = temporaryPath()
        defer { removeRunFiles(path) }
        do {
            _ = try TracedRun.run(try failingScenario(), to: path)
            Issue.record("the run did not fail")
        } catch let error as TracedRun.Interrupted {
            #expect(
                error.description.contains("\(path).incomplete (marked incomplete), and \(path) was left as it was"))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a finished run's partial file is gone: the store is moved into place")
    func finishedRunMovesIntoPlace() throws {
        let path = try tracedFlagship()
        #expect(!FileManager.default.fileExists(atPath: TraceTarget.partial(of: path)))
        #expect(try AuditVerification.check(path).complete)
    }
}

@Suite("audit verify reads every value defensively")
struct AuditVerificationRobustnessTests {
    @Test("text in an integer column is a located finding, not a crash")
    func wrongTypeIsLocated() throws {
        let path = try tracedFlagship()
        try tamper(path, "UPDATE audit SET seq = 'abc' WHERE rowid = 7")
        let findings = try AuditVerification.verify(path)
        #expect(
            findings.first?.problem.hasPrefix("row 7 of table audit: `seq` holds TEXT \"abc\", expected an integer")
                == true)
    }

    @Test("text where the time (a number) belongs is located too")
    func textForANumber() throws {
        let path = try tracedFlagship()
        try tamper(path, "UPDATE audit SET time = 'noon' WHERE rowid = 9")
        #expect(
            try AuditVerification.verify(path).first?.problem.hasPrefix(
                "row 9 of table audit: `time` holds TEXT \"noon\", expected a number") == true)
    }

    @Test("cutting the last entries and rewriting the chain record's head to match is caught by the entry count")
    func truncatedWithHeadRewritten() throws {
        let path = try tracedFlagship()
        let last = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT max(seq) FROM audit") }
        let cut = try #require(last) - 10
        try tamper(path, "DELETE FROM audit WHERE seq > \(cut)")
        try tamper(
            path,
            "UPDATE chain SET head = (SELECT hash FROM audit WHERE seq = \(cut)) WHERE table_name = 'audit'")
        let findings = try AuditVerification.verify(path)
        #expect(
            findings.first?.problem == "the run recorded \(cut + 10) entries when it finished; the trail holds \(cut)")
    }
}

@Suite("The audit trail's encoding is unambiguous")
struct AuditEncodingTests {
    @Test("each entry's hash is the documented row encoding of its fields after the entry before")
    func documentedEncoding() throws {
        let path = try tracedFlagship()
        let stored = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT hash FROM audit ORDER BY rowid")
        }
        #expect(stored.count > 1_000)
        #expect(try Forger.chain(path, table: "audit").map(Forger.hex) == stored)
    }

    @Test("a tab in a name cannot move data into the next field without changing the hash")
    func tabsCannotMoveFields() {
        let a = Forger.encode(["rule a\tb".databaseValue, "c".databaseValue])
        let b = Forger.encode(["rule a".databaseValue, "b\tc".databaseValue])
        #expect(a != b)
        #expect(Forger.sha(a) != Forger.sha(b))
    }

    @Test("a NUL inside a name is stored whole and the trail verifies intact")
    func nulIsKept() throws {
        let path = scratchPath()
        let store = try TraceStore(creating: path, run: ["scenario": "nul"])
        try store.appendAudit(
            AuditEntry(time: 1, actor: "rule a\u{0}b", action: "hold", subject: "unit 1", reason: "x", old: "", new: "")
        )
        try store.appendAudit(
            AuditEntry(time: 2, actor: "rule a", action: "hold", subject: "unit 2", reason: "y", old: "", new: ""))
        try store.finish()
        try store.close()
        let report = try AuditVerification.check(path)
        #expect(report.findings.isEmpty && report.complete && report.entries == 2)
        let length = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT length(CAST(actor AS BLOB)) FROM audit WHERE seq = 1")
        }
        #expect(length == 8)
    }
}
