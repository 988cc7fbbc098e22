import Foundation
import GRDB
import Testing
import TaktExperiment
import TaktStore

/// A run of scenario `name` with the KPIs given (per replication).
private func storedRun(_ name: String, _ kpis: [(String, [Double])], overrides: [String] = []) -> StoredRun {
    StoredRun(
        scenario: name, file: "\(name).yaml", scenarioSHA256: "abc", overrides: overrides, gitRevision: "f00d",
        seed: UInt64.max, replications: kpis.first?.1.count ?? 0, horizon: 86_400, warmup: 3_600,
        taktVersion: "t", started: "2026-12-07T00:00:00.000Z", finished: "2026-12-07T00:00:01.000Z",
        wallSeconds: 1, host: "h", user: "u", command: "run",
        kpis: kpis.map { KPIResult(name: $0.0, unit: "u", values: $0.1) })
}

private func temporaryStore() -> String {
    scratchPath()
}

@Suite("The results store (SQLite)")
struct ResultsStoreTests {
    @Test("a run comes back as it was written: what ran, and each KPI's values with undefined ones kept")
    func roundTrip() async throws {
        let path = temporaryStore()
        let store = try await ResultsStores.open(path)
        let run = storedRun(
            "line", [("throughput", [60, 62, 61]), ("otif", [1, .nan, 0.5])], overrides: ["a=1", "b=2"])
        let id = try await store.write(run)
        let read = try #require(try await store.runs(of: "line", kpis: [], limit: 10).first)
        var expected = run
        expected.id = id
        #expect(read.kpis.map(\.name).sorted() == ["otif", "throughput"])
        expected.kpis = read.kpis.map { kpi in run.kpis.first { $0.name == kpi.name }! }
        #expect(read.seed == UInt64.max && read.overrides == ["a=1", "b=2"] && read.gitRevision == "f00d")
        #expect(read.kpis.first { $0.name == "otif" }?.values.map { $0.isNaN ? -1 : $0 } == [1, -1, 0.5])
        #expect(read.kpis.first { $0.name == "throughput" }?.mean == 61)
        try await store.close()
    }

    @Test("history lists a scenario's last runs oldest first, with only the KPIs asked for")
    func history() async throws {
        let store = try await ResultsStores.open(temporaryStore())
        for value in [1.0, 2, 3, 4] {
            _ = try await store.write(storedRun("line", [("throughput", [value, value]), ("wip", [9, 9])]))
        }
        _ = try await store.write(storedRun("other", [("throughput", [7, 7])]))
        let runs = try await store.runs(of: "line", kpis: ["throughput"], limit: 3)
        #expect(runs.map { $0.kpis.first?.mean } == [2, 3, 4])
        #expect(runs.allSatisfy { $0.kpis.map(\.name) == ["throughput"] })
        try await store.close()
    }

    @Test("a file that is not a results store, or one of a newer schema, is refused with why")
    func refusals() async throws {
        let path = temporaryStore()
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        await #expect(throws: ResultsStoreError.self) { _ = try await ResultsStores.open(path) }
        let newer = temporaryStore()
        let store = try await ResultsStores.open(newer)
        try await store.close()
        try await DatabaseQueue(path: newer).write { db in
            try db.execute(sql: "INSERT INTO takt_store_version (version) VALUES (99)")
        }
        do {
            _ = try await ResultsStores.open(newer)
            Issue.record("a store of a newer schema was opened")
        } catch {
            #expect("\(error)".contains("schema version 99; this takt knows up to \(ResultsStores.schemaVersion)"))
        }
    }

    @Test(
        "a PostgreSQL address whose port is outside 1 to 65535 is refused before connecting, not wrapped or dropped",
        arguments: ["99999", "0", "9999999999999999999999", "", "-1", "54x"])
    func portOutOfRange(_ port: String) async throws {
        do {
            _ = try await ResultsStores.open("postgres://takt:secret@127.0.0.1:\(port)/takt")
            Issue.record("opened a store on port `\(port)`")
        } catch let error as ResultsStoreError {
            #expect(
                error.description
                    == "postgres://takt:***@127.0.0.1:\(port)/takt: the port must be a number from 1 to 65535; found `\(port)` (PostgreSQL listens on 5432 unless told otherwise)"
            )
        }
    }

    @Test("an address that does not parse is refused without showing its password")
    func malformedAddressHidesPassword() async throws {
        do {
            _ = try await ResultsStores.open("postgres://takt:secret@[::1/takt")
            Issue.record("opened a store at a malformed address")
        } catch let error as ResultsStoreError {
            #expect(error.description.hasPrefix("postgres://takt:***@[::1/takt: expected postgres://USER"))
            #expect(!error.description.contains("secret"))
        }
    }

    @Test("a store whose rows were damaged (a text where a number belongs) is an error, not a crash")
    func damagedRows() async throws {
        let path = temporaryStore()
        let store = try await ResultsStores.open(path)
        _ = try await store.write(storedRun("line", [("throughput", [60, 62])]))
        try await store.close()
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE runs SET replications = 'many'")
        }
        let reopened = try await ResultsStores.open(path)
        await #expect(throws: (any Error).self) { _ = try await reopened.runs(of: "line", kpis: [], limit: 10) }
        try await reopened.close()
    }
}
