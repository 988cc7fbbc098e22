import Foundation
import GRDB

/// A trace store: one replication's records in an SQLite file, written in batched
/// transactions (WAL). The `run` table says whether the run finished: a run that fails or
/// is killed leaves a database that opens and reads `complete = 0`.
///
/// Schema version 1 (`PRAGMA user_version`), documented in docs/trace-store.md.
public final class TraceStore {
    /// The schema version this build writes and reads.
    public static let schemaVersion = 1

    /// What goes wrong opening a store.
    public enum StoreError: Error, CustomStringConvertible, Equatable {
        case otherSchema(path: String, found: Int)
        case notAStore(path: String, reason: String)

        public var description: String {
            switch self {
            case .otherSchema(let path, let found):
                "\(path): trace store schema version \(found); this takt reads version \(TraceStore.schemaVersion) (write the trace again with this takt)"
            case .notAStore(let path, let reason):
                "\(path): not a Takt trace store (\(reason))"
            }
        }
    }

    let database: DatabaseQueue
    var pending: [(table: Table, values: [DatabaseValueConvertible?])] = []
    /// The audit trail's last hash and sequence number.
    var lastHash = AuditChain.genesis
    var auditSequence = 0
    /// Rows written so far.
    public private(set) var rowsWritten = 0

    /// The record tables.
    enum Table: String, CaseIterable {
        case unit, operation, lotDraw = "lot_draw", measurement, defect, audit, shipped, scrapped

        var insert: String {
            switch self {
            case .unit: "INSERT INTO unit (serial, product, work_order, released) VALUES (?, ?, ?, ?)"
            case .operation:
                "INSERT INTO operation (serial, station, machine, start, \"end\", batch) VALUES (?, ?, ?, ?, ?, ?)"
            case .lotDraw:
                "INSERT INTO lot_draw (serial, material, lot, quantity, station, time) VALUES (?, ?, ?, ?, ?, ?)"
            case .measurement: "INSERT INTO measurement (serial, station, value, time) VALUES (?, ?, ?, ?)"
            case .defect: "INSERT INTO defect (serial, defect, station, time, found) VALUES (?, ?, ?, ?, ?)"
            case .audit:
                "INSERT INTO audit (seq, time, actor, action, subject, reason, old, new, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            case .shipped: "UPDATE unit SET shipped = ? WHERE serial = ?"
            case .scrapped: "UPDATE unit SET scrapped = ? WHERE serial = ?"
            }
        }
    }

    /// Creates a new store at `path` (replacing a file there), marked incomplete, with the
    /// run's description.
    public init(creating path: String, run: [String: String]) throws {
        try? FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE unit (serial INTEGER PRIMARY KEY, product TEXT NOT NULL, work_order INTEGER,
                        released REAL NOT NULL, shipped REAL, scrapped REAL);
                    CREATE TABLE operation (serial INTEGER NOT NULL, station TEXT NOT NULL, machine TEXT NOT NULL,
                        start REAL NOT NULL, "end" REAL NOT NULL, batch INTEGER);
                    CREATE TABLE lot_draw (serial INTEGER NOT NULL, material TEXT NOT NULL, lot INTEGER NOT NULL,
                        quantity INTEGER NOT NULL, station TEXT NOT NULL, time REAL NOT NULL);
                    CREATE TABLE measurement (serial INTEGER NOT NULL, station TEXT NOT NULL, value REAL NOT NULL,
                        time REAL NOT NULL);
                    CREATE TABLE defect (serial INTEGER NOT NULL, defect TEXT NOT NULL, station TEXT NOT NULL,
                        time REAL NOT NULL, found INTEGER NOT NULL);
                    CREATE TABLE audit (seq INTEGER NOT NULL, time REAL NOT NULL, actor TEXT NOT NULL,
                        action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL, old TEXT NOT NULL,
                        new TEXT NOT NULL, hash TEXT NOT NULL);
                    CREATE INDEX lot_draw_lot ON lot_draw (material, lot);
                    CREATE INDEX lot_draw_serial ON lot_draw (serial);
                    CREATE INDEX operation_serial ON operation (serial);
                    PRAGMA user_version = \(Self.schemaVersion);
                    """)
            for (key, value) in run.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO run (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try db.execute(sql: "INSERT INTO run (key, value) VALUES ('complete', '0')")
        }
        pending.reserveCapacity(Self.batchSize)
    }

    /// Rows per transaction.
    static let batchSize = 20_000

    func append(_ table: Table, _ values: [DatabaseValueConvertible?]) throws {
        pending.append((table, values))
        if pending.count >= Self.batchSize { try flush() }
    }

    /// Writes the buffered rows in one transaction.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        try database.write { db in
            var statements: [Table: Statement] = [:]
            for table in Table.allCases { statements[table] = try db.makeStatement(sql: table.insert) }
            for row in rows {
                try statements[row.table]!.execute(arguments: StatementArguments(row.values))
            }
        }
        rowsWritten += rows.count
    }

    /// Appends an audit entry to the hash chain.
    public func appendAudit(
        time: Double, actor: String, action: String, subject: String, reason: String, old: String, new: String
    ) throws {
        auditSequence += 1
        let record = AuditChain.canonical(
            sequence: auditSequence, time: time, actor: actor, action: action, subject: subject, reason: reason,
            old: old, new: new)
        lastHash = AuditChain.hash(previous: lastHash, record: record)
        try append(.audit, [auditSequence, time, actor, action, subject, reason, old, new, lastHash])
    }

    /// Writes what is buffered and marks the run complete; the audit trail's last hash is
    /// kept in `run` as `audit_head` (copy it elsewhere to anchor the chain).
    public func finish(summary: [String: String] = [:]) throws {
        try flush()
        let head = lastHash
        let entries = auditSequence
        try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO run (key, value) VALUES ('audit_head', ?), ('audit_entries', ?)",
                arguments: [head, "\(entries)"])
            for (key, value) in summary.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT OR REPLACE INTO run (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try db.execute(sql: "UPDATE run SET value = '1' WHERE key = 'complete'")
        }
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Opens an existing store for reading, checking its schema version.
    public static func open(_ path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.notAStore(path: path, reason: "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let database: DatabaseQueue
        let version: Int
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            version = try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            _ = try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'complete'") }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.notAStore(path: path, reason: "\(error)")
        }
        guard version == schemaVersion else { throw StoreError.otherSchema(path: path, found: version) }
        return database
    }
}

/// An opened trace store, for the command line.
public struct DatabaseHandle {
    /// The read-only database.
    public let queue: DatabaseQueue

    /// Opens the store at `path`, checking its schema version.
    public init(_ path: String) throws { queue = try TraceStore.open(path) }
}
