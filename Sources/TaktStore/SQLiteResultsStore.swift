import Foundation
import GRDB
import TaktExperiment

/// A results store in an SQLite file: the embedded default, no server needed.
struct SQLiteResultsStore: ResultsStore {
    let database: DatabaseQueue
    let path: String

    init(path: String) throws {
        self.path = path
        do {
            database = try DatabaseQueue(path: path)
            try database.write { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if !tables.isEmpty, !tables.contains("takt_store_version") {
                    throw ResultsStoreError(
                        "\(path) is an SQLite file but not a Takt results store (it has the tables \(tables.sorted().joined(separator: ", ")))"
                    )
                }
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS takt_store_version (version INTEGER NOT NULL)")
                let version = try Int.fetchOne(db, sql: "SELECT max(version) FROM takt_store_version") ?? 0
                try ResultsStores.check(version: version, location: path)
                for (index, statements) in ResultsStores.migrations.enumerated() where index >= version {
                    for statement in statements {
                        try db.execute(
                            sql: statement.replacingOccurrences(of: "%id", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                                .replacingOccurrences(of: "%values", with: "TEXT NOT NULL"))
                    }
                    try db.execute(sql: "INSERT INTO takt_store_version (version) VALUES (?)", arguments: [index + 1])
                }
            }
        } catch let error as ResultsStoreError {
            throw error
        } catch {
            throw ResultsStoreError("\(path): cannot be opened as a results store (\(error))")
        }
    }

    func write(_ run: StoredRun) async throws -> Int64 {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (scenario, file, scenario_sha256, overrides, git_revision, seed, replications,
                        horizon, warmup, takt_version, started_utc, finished_utc, wall_seconds, host, os_user, command)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.scenario, run.file, run.scenarioSHA256, run.overrides.joined(separator: "\n"), run.gitRevision,
                    "\(run.seed)", run.replications, run.horizon, run.warmup, run.taktVersion, run.started,
                    run.finished, run.wallSeconds, run.host, run.user, run.command,
                ])
            let id = db.lastInsertedRowID
            let statement = try db.makeStatement(
                sql: "INSERT INTO run_kpis (run_id, kpi, unit, per_replication) VALUES (?, ?, ?, ?)")
            for kpi in run.kpis {
                try statement.execute(arguments: [id, kpi.name, kpi.unit, StoredKPIs.json(kpi.values)])
            }
            return id
        }
    }

    func runs(of scenario: String, kpis: [String], limit: Int) async throws -> [StoredRun] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM runs WHERE scenario = ? ORDER BY id DESC LIMIT ?", arguments: [scenario, limit])
            // Every value is read type-checked, so a damaged or foreign store is an error, never a crash.
            return try rows.reversed().map { row in
                func column<Value: DatabaseValueConvertible>(_ name: String) throws -> Value {
                    try row.decode(Value.self, forColumn: name)
                }
                let id: Int64 = try column("id")
                var filter = ""
                var arguments: [DatabaseValueConvertible] = [id]
                if !kpis.isEmpty {
                    filter = " AND kpi IN (\(kpis.map { _ in "?" }.joined(separator: ", ")))"
                    arguments += kpis
                }
                let values = try Row.fetchAll(
                    db, sql: "SELECT kpi, unit, per_replication FROM run_kpis WHERE run_id = ?\(filter) ORDER BY kpi",
                    arguments: StatementArguments(arguments))
                let overrides: String = try column("overrides")
                let seed: String = try column("seed")
                return StoredRun(
                    id: id, scenario: try column("scenario"), file: try column("file"),
                    scenarioSHA256: try column("scenario_sha256"),
                    overrides: overrides.split(separator: "\n").map(String.init),
                    gitRevision: try column("git_revision"), seed: UInt64(seed) ?? 0,
                    replications: try column("replications"), horizon: try column("horizon"),
                    warmup: try column("warmup"), taktVersion: try column("takt_version"),
                    started: try column("started_utc"), finished: try column("finished_utc"),
                    wallSeconds: try column("wall_seconds"), host: try column("host"), user: try column("os_user"),
                    command: try column("command"),
                    kpis: try values.map {
                        KPIResult(
                            name: try $0.decode(String.self, forColumn: "kpi"),
                            unit: try $0.decode(String.self, forColumn: "unit"),
                            values: StoredKPIs.values(json: try $0.decode(String.self, forColumn: "per_replication")))
                    })
            }
        }
    }

    func close() async throws { try database.close() }
}

/// A KPI's per-replication values as a store keeps them.
enum StoredKPIs {
    /// As a JSON array, null where undefined.
    static func json(_ values: [Double]) -> String {
        "[" + values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ",") + "]"
    }

    /// From a JSON array, NaN where null (or anything but a number).
    static func values(json text: String) -> [Double] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else { return [] }
        return array.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }
}
