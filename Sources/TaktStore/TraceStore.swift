import Foundation
import GRDB
import GRDBSQLite
import TaktMES

/// A trace store: one replication's records in an SQLite file, written in batched
/// transactions (WAL). The `run` table says whether the run finished: a run that fails or
/// is killed leaves a database that opens and reads `complete = 0`.
///
/// Every row of every table is chained into a per-table hash chain, and a finished run
/// seals the chains' heads with the run record (``StoreSeal``).
///
/// Schema version 5 (`PRAGMA user_version`), documented in docs/trace-store.md.
public final class TraceStore: @unchecked Sendable {
    // The row buffer is filled by the one simulation thread; full batches go to `writer`, a
    // serial queue, so SQLite works while the simulation goes on (at most two batches in
    // flight keep memory flat). What both sides touch is behind `lock`.
    /// The schema version this build writes and reads.
    /// 3: audit hashes cover a length-prefixed encoding, and text keeps every byte.
    /// 4: every table is hash-chained and sealed; units leave through `unit_exit`; audit
    /// entries carry the wall-clock time they were recorded.
    /// 5: every table has a `replication` column (one store traces several); `work_order`
    /// and `hold` tables; the batch an operation ran in; the audit trail is chained with the
    /// same row encoding as the other tables.
    public static let schemaVersion = 5

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
    /// The audit trail's last sequence number (entries are numbered across replications).
    var auditSequence = 0
    /// The replication whose rows are being written; changed only between replications,
    /// when the writer queue is idle (``beginReplication(_:)``).
    var replication = 0
    /// Per table (``Table``): the last row's hash and the rows written, touched only on the
    /// writer queue until ``finish(summary:signer:)``.
    var heads = Table.allCases.map { ChainHash.genesis(of: $0.name) }
    var counts = [Int](repeating: 0, count: Table.allCases.count)
    /// The `run` table as written so far (the seal covers it).
    var runRecord: [String: String]
    /// The wall clock the audit entries are stamped with.
    var wallClock = WallClock()
    /// Rows written so far.
    public var rowsWritten: Int { lock.withLock { written } }
    var written = 0
    var writeError: Error?
    let lock = NSLock()
    let writer = DispatchQueue(label: "takt.trace-store.writer")
    let inFlight = DispatchSemaphore(value: 2)

    /// Rows per multi-row insert: one statement execution writes this many rows, which
    /// saves SQLite's per-statement work (at most 9 × 64 = 576 parameters, under the 999
    /// that old SQLite builds allow).
    static let rowsPerInsert = 64

    /// Creates a new store at `path` (replacing a file there), marked incomplete, with the
    /// run's description; rows name stations, machines, products, materials and defects by `names`.
    init(creating path: String, run: [String: String], names: TraceNames) throws {
        self.names = names
        var runRecord = run
        runRecord["complete"] = "0"
        self.runRecord = runRecord
        try? FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { db in
            for table in Table.allCases { try db.execute(sql: table.createStatement) }
            try db.execute(
                sql: """
                    CREATE TABLE run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE chain (table_name TEXT NOT NULL, rows INTEGER NOT NULL, head TEXT NOT NULL);
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
                let count = try write(rows)
                lock.withLock { written += count }
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

    /// Appends an audit entry, numbered and stamped with the wall-clock time; the writer
    /// chains it (and files it under `hold` when it holds, releases or disposes of something).
    public func appendAudit(_ entry: AuditEntry) throws {
        auditSequence += 1
        try append(.audit(sequence: auditSequence, entry: entry, recorded: wallClock.now()))
    }

    /// Rows from now on belong to replication `replication`: what is buffered is written
    /// first, under the replication before.
    public func beginReplication(_ replication: Int) throws {
        try flush()
        try waitForWrites()
        self.replication = replication
    }

    /// Writes what is buffered, marks the run complete and seals the store: each table's
    /// row count and last hash go to `chain`, and the seal over them and the `run` record
    /// (signed with `signer`, if given) to `run.seal`. Returns the seal.
    @discardableResult
    public func finish(summary: [String: String] = [:], signer: SealSigner? = nil) throws -> SealRecord {
        try flush()
        try waitForWrites()
        let chains = Table.allCases.map { table in
            StoreSeal.Chain(table: table.name, rows: counts[table.rawValue], head: heads[table.rawValue].hex)
        }
        for (key, value) in summary { runRecord[key] = value }
        runRecord["complete"] = "1"
        let seal = StoreSeal.compute(chains: chains, run: runRecord.map { (Array($0.key.utf8), Array($0.value.utf8)) })
        let record = SealRecord(seal: seal.hex, signer: signer)
        try database.write { db in
            // Indexes for the genealogy queries, built once at the end (inserts stay fast).
            try db.execute(sql: "CREATE INDEX unit_serial ON unit (replication, serial)")
            try db.execute(sql: "CREATE INDEX lot_draw_lot ON lot_draw (replication, material, lot)")
            try db.execute(sql: "CREATE INDEX lot_draw_serial ON lot_draw (replication, serial)")
            try db.execute(sql: "CREATE INDEX operation_serial ON operation (replication, serial)")
            try db.execute(sql: "CREATE INDEX unit_exit_serial ON unit_exit (replication, serial)")
            for chain in chains {
                try db.execute(
                    sql: "INSERT INTO chain (table_name, rows, head) VALUES (?, ?, ?)",
                    arguments: [chain.table, chain.rows, chain.head])
            }
            for (key, value) in summary.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT OR REPLACE INTO run (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try db.execute(sql: "UPDATE run SET value = '1' WHERE key = 'complete'")
            var sealRows = ["seal": record.seal]
            if let signature = record.signature, let key = record.publicKey {
                sealRows["seal_signature"] = signature
                sealRows["seal_public_key"] = key
            }
            for (key, value) in sealRows.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO run (key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return record
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
            try store.append(
                .operation(serial: serial, machine: 0, batch: 0, start: time, end: time + 20, setup: false))
            try store.append(
                .lotDraw(
                    serial: serial, material: 0, lot: Int32(serial / 3_000 + 1), quantity: 1, station: 1, time: time))
            try store.append(.measurement(serial: serial, station: 0, value: 120 + Double(serial % 7), time: time + 20))
            try store.append(
                .operation(serial: serial, machine: 1, batch: 0, start: time + 20, end: time + 58, setup: false))
            try store.append(.exit(serial: serial, scrapped: false, time: time + 60))
            written += 6
        }
        _ = try store.finish()
        return Double(written) / (Double(clock() - started) / Double(CLOCKS_PER_SEC))
    }
}

/// An opened trace store, for the command line.
public struct DatabaseHandle {
    /// The read-only database.
    public let queue: DatabaseQueue

    /// Opens the store at `path`, checking its schema version.
    public init(_ path: String) throws { queue = try TraceStore.open(path) }
}
