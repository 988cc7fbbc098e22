import Foundation
import GRDB

/// Genealogy by work order and by machine: `takt trace --order ID` and
/// `takt trace --machine M --from T --to T`.
extension TraceQuery {
    /// One work order's units and the MES's decisions about it.
    public struct OrderRecord: Codable, Equatable, Sendable {
        /// The order's id as the order book gives it.
        public var order: String
        public var units: [LotUse.Use]
        public var decisions: [Decision]
    }

    /// What one machine worked on in a time window.
    public struct MachineWindow: Codable, Equatable, Sendable {
        public var machine: String
        public var from: Double
        public var to: Double
        /// The operations that overlap the window, by start.
        public var operations: [Work]
        /// The MES's decisions about the machine in the window (maintenance, holds).
        public var decisions: [Decision]

        public struct Work: Codable, Equatable, Sendable {
            public var serial: Int
            public var station: String
            public var start: Double
            public var end: Double
            public var setup: Bool
            public var rework: Bool
        }
    }

    /// The units of work order `order` and its decisions; nil when the store has neither.
    public static func order(_ order: String, in database: DatabaseQueue) throws -> OrderRecord? {
        try database.read { db in
            let units = try Row.fetchAll(
                db,
                sql: """
                    SELECT serial, work_order,
                        (SELECT time FROM unit_exit WHERE serial = u.serial AND outcome = 'shipped') AS shipped,
                        (SELECT time FROM unit_exit WHERE serial = u.serial AND outcome = 'scrapped') AS scrapped
                    FROM unit u WHERE work_order = ? ORDER BY serial
                    """, arguments: [order]
            ).map(use)
            let decisions = try decisions(about: "order \(order)", in: db)
            guard !units.isEmpty || !decisions.isEmpty else { return nil }
            return OrderRecord(order: order, units: units, decisions: decisions)
        }
    }

    /// A unit's row as a ``LotUse/Use`` (serial, work order, status and when).
    static func use(_ row: Row) -> LotUse.Use {
        let shipped: Double? = row["shipped"]
        let scrapped: Double? = row["scrapped"]
        return LotUse.Use(
            serial: row["serial"], workOrder: row["work_order"],
            status: shipped != nil ? "shipped" : scrapped != nil ? "scrapped" : "in process", time: shipped ?? scrapped)
    }

    /// What `machine` worked on between `from` and `to` (simulated seconds); nil when the store
    /// has no such machine.
    public static func machine(_ machine: String, from: Double, to: Double, in database: DatabaseQueue) throws
        -> MachineWindow?
    {
        try database.read { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM operation WHERE machine = ?)", arguments: [machine]) == true
            else { return nil }
            let operations = try Row.fetchAll(
                db,
                sql: """
                    SELECT serial, station, start, "end", setup, rework FROM operation
                    WHERE machine = ? AND start <= ? AND "end" >= ? ORDER BY start, rowid
                    """, arguments: [machine, to, from]
            ).map { row in
                MachineWindow.Work(
                    serial: row["serial"], station: row["station"], start: row["start"], end: row["end"],
                    setup: row["setup"] == 1, rework: row["rework"] == 1)
            }
            let decisions = try decisions(about: "machine \(machine)", in: db).filter {
                $0.time >= from && $0.time <= to
            }
            return MachineWindow(machine: machine, from: from, to: to, operations: operations, decisions: decisions)
        }
    }

    /// An order as a tree for people.
    public static func tree(_ record: OrderRecord) -> String {
        var lines = ["order \(record.order): \(record.units.count) units"]
        let items =
            record.units.map { unit in
                "unit \(unit.serial): \(unit.status)\(unit.time.map { " at \(hours($0))" } ?? "")"
            } + record.decisions.map { decision(hours, $0) }
        for (index, item) in items.enumerated() { lines.append("\(index == items.count - 1 ? "└─" : "├─") \(item)") }
        return lines.joined(separator: "\n")
    }

    /// A machine's window as a tree for people.
    public static func tree(_ window: MachineWindow) -> String {
        var lines = [
            "machine \(window.machine), \(hours(window.from)) – \(hours(window.to)): \(window.operations.count) operations"
        ]
        let items =
            window.operations.map {
                "unit \($0.serial) at \($0.station), \(hours($0.start)) – \(hours($0.end))"
                    + ($0.setup ? ", after a changeover" : "") + ($0.rework ? ", rework" : "")
            } + window.decisions.map { decision(hours, $0) }
        for (index, item) in items.enumerated() { lines.append("\(index == items.count - 1 ? "└─" : "├─") \(item)") }
        return lines.joined(separator: "\n")
    }
}
