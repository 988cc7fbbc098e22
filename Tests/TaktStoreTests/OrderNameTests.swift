import Foundation
import GRDB
import Testing
import TaktExperiment
import TaktScenario
import TaktStore

@Suite("Order ids in the trace store")
struct OrderNameTests {
    @Test("the audit trail, the unit table and takt trace name an order by its order-book id")
    func orderBookIdsAreKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-ids-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "id,product,quantity,due\nWO-1042,p,2,1h\n".write(
            to: directory.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            name: ids
            horizon: 1h
            replications: 1
            stations:
              - { id: m, cycle: const(10m) }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { book: orders.csv }
            """
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml", directory: directory.path)
        let path = directory.appendingPathComponent("trace.sqlite").path
        _ = try TracedRun.run(scenario, to: path)
        let database = try DatabaseHandle(path).queue
        let subjects = try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT subject FROM audit WHERE actor = 'order-tracking'")
        }
        #expect(subjects == ["order WO-1042"])
        let unit = try #require(try TraceQuery.unit(1, in: database))
        #expect(unit.workOrder == "WO-1042")
        #expect(TraceQuery.tree(unit).contains("work order WO-1042"))
    }
}
