import Foundation
import GRDB
import Testing
import TaktStore

@Suite("Genealogy by unit decisions, work order and machine window")
struct TraceQueryTests {
    @Test("a unit's record lists the MES's holds and scrapping of it with their reasons, not its dispatching")
    func unitDecisions() throws {
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let subject = try #require(
            try database.read { db in
                try String.fetchOne(db, sql: "SELECT subject FROM audit WHERE action = 'hold-unit' ORDER BY rowid")
            })
        let serial = try #require(Int(subject.dropFirst("unit ".count)))
        let expected = try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM audit WHERE subject = ? AND action != 'dispatch'", arguments: [subject])
        }
        let unit = try #require(try TraceQuery.unit(serial, in: database))
        #expect(unit.decisions.count == expected)
        #expect(!unit.decisions.contains { $0.action == "dispatch" })
        let hold = try #require(unit.decisions.first { $0.action == "hold-unit" })
        #expect(hold.old == "in process" && hold.new == "on hold" && hold.reason.hasPrefix("recall of lot"))
        #expect(TraceQuery.tree(unit).contains("└─ MES decisions"))
        #expect(TraceQuery.tree(unit).contains("hold-unit by recall: in process → on hold (recall of lot"))
    }

    @Test(
        "a value changed after the run to one Takt never writes is reported with its column, not trapped on",
        arguments: [
            ("unit", "released", "'x'"), ("operation", "batch", "'y'"), ("operation", "setup", "1e300"),
            ("measurement", "value", "x'00ff'"), ("lot_draw", "lot", "'lot'"), ("defect", "found", "'yes'"),
        ])
    func damagedValueIsAnError(table: String, column: String, value: String) throws {
        let path = try tracedFlagship()
        let serial = try DatabaseHandle(path).queue.read { db in
            try #require(try Int.fetchOne(db, sql: "SELECT serial FROM \(table) ORDER BY rowid LIMIT 1"))
        }
        try tamper(path, "UPDATE \(table) SET \(column) = \(value) WHERE serial = \(serial)")
        let database = try DatabaseHandle(path).queue
        do {
            _ = try TraceQuery.unit(serial, in: database)
            Issue.record("read unit \(serial) with \(table).\(column) = \(value)")
        } catch let damage as TraceStoreDamage {
            #expect(damage.column == column)
            #expect(damage.description.hasPrefix("the trace store is damaged: column `\(column)` holds"))
        }
    }

    @Test("a machine's window and a lot's units report a damaged value too")
    func damagedValueInOtherQueries() throws {
        let path = try tracedFlagship()
        let (machine, material, lot) = try DatabaseHandle(path).queue.read { db in
            let machine = try #require(try String.fetchOne(db, sql: "SELECT machine FROM operation LIMIT 1"))
            let draw = try #require(try Row.fetchOne(db, sql: "SELECT material, lot FROM lot_draw LIMIT 1"))
            return (machine, draw["material"] as String, draw["lot"] as Int)
        }
        // The end, not the start: text sorts after every number, so a text start leaves the window.
        try tamper(path, "UPDATE operation SET \"end\" = 'soon' WHERE machine = '\(machine)'")
        try tamper(
            path, "UPDATE unit SET work_order = x'ff' WHERE serial IN (SELECT serial FROM lot_draw WHERE lot = \(lot))")
        let database = try DatabaseHandle(path).queue
        #expect(throws: TraceStoreDamage.self) { try TraceQuery.machine(machine, from: 0, to: 1e9, in: database) }
        #expect(throws: TraceStoreDamage.self) { try TraceQuery.lot(lot, material: material, in: database) }
    }

    @Test("a work order lists exactly its units and the decisions about it")
    func order() throws {
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let order = try #require(try TraceQuery.unit(500, in: database)?.workOrder)
        let record = try #require(try TraceQuery.order(order, in: database))
        let (units, decisions) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM unit WHERE work_order = ?", arguments: [order]),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE subject = ?", arguments: ["order \(order)"])
            )
        }
        #expect(record.units.count == units && record.units.contains { $0.serial == 500 })
        #expect(record.decisions.count == decisions && decisions ?? 0 > 0)
        #expect(try TraceQuery.order("no-such-order", in: database) == nil)
    }

    @Test("a machine's window holds the operations that overlap it, in order of start")
    func machineWindow() throws {
        let path = try tracedFlagship()
        let database = try DatabaseHandle(path).queue
        let (from, to) = (26.0 * 3_600, 27.0 * 3_600)
        let window = try #require(try TraceQuery.machine("place-1", from: from, to: to, in: database))
        let overlapping = try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM operation WHERE machine = 'place-1' AND NOT (\"end\" < ? OR start > ?)",
                arguments: [from, to])
        }
        #expect(window.operations.count == overlapping && !window.operations.isEmpty)
        #expect(window.operations.allSatisfy { $0.start <= to && $0.end >= from })
        #expect(window.operations.map(\.start) == window.operations.map(\.start).sorted())
        #expect(try TraceQuery.machine("place-9", from: from, to: to, in: database) == nil)
    }
}
