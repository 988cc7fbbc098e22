import Foundation
import TaktExperiment

/// A run as a team's results store keeps it: what ran (scenario, its SHA-256, overrides,
/// git revision, seed, replications), who ran it and when, and every KPI's per-replication
/// values.
public struct StoredRun: Sendable, Equatable {
    /// Set by the store when written.
    public var id: Int64?
    public var scenario: String
    public var file: String
    public var scenarioSHA256: String
    public var overrides: [String]
    public var gitRevision: String?
    public var seed: UInt64
    public var replications: Int
    public var horizon: Double
    public var warmup: Double
    public var taktVersion: String
    /// Wall clock, UTC, ISO 8601; and the seconds between them.
    public var started: String
    public var finished: String
    public var wallSeconds: Double
    public var host: String
    public var user: String
    /// `run`, `sweep` (one stored run per point), `merge`.
    public var command: String
    public var kpis: [KPIResult]

    public init(
        id: Int64? = nil, scenario: String, file: String, scenarioSHA256: String, overrides: [String],
        gitRevision: String?, seed: UInt64, replications: Int, horizon: Double, warmup: Double, taktVersion: String,
        started: String, finished: String, wallSeconds: Double, host: String, user: String, command: String,
        kpis: [KPIResult]
    ) {
        self.id = id
        self.scenario = scenario
        self.file = file
        self.scenarioSHA256 = scenarioSHA256
        self.overrides = overrides
        self.gitRevision = gitRevision
        self.seed = seed
        self.replications = replications
        self.horizon = horizon
        self.warmup = warmup
        self.taktVersion = taktVersion
        self.started = started
        self.finished = finished
        self.wallSeconds = wallSeconds
        self.host = host
        self.user = user
        self.command = command
        self.kpis = kpis
    }

    /// The run of `results`, run with `overrides` (the file's SHA-256 and git revision are read now).
    public init(
        _ results: ExperimentResults, overrides: [String], command: String, taktVersion: String, started: Date,
        finished: Date
    ) {
        let provenance = Provenance(taktVersion: taktVersion, overrides: overrides)
        self.init(
            scenario: results.scenario, file: results.file,
            scenarioSHA256: Provenance.sha256(ofFile: results.file) ?? "", overrides: overrides,
            gitRevision: GitRevision.of(file: results.file), seed: results.seed, replications: results.replications,
            horizon: results.horizon, warmup: results.warmup, taktVersion: taktVersion,
            started: WallClock.iso8601(millis: Int64(started.timeIntervalSince1970 * 1_000)),
            finished: WallClock.iso8601(millis: Int64(finished.timeIntervalSince1970 * 1_000)),
            wallSeconds: finished.timeIntervalSince(started), host: provenance.host, user: provenance.user,
            command: command, kpis: results.kpis)
    }
}

/// What a store cannot do, in words: where it is, and what went wrong.
public struct ResultsStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A team's store of runs: SQLite (a file, no server) or PostgreSQL (a shared server). Every
/// run is written in one transaction — all of it, or nothing.
public protocol ResultsStore: Sendable {
    /// Writes `run` and its KPI values; returns its id.
    func write(_ run: StoredRun) async throws -> Int64
    /// The runs of scenario `scenario` (by name), oldest first, the last `limit` of them, each
    /// with the KPIs that `kpis` names (all when empty).
    func runs(of scenario: String, kpis: [String], limit: Int) async throws -> [StoredRun]
    /// Closes the connection.
    func close() async throws
}

/// Opening a store from `--store` or `TAKT_STORE`.
public enum ResultsStores {
    /// `postgres://user[:password]@host[:port]/database` or `postgresql://…`: PostgreSQL;
    /// anything else: an SQLite file (created if missing).
    public static func open(_ location: String) async throws -> any ResultsStore {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await PostgresResultsStore.connect(location)
        }
        return try SQLiteResultsStore(path: location)
    }

    /// The store's schema, version by version: a new version appends statements, never edits
    /// an earlier one, so every store can be brought up to date (`takt_store_version`).
    /// `%id` stands for the dialect's auto-numbered key, `%values` for a KPI's values by
    /// replication (PostgreSQL: `float8[]`, NaN where undefined; SQLite: a JSON array, null
    /// where undefined).
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE runs (id %id, scenario TEXT NOT NULL, file TEXT NOT NULL, scenario_sha256 TEXT NOT NULL,
                overrides TEXT NOT NULL, git_revision TEXT, seed TEXT NOT NULL, replications INTEGER NOT NULL,
                horizon DOUBLE PRECISION NOT NULL, warmup DOUBLE PRECISION NOT NULL, takt_version TEXT NOT NULL,
                started_utc TEXT NOT NULL, finished_utc TEXT NOT NULL, wall_seconds DOUBLE PRECISION NOT NULL,
                host TEXT NOT NULL, os_user TEXT NOT NULL, command TEXT NOT NULL)
            """,
            "CREATE INDEX runs_scenario ON runs (scenario, id)",
            """
            CREATE TABLE run_kpis (run_id BIGINT NOT NULL REFERENCES runs (id), kpi TEXT NOT NULL, unit TEXT NOT NULL,
                per_replication %values, PRIMARY KEY (run_id, kpi))
            """,
        ]
    ]

    /// The schema version this build writes and reads.
    public static var schemaVersion: Int { migrations.count }

    /// Refuses a store written by a newer Takt.
    static func check(version: Int, location: String) throws {
        guard version <= schemaVersion else {
            throw ResultsStoreError(
                "\(location): a results store of schema version \(version); this takt knows up to \(schemaVersion): update takt"
            )
        }
    }
}

/// The git revision of the repository holding a file (with `+modified` when the file has
/// uncommitted changes), or nil outside a repository.
public enum GitRevision {
    public static func of(file: String) -> String? {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        guard let revision = git(["-C", directory, "rev-parse", "HEAD"]), !revision.isEmpty else { return nil }
        let name = URL(fileURLWithPath: file).lastPathComponent
        let changed = git(["-C", directory, "status", "--porcelain", "--", name]).map { !$0.isEmpty } ?? false
        return revision + (changed ? "+modified" : "")
    }

    static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
