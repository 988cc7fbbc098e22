import Foundation
import GRDB
import GRDBSQLite
import TaktMES

extension TraceStore {
    /// The record tables, in the order a batch writes them and the seal lists them.
    ///
    /// Every row of every table carries a hash chained over the rows before it in the same
    /// table (``RowEncoding``), computed on the writer thread; the audit trail keeps its hash
    /// as hex text, which an inspector sees in exports, the others as a 32-byte BLOB. Every
    /// table starts with the replication the row belongs to.
    enum Table: Int, CaseIterable, Sendable {
        case unit, operation, lotDraw, measurement, defect, unitExit, workOrder, hold, audit

        /// The table's name in SQL.
        var name: String {
            switch self {
            case .unit: "unit"
            case .operation: "operation"
            case .lotDraw: "lot_draw"
            case .measurement: "measurement"
            case .defect: "defect"
            case .unitExit: "unit_exit"
            case .workOrder: "work_order"
            case .hold: "hold"
            case .audit: "audit"
            }
        }

        /// The columns a row's hash covers, in order (all but `hash`), with their types.
        var definitions: [Column] {
            let own: [Column] =
                switch self {
                case .unit: [.integer("serial"), .text("product"), .text("work_order", null: true), .real("released")]
                case .operation:
                    [
                        .integer("serial"), .text("station"), .text("machine"), .integer("batch", null: true),
                        .real("start"), .real("end"), .integer("setup"), .integer("rework"),
                        .text("operator_pool", null: true),
                    ]
                case .lotDraw:
                    [
                        .integer("serial"), .text("material"), .integer("lot"), .integer("quantity"), .text("station"),
                        .real("time"),
                    ]
                case .measurement: [.integer("serial"), .text("station"), .real("value"), .real("time")]
                case .defect:
                    [.integer("serial"), .text("defect"), .text("station"), .real("time"), .integer("found")]
                case .unitExit: [.integer("serial"), .text("outcome"), .real("time")]
                case .workOrder:
                    [
                        .text("work_order"), .text("product"), .integer("quantity"), .real("due"), .real("priority"),
                        .real("arrival"),
                    ]
                case .hold:
                    [
                        .integer("seq"), .real("time"), .text("action"), .text("subject_kind"), .text("subject"),
                        .text("actor"), .text("reason"),
                    ]
                case .audit:
                    [
                        .integer("seq"), .real("time"), .text("recorded"), .text("actor"), .text("action"),
                        .text("subject"), .text("reason"), .text("old"), .text("new"),
                    ]
                }
            return [.integer("replication")] + own
        }

        /// The columns' names, in order (all but `hash`).
        var columns: [String] { definitions.map(\.name) }

        /// The statement that creates the table.
        var createStatement: String {
            let hash = storesHashAsHex ? "hash TEXT NOT NULL" : "hash BLOB NOT NULL"
            return "CREATE TABLE \(name) (\((definitions.map(\.sql) + [hash]).joined(separator: ", ")))"
        }

        /// Whether the row's hash is stored as lower-case hex text (the audit trail) rather
        /// than a 32-byte BLOB.
        var storesHashAsHex: Bool { self == .audit }

        /// The statement that inserts `rows` rows at once.
        func statement(rows: Int) -> String {
            let names = (columns + ["hash"]).map { "\"\($0)\"" }
            let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
            let values = Array(repeating: row, count: rows).joined(separator: ", ")
            return "INSERT INTO \(name) (\(names.joined(separator: ", "))) VALUES \(values)"
        }
    }

    /// Writes `rows` (and the `hold` rows their audit entries imply) in one transaction, table by table (each table's rows keep their order,
    /// which is the order of its hash chain), many rows per statement, binding values
    /// straight to SQLite's prepared statements (no per-row arrays or boxing). Runs on the
    /// writer queue, which alone touches `heads`.
    /// Returns the rows written.
    func write(_ rows: [PendingRow]) throws -> Int {
        let names = self.names
        let replication = self.replication
        // The chains' heads in a local copy while the batch is bound (no class access per
        // row), written back when it is in.
        var heads = self.heads
        defer { self.heads = heads }
        return try database.write { db in
            var binder = RowBinder()
            func bind(_ row: PendingRow) {
                binder.integer(Int64(replication))
                switch row {
                case .unit(let serial, let product, let order, let released):
                    binder.integer(Int64(serial))
                    binder.text(names.products[Int(product)])
                    if let order { binder.text(order) } else { binder.null() }
                    binder.real(released)
                case .operation(let serial, let machine, let batch, let start, let end, let setup):
                    let station = names.stationOfMachine[Int(machine)]
                    binder.integer(Int64(serial))
                    binder.text(names.stations[station])
                    binder.text(names.machines[Int(machine)])
                    if batch > 0 { binder.integer(Int64(batch)) } else { binder.null() }
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
                case .workOrder(let order):
                    binder.text(order.name)
                    binder.text(names.products[Int(order.product)])
                    binder.integer(Int64(order.quantity))
                    binder.real(order.due)
                    binder.real(order.priority)
                    binder.real(order.arrival)
                case .hold(let sequence, let entry, let hold):
                    binder.integer(Int64(sequence))
                    binder.real(entry.time)
                    binder.text(hold.action)
                    binder.text(hold.kind)
                    binder.text(hold.subject)
                    binder.text(entry.actor)
                    binder.text(entry.reason)
                case .audit(let sequence, let entry, let recorded):
                    binder.integer(Int64(sequence))
                    binder.real(entry.time)
                    binder.text(recorded)
                    binder.text(entry.actor)
                    binder.text(entry.action)
                    binder.text(entry.subject)
                    binder.text(entry.reason)
                    binder.text(entry.old)
                    binder.text(entry.new)
                }
            }
            /// Binds the row, then its hash after the table's last one.
            func seal(_ row: PendingRow, _ table: Table, to statement: OpaquePointer, after base: Int32) {
                binder.start(statement, after: base)
                bind(row)
                let hash = binder.encoding.hash(after: heads[table.rawValue])
                heads[table.rawValue] = hash
                if table.storesHashAsHex { binder.hex(hash) } else { binder.hash(hash) }
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

            // Each audit entry that holds, releases or disposes of something also goes to `hold`.
            var rows = rows
            for index in rows.indices {
                guard case .audit(let sequence, let entry, _) = rows[index], let hold = HoldRecord(entry) else {
                    continue
                }
                rows.append(.hold(sequence: sequence, entry: entry, hold: hold))
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
            return rows.count
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

    /// The hash as lower-case hex text (the audit trail's, as exports show it).
    mutating func hex(_ hash: ChainHash) {
        index += 1
        var text = hash.hex
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    mutating func hash(_ hash: ChainHash) {
        index += 1
        hash.withBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, 32, Self.transient)
        }
    }
}

/// A column of a record table: its name, the SQLite type of its values, and whether it may
/// hold NULL.
struct Column: Sendable {
    var name: String
    var type: Int32
    var nullable: Bool

    static func integer(_ name: String, null: Bool = false) -> Column {
        Column(name: name, type: SQLITE_INTEGER, nullable: null)
    }
    static func real(_ name: String) -> Column { Column(name: name, type: SQLITE_FLOAT, nullable: false) }
    static func text(_ name: String, null: Bool = false) -> Column {
        Column(name: name, type: SQLITE_TEXT, nullable: null)
    }

    /// Its definition in `CREATE TABLE`.
    var sql: String {
        let type = [SQLITE_INTEGER: "INTEGER", SQLITE_FLOAT: "REAL", SQLITE_TEXT: "TEXT"][type] ?? "BLOB"
        return "\"\(name)\" \(type)\(nullable ? "" : " NOT NULL")"
    }

    /// Whether a value SQLite holds as `stored` is of this column's type (a whole number in a
    /// REAL column is one: SQLite keeps what it was given when it loses nothing).
    func accepts(_ stored: Int32) -> Bool {
        stored == type || (stored == SQLITE_NULL && nullable) || (type == SQLITE_FLOAT && stored == SQLITE_INTEGER)
    }

    /// What a value of this column is, in words: `an integer`, `a number`, `text`.
    var expected: String {
        let kind = [SQLITE_INTEGER: "an integer", SQLITE_FLOAT: "a number", SQLITE_TEXT: "text"][type] ?? "a blob"
        return nullable ? "\(kind) or NULL" : kind
    }
}

/// One record waiting for the next batch, naming things by index.
enum PendingRow {
    case unit(serial: Int, product: Int32, order: String?, released: Double)
    /// An operation; `batch` is the batch's number at a batch station, 0 elsewhere.
    case operation(serial: Int, machine: Int32, batch: Int32, start: Double, end: Double, setup: Bool)
    case lotDraw(serial: Int, material: Int32, lot: Int32, quantity: Int32, station: Int32, time: Double)
    case measurement(serial: Int, station: Int32, value: Double, time: Double)
    case defect(serial: Int, defect: Int32, station: Int32, time: Double, found: Bool)
    /// A unit leaves the line: shipped, or scrapped.
    case exit(serial: Int, scrapped: Bool, time: Double)
    /// A work order as the MES received it.
    indirect case workOrder(WorkOrder)
    /// A hold, release or disposition, from the audit entry `sequence`.
    indirect case hold(sequence: Int, entry: AuditEntry, hold: HoldRecord)
    indirect case audit(sequence: Int, entry: AuditEntry, recorded: String)

    /// The table the row goes to.
    var table: TraceStore.Table {
        switch self {
        case .unit: .unit
        case .operation: .operation
        case .lotDraw: .lotDraw
        case .measurement: .measurement
        case .defect: .defect
        case .exit: .unitExit
        case .workOrder: .workOrder
        case .hold: .hold
        case .audit: .audit
        }
    }
}

/// What the `hold` table records of an audit entry that holds, releases or disposes of a
/// unit, station, lot or order: the kind of step and what it was done to.
struct HoldRecord: Equatable, Sendable {
    /// `hold`, `release`, `scrap` or `rework`.
    var action: String
    /// `unit`, `station`, `lot` or `order`.
    var kind: String
    /// The serial, station, `material/lot` or order id.
    var subject: String

    /// The audit actions that hold, release or dispose of something, and what each records.
    static let actions: [String: String] = [
        "hold-unit": "hold", "release-unit": "release", "scrap-unit": "scrap", "rework-unit": "rework",
        "hold-station": "hold", "release-station": "release", "quarantine-lot": "hold", "release-lot": "release",
        "hold-order": "hold", "release-order": "release",
    ]

    /// The hold record of `entry`, or nil when its action is not a hold, release or disposition.
    init?(_ entry: AuditEntry) {
        guard let action = Self.actions[entry.action],
            let space = entry.subject.firstIndex(of: " ")
        else { return nil }
        self.action = action
        kind = String(entry.subject[..<space])
        subject = String(entry.subject[entry.subject.index(after: space)...])
    }
}
