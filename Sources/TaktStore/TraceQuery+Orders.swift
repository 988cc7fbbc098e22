import Foundation
import GRDB

/// Genealogy by work order and by machine: `takt trace --order ID` and
/// `takt trace --machine M --from T --to T`.
extension TraceQuery {
    /// One work order's units and the MES's decisions about it.
    public struct OrderRecord: Codable, Equatable, Sendable {
        public var replication: Int
        /// The order's id as the order book gives it.
        public var order: String
        /// What was ordered, as the MES received it (nil when the store has no row of it).
        public var product: String?
        public var quantity: Int?
        public var arrival: Double?
        public var due: Double?
        public var units: [LotUse.Use]
        public var decisions: [Decision]
    }

    /// What one machine worked on in a time window.
    public struct MachineWindow: Codable, Equatable, Sendable {
        public var replication: Int
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
            /// The batch at a batch station, nil elsewhere.
            public var batch: Int?
            public var start: Double
            public var end: Double
            public var setup: Bool
            public var rework: Bool
        }
    }

    /// The units of work order `order` in `replication` and its decisions; nil when the store
    /// has neither.
    public static func order(_ order: String, replication: Int = 0, in database: DatabaseQueue) throws
        -> OrderRecord?
    {
        try database.read { db in
            let units = try Row.fetchAll(
                db,
                sql: """
                    SELECT serial, work_order,
                        (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                            AND outcome = 'shipped') AS shipped,
                        (SELECT time FROM unit_exit WHERE replication = u.replication AND serial = u.serial
                            AND outcome = 'scrapped') AS scrapped
                    FROM unit u WHERE replication = ? AND work_order = ? ORDER BY serial
                    """, arguments: [replication, order]
            ).map(use)
            let decisions = try decisions(about: "order \(order)", replication: replication, in: db)
            let received = try Row.fetchOne(
                db,
                sql: "SELECT product, quantity, arrival, due FROM work_order WHERE replication = ? AND work_order = ?",
                arguments: [replication, order])
            guard !units.isEmpty || !decisions.isEmpty || received != nil else { return nil }
            return try OrderRecord(
                replication: replication, order: order, product: received?.stored("product"),
                quantity: received?.stored("quantity"), arrival: received?.stored("arrival"),
                due: received?.stored("due"), units: units,
                decisions: decisions)
        }
    }

    /// A unit's row as a ``LotUse/Use`` (serial, work order, status and when).
    static func use(_ row: Row) throws -> LotUse.Use {
        let shipped: Double? = try row.stored("shipped")
        let scrapped: Double? = try row.stored("scrapped")
        return try LotUse.Use(
            serial: row.stored("serial"), workOrder: row.stored("work_order"),
            status: shipped != nil ? "shipped" : scrapped != nil ? "scrapped" : "in process", time: shipped ?? scrapped)
    }

    /// What `machine` worked on between `from` and `to` (simulated seconds); nil when the store
    /// has no such machine.
    public static func machine(
        _ machine: String, from: Double, to: Double, replication: Int = 0, in database: DatabaseQueue
    ) throws -> MachineWindow? {
        try database.read { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM operation WHERE replication = ? AND machine = ?)",
                    arguments: [replication, machine]) == true
            else { return nil }
            let operations = try Row.fetchAll(
                db,
                sql: """
                    SELECT serial, station, batch, start, "end", setup, rework FROM operation
                    WHERE replication = ? AND machine = ? AND start <= ? AND "end" >= ? ORDER BY start, rowid
                    """, arguments: [replication, machine, to, from]
            ).map { row in
                try MachineWindow.Work(
                    serial: row.stored("serial"), station: row.stored("station"), batch: row.stored("batch"),
                    start: row.stored("start"),
                    end: row.stored("end"), setup: row.stored("setup", as: Int.self) == 1,
                    rework: row.stored("rework", as: Int.self) == 1)
            }
            let decisions = try decisions(about: "machine \(machine)", replication: replication, in: db).filter {
                $0.time >= from && $0.time <= to
            }
            return MachineWindow(
                replication: replication, machine: machine, from: from, to: to, operations: operations,
                decisions: decisions)
        }
    }

    /// An order as a tree for people.
    public static func tree(_ record: OrderRecord) -> String {
        var ordered = ""
        if let product = record.product, let quantity = record.quantity {
            ordered = ", \(quantity) × \(product)"
            if let arrival = record.arrival, let due = record.due {
                ordered += ", received at \(hours(arrival)), due at \(hours(due))"
            }
        }
        var lines = ["order \(record.order) (replication \(record.replication)\(ordered)): \(record.units.count) units"]
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
                "unit \($0.serial) at \($0.station)\($0.batch.map { " in batch \($0)" } ?? ""), \(hours($0.start)) – \(hours($0.end))"
                    + ($0.setup ? ", after a changeover" : "") + ($0.rework ? ", rework" : "")
            } + window.decisions.map { decision(hours, $0) }
        for (index, item) in items.enumerated() { lines.append("\(index == items.count - 1 ? "└─" : "├─") \(item)") }
        return lines.joined(separator: "\n")
    }
}
