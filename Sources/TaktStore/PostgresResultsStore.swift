import Foundation
import Logging
import PostgresNIO
import TaktExperiment

/// A results store on a PostgreSQL server, shared by a team: one connection, one transaction
/// per run written.
struct PostgresResultsStore: ResultsStore {
    let connection: PostgresConnection
    /// The location without its password, for messages.
    let location: String
    static let logger = Logger(label: "takt.store")

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and brings its
    /// schema up to date.
    static func connect(_ url: String) async throws -> PostgresResultsStore {
        let port = try self.port(of: url)
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else {
            throw ResultsStoreError(
                "\(redacted(url)): expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, e.g. postgres://takt@127.0.0.1:5432/takt"
            )
        }
        let database = String(components.path.drop { $0 == "/" })
        let location = redacted(url)
        let configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database.isEmpty ? nil : database,
            tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw ResultsStoreError(
                "cannot reach the results store \(location): \(reason(error)) (is the server running and the address right?)"
            )
        }
        let store = PostgresResultsStore(connection: connection, location: location)
        do {
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// The port `url` names, 5432 when it names none. A port outside 1…65535 is an error:
    /// `URLComponents` gave nil for one past `Int`'s range (so the default was used) and the
    /// connection took 99999 modulo 65536, another server's port.
    static func port(of url: String) throws(ResultsStoreError) -> Int {
        let authority = self.authority(of: url)
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let afterHost = hostAndPort.split(separator: "]", omittingEmptySubsequences: false).last ?? ""
        guard let colon = afterHost.lastIndex(of: ":") else { return 5432 }
        let text = afterHost[afterHost.index(after: colon)...]
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw ResultsStoreError(
                "\(redacted(url)): the port must be a number from 1 to 65535; found `\(text)` (PostgreSQL listens on 5432 unless told otherwise)"
            )
        }
        return port
    }

    /// `url` with its password replaced by `***`, also when the rest of it does not parse.
    static func redacted(_ url: String) -> String {
        let authority = self.authority(of: url)
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    /// The `user:password@host:port` part of `url`, read by hand so that an address
    /// `URLComponents` refuses can still be checked and redacted.
    static func authority(of url: String) -> Substring {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[url.endIndex...]
        return afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }

    /// What went wrong, in words (the server's own message when it sent one).
    static func reason(_ error: any Error) -> String {
        if let server = error as? PSQLError, let message = server.serverInfo?[.message] { return message }
        if let transaction = error as? PostgresTransactionError {
            return [
                transaction.beginError, transaction.closureError, transaction.rollbackError, transaction.commitError,
            ]
            .compactMap { $0 }.map(reason).first ?? "\(error)"
        }
        if let psql = error as? PSQLError, let underlying = psql.underlying { return "\(underlying)" }
        return "\(error)"
    }

    /// Applies the migrations this store lacks, in one transaction.
    func migrate() async throws {
        do {
            try await connection.withTransaction(logger: Self.logger) { db in
                // Two Takts setting up one store at once take turns.
                try await db.query("SELECT pg_advisory_xact_lock(727311)", logger: Self.logger)
                try await db.query(
                    "CREATE TABLE IF NOT EXISTS takt_store_version (version INTEGER NOT NULL)", logger: Self.logger)
                var version = 0
                for try await (value) in try await db.query(
                    "SELECT coalesce(max(version), 0) FROM takt_store_version", logger: Self.logger
                ).decode(Int.self) {
                    version = value
                }
                try ResultsStores.check(version: version, location: location)
                for (index, statements) in ResultsStores.migrations.enumerated() where index >= version {
                    for statement in statements {
                        try await db.query(
                            PostgresQuery(
                                unsafeSQL: statement.replacingOccurrences(of: "%id", with: "BIGSERIAL PRIMARY KEY")
                                    .replacingOccurrences(of: "%values", with: "DOUBLE PRECISION[] NOT NULL")),
                            logger: Self.logger)
                    }
                    try await db.query(
                        "INSERT INTO takt_store_version (version) VALUES (\(index + 1))", logger: Self.logger)
                }
            }
        } catch let error as ResultsStoreError {
            throw error
        } catch {
            throw ResultsStoreError("\(location): the store's schema cannot be set up: \(Self.reason(error))")
        }
    }

    func write(_ run: StoredRun) async throws -> Int64 {
        do {
            return try await connection.withTransaction(logger: Self.logger) { db in
                let overrides = run.overrides.joined(separator: "\n")
                let seed = "\(run.seed)"
                var id: Int64 = 0
                for try await value in try await db.query(
                    """
                    INSERT INTO runs (scenario, file, scenario_sha256, overrides, git_revision, seed, replications,
                        horizon, warmup, takt_version, started_utc, finished_utc, wall_seconds, host, os_user, command)
                    VALUES (\(run.scenario), \(run.file), \(run.scenarioSHA256), \(overrides), \(run.gitRevision),
                        \(seed), \(run.replications), \(run.horizon), \(run.warmup), \(run.taktVersion), \(run.started),
                        \(run.finished), \(run.wallSeconds), \(run.host), \(run.user), \(run.command))
                    RETURNING id
                    """, logger: Self.logger
                ).decode(Int64.self) {
                    id = value
                }
                // One row per KPI, its values by replication in an array (NaN where undefined),
                // in statements of at most 10,000 rows (4 parameters each, far below the 65,535
                // a statement may have).
                var start = 0
                while start < run.kpis.count {
                    let chunk = run.kpis[start..<min(run.kpis.count, start + 10_000)]
                    var bindings = PostgresBindings(capacity: chunk.count * 4)
                    var tuples: [String] = []
                    for (offset, kpi) in chunk.enumerated() {
                        let base = offset * 4
                        tuples.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4))")
                        bindings.append(id)
                        bindings.append(kpi.name)
                        bindings.append(kpi.unit)
                        bindings.append(kpi.values.map { $0.isFinite ? $0 : .nan })
                    }
                    try await db.query(
                        PostgresQuery(
                            unsafeSQL:
                                "INSERT INTO run_kpis (run_id, kpi, unit, per_replication) VALUES \(tuples.joined(separator: ", "))",
                            binds: bindings), logger: Self.logger)
                    start += 10_000
                }
                return id
            }
        } catch {
            throw ResultsStoreError("\(location): the run could not be stored (nothing was): \(Self.reason(error))")
        }
    }

    func runs(of scenario: String, kpis: [String], limit: Int) async throws -> [StoredRun] {
        do {
            var runs: [StoredRun] = []
            let rows = try await connection.query(
                """
                SELECT id, file, scenario_sha256, overrides, git_revision, seed, replications, horizon, warmup,
                    takt_version, started_utc, finished_utc, wall_seconds, host, os_user, command
                FROM runs WHERE scenario = \(scenario) ORDER BY id DESC LIMIT \(limit)
                """, logger: Self.logger)
            for try await row in rows {
                let cells = row.makeRandomAccess()
                func text(_ name: String) throws -> String { try cells[name].decode(String.self) }
                func number(_ name: String) throws -> Double { try cells[name].decode(Double.self) }
                let (id, file, sha, overrides, git, seed, replications, horizon, warmup) = (
                    try cells["id"].decode(Int64.self), try text("file"), try text("scenario_sha256"),
                    try text("overrides"), try cells["git_revision"].decode(String?.self), try text("seed"),
                    try cells["replications"].decode(Int.self), try number("horizon"), try number("warmup")
                )
                let (version, started, finished, seconds, host, user, command) = (
                    try text("takt_version"), try text("started_utc"), try text("finished_utc"),
                    try number("wall_seconds"), try text("host"), try text("os_user"), try text("command")
                )
                runs.append(
                    StoredRun(
                        id: id, scenario: scenario, file: file, scenarioSHA256: sha,
                        overrides: overrides.split(separator: "\n").map(String.init), gitRevision: git,
                        seed: UInt64(seed) ?? 0, replications: replications, horizon: horizon, warmup: warmup,
                        taktVersion: version, started: started, finished: finished, wallSeconds: seconds, host: host,
                        user: user, command: command, kpis: []))
            }
            runs.reverse()
            for index in runs.indices {
                let id = runs[index].id ?? 0
                var kpiRows: [KPIResult] = []
                let query: PostgresQuery =
                    kpis.isEmpty
                    ? "SELECT kpi, unit, per_replication FROM run_kpis WHERE run_id = \(id) ORDER BY kpi"
                    : "SELECT kpi, unit, per_replication FROM run_kpis WHERE run_id = \(id) AND kpi = ANY(\(kpis)) ORDER BY kpi"
                for try await (name, unit, values) in try await connection.query(query, logger: Self.logger).decode(
                    (String, String, [Double]).self)
                {
                    kpiRows.append(KPIResult(name: name, unit: unit, values: values))
                }
                runs[index].kpis = kpiRows
            }
            return runs
        } catch {
            throw ResultsStoreError("\(location): the runs cannot be read: \(Self.reason(error))")
        }
    }

    func close() async throws { try await connection.close() }
}
