import Foundation
import GRDB
import GRDBSQLite
import TaktMES

/// A trace store: one replication's records in an SQLite file, written in batched
/// transactions (WAL). The `run` table says whether the run finished: a run that fails or
/// is killed leaves a database that opens and reads `complete = 0`.
///
/// Schema version 3 (`PRAGMA user_version`), documented in docs/trace-store.md.
public final class TraceStore: @unchecked Sendable {
    // The row buffer is filled by the one simulation thread; full batches go to `writer`, a
    // serial queue, so SQLite works while the simulation goes on (at most two batches in
    // flight keep memory flat). What both sides touch is behind `lock`.
    /// The schema version this build writes and reads.
    /// 3: audit hashes cover a length-prefixed encoding, and text keeps every byte.
    public static let schemaVersion = 3

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
    var pending: [PendingRow] = []
    /// Names the rows refer to by index.
    let names: TraceNames
    /// The audit trail's last hash and sequence number.
    var lastHash = AuditChain.genesis
    var auditSequence = 0
    /// Rows written so far.
    public var rowsWritten: Int { lock.withLock { written } }
    var written = 0
    var writeError: Error?
    let lock = NSLock()
    let writer = DispatchQueue(label: "takt.trace-store.writer")
    let inFlight = DispatchSemaphore(value: 2)

    /// The record tables, in the order a batch writes them: every insert before the updates
    /// that mark units shipped or scrapped.
    enum Table: Int, CaseIterable {
        case unit, operation, lotDraw, measurement, defect, audit, shipped, scrapped

        /// The table's name and the columns a row binds, for inserts.
        var columns: (table: String, names: [String]) {
            switch self {
            case .unit: ("unit", ["serial", "product", "work_order", "released"])
            case .operation:
                ("operation", ["serial", "station", "machine", "start", "\"end\"", "setup", "rework", "operator_pool"])
            case .lotDraw: ("lot_draw", ["serial", "material", "lot", "quantity", "station", "time"])
            case .measurement: ("measurement", ["serial", "station", "value", "time"])
            case .defect: ("defect", ["serial", "defect", "station", "time", "found"])
            case .audit: ("audit", ["seq", "time", "actor", "action", "subject", "reason", "old", "new", "hash"])
            case .shipped, .scrapped: ("unit", [])
            }
        }

        /// The statement that writes `rows` rows at once (updates take one row).
        func statement(rows: Int) -> String {
            switch self {
            case .shipped: return "UPDATE unit SET shipped = ? WHERE serial = ?"
            case .scrapped: return "UPDATE unit SET scrapped = ? WHERE serial = ?"
            default:
                let (table, names) = columns
                let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
                let values = Array(repeating: row, count: rows).joined(separator: ", ")
                return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES \(values)"
            }
        }

        var isInsert: Bool { self != .shipped && self != .scrapped }
    }

    /// Rows per multi-row insert: one statement execution writes this many rows, which
    /// saves SQLite's per-statement work (at most 9 × 64 = 576 parameters, under the 999
    /// that old SQLite builds allow).
    static let rowsPerInsert = 64

    /// Creates a new store at `path` (replacing a file there), marked incomplete, with the
    /// run's description; rows name stations, machines, products, materials and defects by `names`.
    init(creating path: String, run: [String: String], names: TraceNames) throws {
        self.names = names
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
                    CREATE TABLE unit (serial INTEGER PRIMARY KEY, product TEXT NOT NULL, work_order TEXT,
                        released REAL NOT NULL, shipped REAL, scrapped REAL);
                    CREATE TABLE operation (serial INTEGER NOT NULL, station TEXT NOT NULL, machine TEXT NOT NULL,
                        start REAL NOT NULL, "end" REAL NOT NULL, setup INTEGER NOT NULL, rework INTEGER NOT NULL,
                        operator_pool TEXT);
                    CREATE TABLE lot_draw (serial INTEGER NOT NULL, material TEXT NOT NULL, lot INTEGER NOT NULL,
                        quantity INTEGER NOT NULL, station TEXT NOT NULL, time REAL NOT NULL);
                    CREATE TABLE measurement (serial INTEGER NOT NULL, station TEXT NOT NULL, value REAL NOT NULL,
                        time REAL NOT NULL);
                    CREATE TABLE defect (serial INTEGER NOT NULL, defect TEXT NOT NULL, station TEXT NOT NULL,
                        time REAL NOT NULL, found INTEGER NOT NULL);
                    CREATE TABLE audit (seq INTEGER NOT NULL, time REAL NOT NULL, actor TEXT NOT NULL,
                        action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL, old TEXT NOT NULL,
                        new TEXT NOT NULL, hash TEXT NOT NULL);
                    PRAGMA user_version = \(Self.schemaVersion);
                    """)
            for (key, value) in run.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO run (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try db.execute(sql: "INSERT INTO run (key, value) VALUES ('complete', '0')")
        }
        pending.reserveCapacity(Self.batchSize)
    }

    /// A new store for audit entries and rows that name nothing (no stations, products, …).
    public convenience init(creating path: String, run: [String: String]) throws {
        try self.init(
            creating: path, run: run,
            names: TraceNames(
                products: [], stations: [], machines: [], stationOfMachine: [], materials: [], defects: [],
                reworkStations: [], operatorPools: []))
    }

    /// Rows per transaction.
    static let batchSize = 20_000

    func append(_ row: PendingRow) throws {
        pending.append(row)
        if pending.count >= Self.batchSize { try flush() }
    }

    /// Hands the buffered rows to the writer queue, to go in one transaction; throws the
    /// error of an earlier batch, if one failed.
    public func flush() throws {
        if let error = lock.withLock({ writeError }) { throw error }
        guard !pending.isEmpty else { return }
        let rows = pending
        pending = []
        pending.reserveCapacity(Self.batchSize)
        inFlight.wait()
        writer.async { [self] in
            defer { inFlight.signal() }
            do {
                try write(rows)
                lock.withLock { written += rows.count }
            } catch {
                lock.withLock { if writeError == nil { writeError = error } }
            }
        }
    }

    /// Waits for the writer queue to finish what it was handed.
    public func waitForWrites() throws {
        writer.sync {}
        if let error = lock.withLock({ writeError }) { throw error }
    }

    /// Writes `rows` in one transaction, table by table (each table's rows keep their order,
    /// so audit entries go in by sequence), many rows per statement, binding values straight
    /// to SQLite's prepared statements (no per-row arrays or boxing).
    func write(_ rows: [PendingRow]) throws {
        let names = self.names
        try database.write { db in
            let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
            func text(_ statement: OpaquePointer, _ index: Int32, _ value: String) {
                // A native string lends its own bytes: no C-string copy. The byte count is
                // given, so a NUL inside a name is stored too instead of ending it.
                var value = value
                _ = value.withUTF8 { bytes in
                    sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), transient)
                }
            }
            /// Binds `row`'s values to the parameters after `base`.
            func bind(_ row: PendingRow, to statement: OpaquePointer, after base: Int32) {
                switch row {
                case .unit(let serial, let product, let order, let released):
                    sqlite3_bind_int64(statement, base + 1, Int64(serial))
                    text(statement, base + 2, names.products[Int(product)])
                    if let order {
                        text(statement, base + 3, order)
                    } else {
                        sqlite3_bind_null(statement, base + 3)
                    }
                    sqlite3_bind_double(statement, base + 4, released)
                case .operation(let serial, let machine, let start, let end, let setup):
                    let station = names.stationOfMachine[Int(machine)]
                    sqlite3_bind_int64(statement, base + 1, Int64(serial))
                    text(statement, base + 2, names.stations[station])
                    text(statement, base + 3, names.machines[Int(machine)])
                    sqlite3_bind_double(statement, base + 4, start)
                    sqlite3_bind_double(statement, base + 5, end)
                    sqlite3_bind_int64(statement, base + 6, setup ? 1 : 0)
                    sqlite3_bind_int64(statement, base + 7, names.reworkStations[station] ? 1 : 0)
                    if let pool = names.operatorPools[station] {
                        text(statement, base + 8, pool)
                    } else {
                        sqlite3_bind_null(statement, base + 8)
                    }
                case .lotDraw(let serial, let material, let lot, let quantity, let station, let time):
                    sqlite3_bind_int64(statement, base + 1, Int64(serial))
                    text(statement, base + 2, names.materials[Int(material)])
                    sqlite3_bind_int64(statement, base + 3, Int64(lot))
                    sqlite3_bind_int64(statement, base + 4, Int64(quantity))
                    text(statement, base + 5, names.stations[Int(station)])
                    sqlite3_bind_double(statement, base + 6, time)
                case .measurement(let serial, let station, let value, let time):
                    sqlite3_bind_int64(statement, base + 1, Int64(serial))
                    text(statement, base + 2, names.stations[Int(station)])
                    sqlite3_bind_double(statement, base + 3, value)
                    sqlite3_bind_double(statement, base + 4, time)
                case .defect(let serial, let defect, let station, let time, let found):
                    sqlite3_bind_int64(statement, base + 1, Int64(serial))
                    text(statement, base + 2, names.defects[Int(defect)])
                    text(statement, base + 3, names.stations[Int(station)])
                    sqlite3_bind_double(statement, base + 4, time)
                    sqlite3_bind_int64(statement, base + 5, found ? 1 : 0)
                case .audit(let sequence, let entry, let hash):
                    sqlite3_bind_int64(statement, base + 1, Int64(sequence))
                    sqlite3_bind_double(statement, base + 2, entry.time)
                    text(statement, base + 3, entry.actor)
                    text(statement, base + 4, entry.action)
                    text(statement, base + 5, entry.subject)
                    text(statement, base + 6, entry.reason)
                    text(statement, base + 7, entry.old)
                    text(statement, base + 8, entry.new)
                    text(statement, base + 9, hash)
                case .shipped(let serial, let time), .scrapped(let serial, let time):
                    sqlite3_bind_double(statement, base + 1, time)
                    sqlite3_bind_int64(statement, base + 2, Int64(serial))
                }
            }
            func execute(_ statement: OpaquePointer) throws {
                let code = sqlite3_step(statement)
                sqlite3_reset(statement)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }

            var rowsOfTable = [[Int]](repeating: [], count: Table.allCases.count)
            for index in rows.indices { rowsOfTable[rows[index].table.rawValue].append(index) }
            for table in Table.allCases where !rowsOfTable[table.rawValue].isEmpty {
                let indices = rowsOfTable[table.rawValue]
                let width = Int32(table.columns.names.count)
                var next = 0
                if table.isInsert, indices.count >= Self.rowsPerInsert {
                    let chunk = try db.makeStatement(sql: table.statement(rows: Self.rowsPerInsert))
                    try withExtendedLifetime(chunk) {
                        let statement = chunk.sqliteStatement
                        while next + Self.rowsPerInsert <= indices.count {
                            for k in 0..<Self.rowsPerInsert {
                                bind(rows[indices[next + k]], to: statement, after: Int32(k) * width)
                            }
                            try execute(statement)
                            next += Self.rowsPerInsert
                        }
                    }
                }
                guard next < indices.count else { continue }
                let single = try db.makeStatement(sql: table.statement(rows: 1))
                try withExtendedLifetime(single) {
                    let statement = single.sqliteStatement
                    for index in indices[next...] {
                        bind(rows[index], to: statement, after: 0)
                        try execute(statement)
                    }
                }
            }
        }
    }

    /// Appends an audit entry to the hash chain.
    public func appendAudit(_ entry: AuditEntry) throws {
        auditSequence += 1
        let record = AuditChain.canonical(
            sequence: auditSequence, time: entry.time, actor: entry.actor, action: entry.action, subject: entry.subject,
            reason: entry.reason, old: entry.old, new: entry.new)
        lastHash = AuditChain.hash(previous: lastHash, record: record)
        try append(.audit(sequence: auditSequence, entry: entry, hash: lastHash))
    }

    /// Writes what is buffered and marks the run complete; the audit trail's last hash is
    /// kept in `run` as `audit_head` (copy it elsewhere to anchor the chain).
    public func finish(summary: [String: String] = [:]) throws {
        try flush()
        try waitForWrites()
        let head = lastHash
        let entries = auditSequence
        try database.write { db in
            // Indexes for the genealogy queries, built once at the end (inserts stay fast).
            try db.execute(sql: "CREATE INDEX lot_draw_lot ON lot_draw (material, lot)")
            try db.execute(sql: "CREATE INDEX lot_draw_serial ON lot_draw (serial)")
            try db.execute(sql: "CREATE INDEX operation_serial ON operation (serial)")
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

    /// Closes the database file (after ``finish(summary:)``), so it can be moved.
    public func close() throws { try database.close() }

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

extension TraceStore {
    /// Writes `records` synthetic records (units, operations, lot draws, measurements and
    /// shipments, in the flagship's proportions) to a new store at `path`; returns records
    /// per CPU-second. For `takt bench store`.
    public static func measureWriting(records: Int, to path: String) throws -> Double {
        let names = TraceNames(
            products: ["board"], stations: ["print", "place"], machines: ["print-1", "place-1"],
            stationOfMachine: [0, 1], materials: ["chip"], defects: ["paste"], reworkStations: [false, false],
            operatorPools: [nil, nil])
        let store = try TraceStore(creating: path, run: ["scenario": "bench"], names: names)
        let started = clock()
        var serial = 0
        var written = 0
        while written < records {
            serial += 1
            let time = Double(serial)
            try store.append(.unit(serial: serial, product: 0, order: "WO-\(serial / 100)", released: time))
            try store.append(.operation(serial: serial, machine: 0, start: time, end: time + 20, setup: false))
            try store.append(
                .lotDraw(
                    serial: serial, material: 0, lot: Int32(serial / 3_000 + 1), quantity: 1, station: 1, time: time))
            try store.append(.measurement(serial: serial, station: 0, value: 120 + Double(serial % 7), time: time + 20))
            try store.append(.operation(serial: serial, machine: 1, start: time + 20, end: time + 58, setup: false))
            try store.append(.shipped(serial: serial, time: time + 60))
            written += 6
        }
        try store.finish()
        return Double(written) / (Double(clock() - started) / Double(CLOCKS_PER_SEC))
    }
}

/// One record waiting for the next batch, naming things by index.
enum PendingRow {
    case unit(serial: Int, product: Int32, order: String?, released: Double)
    case operation(serial: Int, machine: Int32, start: Double, end: Double, setup: Bool)
    case lotDraw(serial: Int, material: Int32, lot: Int32, quantity: Int32, station: Int32, time: Double)
    case measurement(serial: Int, station: Int32, value: Double, time: Double)
    case defect(serial: Int, defect: Int32, station: Int32, time: Double, found: Bool)
    indirect case audit(sequence: Int, entry: AuditEntry, hash: String)
    case shipped(serial: Int, time: Double)
    case scrapped(serial: Int, time: Double)

    /// The table the row goes to.
    var table: TraceStore.Table {
        switch self {
        case .unit: .unit
        case .operation: .operation
        case .lotDraw: .lotDraw
        case .measurement: .measurement
        case .defect: .defect
        case .audit: .audit
        case .shipped: .shipped
        case .scrapped: .scrapped
        }
    }
}

/// An opened trace store, for the command line.
public struct DatabaseHandle {
    /// The read-only database.
    public let queue: DatabaseQueue

    /// Opens the store at `path`, checking its schema version.
    public init(_ path: String) throws { queue = try TraceStore.open(path) }
}
