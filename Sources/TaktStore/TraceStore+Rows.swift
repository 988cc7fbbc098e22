import Foundation
import GRDB
import GRDBSQLite
import TaktMES

extension TraceStore {
    /// The record tables, in the order a batch writes them and the seal lists them.
    ///
    /// Every row of every table carries a hash chained over the rows before it in the same
    /// table (``RowEncoding``); the audit trail keeps its own chain (``AuditChain``), whose
    /// hashes an inspector sees in exports.
    enum Table: Int, CaseIterable, Sendable {
        case unit, operation, lotDraw, measurement, defect, unitExit, audit

        /// The table's name in SQL.
        var name: String {
            switch self {
            case .unit: "unit"
            case .operation: "operation"
            case .lotDraw: "lot_draw"
            case .measurement: "measurement"
            case .defect: "defect"
            case .unitExit: "unit_exit"
            case .audit: "audit"
            }
        }

        /// The columns a row's hash covers, in order (all but `hash`).
        var columns: [String] {
            switch self {
            case .unit: ["serial", "product", "work_order", "released"]
            case .operation: ["serial", "station", "machine", "start", "end", "setup", "rework", "operator_pool"]
            case .lotDraw: ["serial", "material", "lot", "quantity", "station", "time"]
            case .measurement: ["serial", "station", "value", "time"]
            case .defect: ["serial", "defect", "station", "time", "found"]
            case .unitExit: ["serial", "outcome", "time"]
            case .audit: ["seq", "time", "recorded", "actor", "action", "subject", "reason", "old", "new"]
            }
        }

        /// Whether the rows carry a ``RowEncoding`` chain in a `hash` BLOB (the audit trail's
        /// `hash` is the hex of its own chain).
        var isRowChained: Bool { self != .audit }

        /// The statement that inserts `rows` rows at once.
        func statement(rows: Int) -> String {
            let names = (columns + ["hash"]).map { "\"\($0)\"" }
            let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
            let values = Array(repeating: row, count: rows).joined(separator: ", ")
            return "INSERT INTO \(name) (\(names.joined(separator: ", "))) VALUES \(values)"
        }
    }

    /// Writes `rows` in one transaction, table by table (each table's rows keep their order,
    /// which is the order of its hash chain), many rows per statement, binding values
    /// straight to SQLite's prepared statements (no per-row arrays or boxing). Runs on the
    /// writer queue, which alone touches `heads`.
    func write(_ rows: [PendingRow]) throws {
        let names = self.names
        // The chains' heads in a local copy while the batch is bound (no class access per
        // row), written back when it is in.
        var heads = self.heads
        defer { self.heads = heads }
        try database.write { db in
            var binder = RowBinder()
            func bind(_ row: PendingRow) {
                switch row {
                case .unit(let serial, let product, let order, let released):
                    binder.integer(Int64(serial))
                    binder.text(names.products[Int(product)])
                    if let order { binder.text(order) } else { binder.null() }
                    binder.real(released)
                case .operation(let serial, let machine, let start, let end, let setup):
                    let station = names.stationOfMachine[Int(machine)]
                    binder.integer(Int64(serial))
                    binder.text(names.stations[station])
                    binder.text(names.machines[Int(machine)])
                    binder.real(start)
                    binder.real(end)
                    binder.integer(setup ? 1 : 0)
                    binder.integer(names.reworkStations[station] ? 1 : 0)
                    if let pool = names.operatorPools[station] { binder.text(pool) } else { binder.null() }
                case .lotDraw(let serial, let material, let lot, let quantity, let station, let time):
                    binder.integer(Int64(serial))
                    binder.text(names.materials[Int(material)])
                    binder.integer(Int64(lot))
                    binder.integer(Int64(quantity))
                    binder.text(names.stations[Int(station)])
                    binder.real(time)
                case .measurement(let serial, let station, let value, let time):
                    binder.integer(Int64(serial))
                    binder.text(names.stations[Int(station)])
                    binder.real(value)
                    binder.real(time)
                case .defect(let serial, let defect, let station, let time, let found):
                    binder.integer(Int64(serial))
                    binder.text(names.defects[Int(defect)])
                    binder.text(names.stations[Int(station)])
                    binder.real(time)
                    binder.integer(found ? 1 : 0)
                case .exit(let serial, let scrapped, let time):
                    binder.integer(Int64(serial))
                    binder.text(scrapped ? "scrapped" : "shipped")
                    binder.real(time)
                case .audit(let sequence, let entry, let recorded, let hash):
                    binder.integer(Int64(sequence))
                    binder.real(entry.time)
                    binder.text(recorded)
                    binder.text(entry.actor)
                    binder.text(entry.action)
                    binder.text(entry.subject)
                    binder.text(entry.reason)
                    binder.text(entry.old)
                    binder.text(entry.new)
                    binder.text(hash)
                }
            }
            /// Binds the row, then (for a chained table) its hash after the table's last one.
            func seal(_ row: PendingRow, _ table: Table, to statement: OpaquePointer, after base: Int32) {
                binder.start(statement, after: base)
                bind(row)
                guard table.isRowChained else { return }
                let hash = binder.encoding.hash(after: heads[table.rawValue])
                heads[table.rawValue] = hash
                binder.hash(hash)
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
                let width = Int32(table.columns.count + 1)
                var next = 0
                if indices.count >= Self.rowsPerInsert {
                    let chunk = try db.makeStatement(sql: table.statement(rows: Self.rowsPerInsert))
                    try withExtendedLifetime(chunk) {
                        let statement = chunk.sqliteStatement
                        while next + Self.rowsPerInsert <= indices.count {
                            for k in 0..<Self.rowsPerInsert {
                                seal(rows[indices[next + k]], table, to: statement, after: Int32(k) * width)
                            }
                            try execute(statement)
                            next += Self.rowsPerInsert
                        }
                    }
                }
                counts[table.rawValue] += indices.count
                guard next < indices.count else { continue }
                let single = try db.makeStatement(sql: table.statement(rows: 1))
                try withExtendedLifetime(single) {
                    let statement = single.sqliteStatement
                    for index in indices[next...] {
                        seal(rows[index], table, to: statement, after: 0)
                        try execute(statement)
                    }
                }
            }
        }
    }
}

/// Binds one row's values to a prepared statement and encodes them for its hash at once.
struct RowBinder {
    var statement: OpaquePointer?
    var index: Int32 = 0
    let encoding = RowEncoding()
    /// SQLite copies what it is given (the bytes are only lent for the call).
    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    mutating func start(_ statement: OpaquePointer, after base: Int32) {
        self.statement = statement
        index = base
        encoding.reset()
    }

    mutating func null() {
        index += 1
        sqlite3_bind_null(statement, index)
        encoding.null()
    }

    mutating func integer(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(statement, index, value)
        encoding.integer(value)
    }

    mutating func real(_ value: Double) {
        index += 1
        sqlite3_bind_double(statement, index, value)
        encoding.real(value)
    }

    /// A native string lends its own bytes (no C-string copy); with the byte count given, a
    /// NUL inside a name is stored too instead of ending it.
    mutating func text(_ value: String) {
        index += 1
        var value = value
        value.withUTF8 { bytes in
            sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
            encoding.text(UnsafeRawBufferPointer(bytes))
        }
    }

    mutating func hash(_ hash: ChainHash) {
        index += 1
        hash.withBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, 32, Self.transient)
        }
    }
}

/// One record waiting for the next batch, naming things by index.
enum PendingRow {
    case unit(serial: Int, product: Int32, order: String?, released: Double)
    case operation(serial: Int, machine: Int32, start: Double, end: Double, setup: Bool)
    case lotDraw(serial: Int, material: Int32, lot: Int32, quantity: Int32, station: Int32, time: Double)
    case measurement(serial: Int, station: Int32, value: Double, time: Double)
    case defect(serial: Int, defect: Int32, station: Int32, time: Double, found: Bool)
    /// A unit leaves the line: shipped, or scrapped.
    case exit(serial: Int, scrapped: Bool, time: Double)
    indirect case audit(sequence: Int, entry: AuditEntry, recorded: String, hash: String)

    /// The table the row goes to.
    var table: TraceStore.Table {
        switch self {
        case .unit: .unit
        case .operation: .operation
        case .lotDraw: .lotDraw
        case .measurement: .measurement
        case .defect: .defect
        case .exit: .unitExit
        case .audit: .audit
        }
    }
}
