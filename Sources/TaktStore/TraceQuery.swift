import Foundation
import GRDB

/// Genealogy questions answered from a trace store: a unit's as-built record (backward) and
/// where a lot went (forward).
public enum TraceQuery {
    /// One unit's as-built record.
    public struct UnitRecord: Codable, Equatable, Sendable {
        /// The replication the unit was made in (serials restart in each).
        public var replication: Int
        public var serial: Int
        public var product: String
        public var workOrder: String?
        public var released: Double
        public var shipped: Double?
        public var scrapped: Double?
        public var lots: [Lot]
        public var operations: [Operation]
        public var measurements: [Measurement]
        public var defects: [Defect]
        /// The MES's decisions about the unit: its release, holds, releases, scrapping and
        /// recalls, with their reasons (dispatching decisions left out).
        public var decisions: [Decision]

        public struct Lot: Codable, Equatable, Sendable {
            public var material: String
            public var lot: Int
            public var quantity: Int
            public var station: String
            public var time: Double
        }

        public struct Operation: Codable, Equatable, Sendable {
            public var station: String
            public var machine: String
            /// The batch it rode in at a batch station (numbered per station), nil elsewhere.
            public var batch: Int?
            public var start: Double
            public var end: Double
            /// A changeover came first; a rework; the operator pool that ran it.
            public var setup: Bool
            public var rework: Bool
            public var operatorPool: String?
        }

        public struct Measurement: Codable, Equatable, Sendable {
            public var station: String
            public var value: Double
            public var time: Double
        }

        public struct Defect: Codable, Equatable, Sendable {
            public var defect: String
            public var station: String
            public var time: Double
            /// Found by an inspection (false: created, not yet found).
            public var found: Bool
        }
    }

    /// One audit entry as genealogy shows it.
    public struct Decision: Codable, Equatable, Sendable {
        public var time: Double
        public var actor: String
        public var action: String
        public var old: String
        public var new: String
        public var reason: String
    }

    /// The audit entries of `replication` whose subject is `subject`, in the order written,
    /// without `skipping` actions.
    static func decisions(about subject: String, replication: Int, skipping: [String] = [], in db: Database) throws
        -> [Decision]
    {
        let excluded = skipping.map { _ in "?" }.joined(separator: ", ")
        var arguments: [DatabaseValueConvertible] = [replication, subject]
        arguments += skipping
        return try Row.fetchAll(
            db,
            sql: "SELECT time, actor, action, old, new, reason FROM audit WHERE replication = ? AND subject = ?"
                + (skipping.isEmpty ? "" : " AND action NOT IN (\(excluded))") + " ORDER BY rowid",
            arguments: StatementArguments(arguments)
        ).map {
            try Decision(
                time: $0.stored("time"), actor: $0.stored("actor"), action: $0.stored("action"), old: $0.stored("old"),
                new: $0.stored("new"),
                reason: $0.stored("reason"))
        }
    }

    /// Where one lot went: each unit that drew from it and what became of it.
    public struct LotUse: Codable, Equatable, Sendable {
        public var replication: Int
        public var material: String
        public var lot: Int
        public var units: [Use]

        public struct Use: Codable, Equatable, Sendable {
            public var serial: Int
            public var workOrder: String?
            /// `shipped`, `scrapped` or `in process` at the end of the trace.
            public var status: String
            public var time: Double?
        }
    }

    /// Whether the run that wrote the store finished.
    public static func isComplete(_ database: DatabaseQueue) throws -> Bool {
        try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'complete'") == "1" }
    }

    /// The replications the store traces, in the order they were written.
    public static func replications(in database: DatabaseQueue) throws -> [Int] {
        try database.read { db in
            let text = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'replications'") ?? ""
            return text.split(separator: ",").compactMap { Int($0) }
        }
    }

    /// The as-built record of unit `serial` of `replication`, or nil when the store has no such unit.
    public static func unit(_ serial: Int, replication: Int = 0, in database: DatabaseQueue) throws -> UnitRecord? {
        try database.read { db in
            let key: StatementArguments = [replication, serial]
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT product, work_order, released,
                            (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                                AND outcome = 'shipped') AS shipped,
                            (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                                AND outcome = 'scrapped') AS scrapped
                        FROM unit u WHERE replication = ? AND serial = ?
                        """,
                    arguments: key)
            else { return nil }
            let lots = try Row.fetchAll(
                db,
                sql:
                    "SELECT material, lot, quantity, station, time FROM lot_draw WHERE replication = ? AND serial = ? ORDER BY rowid",
                arguments: key
            ).map {
                try UnitRecord.Lot(
                    material: $0.stored("material"), lot: $0.stored("lot"), quantity: $0.stored("quantity"),
                    station: $0.stored("station"),
                    time: $0.stored("time"))
            }
            let operations = try Row.fetchAll(
                db,
                sql: """
                    SELECT station, machine, batch, start, "end", setup, rework, operator_pool FROM operation
                    WHERE replication = ? AND serial = ? ORDER BY rowid
                    """,
                arguments: key
            ).map { (row: Row) -> UnitRecord.Operation in
                let setup: Int = try row.stored("setup")
                let rework: Int = try row.stored("rework")
                return try UnitRecord.Operation(
                    station: row.stored("station"), machine: row.stored("machine"), batch: row.stored("batch"),
                    start: row.stored("start"),
                    end: row.stored("end"), setup: setup == 1, rework: rework == 1,
                    operatorPool: row.stored("operator_pool"))
            }
            let measurements = try Row.fetchAll(
                db,
                sql:
                    "SELECT station, value, time FROM measurement WHERE replication = ? AND serial = ? ORDER BY rowid",
                arguments: key
            ).map {
                try UnitRecord.Measurement(
                    station: $0.stored("station"), value: $0.stored("value"), time: $0.stored("time"))
            }
            let defects = try Row.fetchAll(
                db,
                sql:
                    "SELECT defect, station, time, found FROM defect WHERE replication = ? AND serial = ? ORDER BY rowid",
                arguments: key
            ).map {
                try UnitRecord.Defect(
                    defect: $0.stored("defect"), station: $0.stored("station"), time: $0.stored("time"),
                    found: $0.stored("found", as: Int.self) == 1)
            }
            return try UnitRecord(
                replication: replication, serial: serial, product: row.stored("product"),
                workOrder: row.stored("work_order"),
                released: row.stored("released"), shipped: row.stored("shipped"), scrapped: row.stored("scrapped"),
                lots: lots,
                operations: operations, measurements: measurements, defects: defects,
                decisions: try decisions(
                    about: "unit \(serial)", replication: replication, skipping: ["dispatch"], in: db))
        }
    }

    /// Where lot `lot` of `material` went in `replication`, in the order units drew from it.
    public static func lot(_ lot: Int, material: String, replication: Int = 0, in database: DatabaseQueue) throws
        -> LotUse
    {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT d.serial AS serial, u.work_order AS work_order,
                        (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                            AND outcome = 'shipped') AS shipped,
                        (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                            AND outcome = 'scrapped') AS scrapped
                    FROM lot_draw d JOIN unit u ON u.replication = d.replication AND u.serial = d.serial
                    WHERE d.replication = ? AND d.material = ? AND d.lot = ? ORDER BY d.rowid
                    """, arguments: [replication, material, lot])
            return try LotUse(replication: replication, material: material, lot: lot, units: rows.map(use))
        }
    }

    /// A unit's record as a tree for people.
    public static func tree(_ unit: UnitRecord) -> String {
        var fate = "in process at the end of the trace"
        if let shipped = unit.shipped { fate = "shipped at \(hours(shipped))" }
        if let scrapped = unit.scrapped { fate = "scrapped at \(hours(scrapped))" }
        var lines = [
            "unit \(unit.serial) of replication \(unit.replication) — \(unit.product)\(unit.workOrder.map { ", work order \($0)" } ?? ""); released at \(hours(unit.released)), \(fate)"
        ]
        func section(_ title: String, _ items: [String], last: Bool) {
            lines.append("\(last ? "└─" : "├─") \(title)\(items.isEmpty ? ": none" : "")")
            for (index, item) in items.enumerated() {
                lines.append("\(last ? "   " : "│  ")\(index == items.count - 1 ? "└─" : "├─") \(item)")
            }
        }
        section(
            "lots",
            unit.lots.map { "\($0.material) lot \($0.lot) ×\($0.quantity) at \($0.station), \(hours($0.time))" },
            last: false)
        section(
            "operations",
            unit.operations.map {
                "\($0.station) on \($0.machine)\($0.batch.map { " in batch \($0)" } ?? ""), \(hours($0.start)) – \(hours($0.end))"
                    + ($0.setup ? ", after a changeover" : "") + ($0.rework ? ", rework" : "")
                    + ($0.operatorPool.map { ", operator from \($0)" } ?? "")
            }, last: false)
        section(
            "measurements",
            unit.measurements.map {
                "\($0.station): \(String(format: "%.3f", locale: Locale(identifier: "en_US_POSIX"), $0.value)) at \(hours($0.time))"
            }, last: false)
        section(
            "defects",
            unit.defects.map {
                "\($0.defect) at \($0.station), \(hours($0.time))\($0.found ? ", found" : ", not found there")"
            },
            last: false)
        section("MES decisions", unit.decisions.map { decision(hours, $0) }, last: true)
        return lines.joined(separator: "\n")
    }

    /// One decision on a line: `12.500 h hold-unit by recall: in process → on hold (lot wifi-soc/3 quarantined)`.
    static func decision(_ hours: (Double) -> String, _ decision: Decision) -> String {
        let change = decision.old.isEmpty && decision.new.isEmpty ? "" : ": \(decision.old) → \(decision.new)"
        return "\(hours(decision.time)) \(decision.action) by \(decision.actor)\(change)"
            + (decision.reason.isEmpty ? "" : " (\(decision.reason))")
    }

    /// Hours with three decimals.
    static func hours(_ seconds: Double) -> String {
        String(format: "%.3f h", locale: Locale(identifier: "en_US_POSIX"), seconds / 3_600)
    }

    /// Where a lot went, as a tree for people.
    public static func tree(_ use: LotUse) -> String {
        var lines = ["\(use.material) lot \(use.lot): \(use.units.count) units"]
        for (index, unit) in use.units.enumerated() {
            let time =
                unit.time.map { String(format: " at %.3f h", locale: Locale(identifier: "en_US_POSIX"), $0 / 3_600) }
                ?? ""
            lines.append(
                "\(index == use.units.count - 1 ? "└─" : "├─") unit \(unit.serial)\(unit.workOrder.map { " (order \($0))" } ?? ""): \(unit.status)\(time)"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// A value in a trace store that is not one Takt writes there: the store was changed after
/// its run, or damaged. `takt audit verify` tells which rows changed.
public struct TraceStoreDamage: Error, CustomStringConvertible, Sendable {
    /// The column that holds it.
    public var column: String
    /// The value found, as SQLite holds it.
    public var found: String

    public var description: String {
        "the trace store is damaged: column `\(column)` holds \(found), not a value Takt writes there; `takt audit verify` tells which rows changed"
    }
}

extension Row {
    /// `column` as `Value`, or ``TraceStoreDamage`` where the value does not convert. GRDB's
    /// subscript traps there instead, and a tampered store must be reported, not crash the reader.
    func stored<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            throw TraceStoreDamage(column: column, found: (self[column] as DatabaseValue).description)
        }
    }
}
