import Foundation
import GRDB
import Testing
import TaktScenario
import TaktStore

/// A traced flagship store (5 days: the recall at 4 days holds units) of `replications`.
private func flagshipStore(replications: [Int]) throws -> String {
    let path = scratchPath()
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=5d", "replications=3"])
    _ = try TracedRun.run(scenario, replications: replications, to: path)
    return path
}

@Suite("Several replications in one trace store")
struct TracedReplicationsTests {
    @Test("each replication's records are those a store of it alone holds")
    func replicationsAreKeptApart() throws {
        let both = try DatabaseHandle(try flagshipStore(replications: [0, 2])).queue
        let alone = try DatabaseHandle(try flagshipStore(replications: [2])).queue
        #expect(try TraceQuery.replications(in: both) == [0, 2])
        /// The replication's operations, without hashes (their chains differ).
        func operations(_ database: DatabaseQueue) throws -> [[DatabaseValue]] {
            try database.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT serial, machine, batch, start, \"end\" FROM operation WHERE replication = 2 ORDER BY rowid"
                ).map { Array($0.databaseValues) }
            }
        }
        let combined = try operations(both)
        #expect(combined.count > 10_000)
        #expect(combined == (try operations(alone)))
        // Serials restart in each replication, and a query names the replication asked for.
        let first = try #require(try TraceQuery.unit(1_000, replication: 0, in: both))
        let third = try #require(try TraceQuery.unit(1_000, replication: 2, in: both))
        #expect(first.released != third.released)
        #expect(third == (try TraceQuery.unit(1_000, replication: 2, in: alone)))
    }

    @Test("audit entries are numbered across the replications, each replication's in one run")
    func auditSequenceSpansReplications() throws {
        let path = try flagshipStore(replications: [0, 1])
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT replication, seq FROM audit ORDER BY rowid")
        }
        #expect(rows.map { $0["seq"] as Int } == Array(1...rows.count))
        let replications = rows.map { $0["replication"] as Int }
        #expect(replications == replications.sorted() && Set(replications) == [0, 1])
        #expect(try AuditVerification.verify(path).isEmpty)
    }
}

@Suite("Work orders, holds and batches in the trace store")
struct StoreRecordsTests {
    @Test("the work_order table holds the order book as the MES received it")
    func workOrders() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-wo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "id,product,quantity,due,arrival\nWO-1,p,2,2h,0s\nWO-2,q,3,5h,1h\n".write(
            to: directory.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            name: orders
            horizon: 4h
            replications: 1
            stations:
              - { id: m, cycle: const(10m) }
            products:
              - { id: p, route: [m] }
              - { id: q, route: [m] }
            mes:
              orders: { book: orders.csv }
            """
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml", directory: directory.path)
        let path = directory.appendingPathComponent("trace.sqlite").path
        _ = try TracedRun.run(scenario, to: path)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(
                db, sql: "SELECT work_order, product, quantity, due, arrival FROM work_order ORDER BY rowid")
        }
        #expect(rows.map { $0["work_order"] as String } == ["WO-1", "WO-2"])
        #expect(rows.map { $0["product"] as String } == ["p", "q"])
        #expect(rows.map { $0["quantity"] as Int } == [2, 3])
        #expect(rows.map { $0["due"] as Double } == [7_200, 18_000])
        #expect(rows.map { $0["arrival"] as Double } == [0, 3_600])
        let record = try #require(try TraceQuery.order("WO-2", in: DatabaseHandle(path).queue))
        #expect(record.quantity == 3 && record.due == 18_000 && record.units.count == 3)
    }

    @Test("every audit entry that holds, releases or disposes of something has its hold row")
    func holds() throws {
        let path = try flagshipStore(replications: [0])
        let (entries, holds) = try DatabaseQueue(path: path).read { db in
            (
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT seq, time, action, subject, actor, reason FROM audit
                        WHERE action IN ('hold-unit', 'release-unit', 'scrap-unit', 'rework-unit', 'hold-station',
                            'release-station', 'quarantine-lot', 'release-lot', 'hold-order', 'release-order')
                        ORDER BY seq
                        """),
                try Row.fetchAll(
                    db, sql: "SELECT seq, time, action, subject_kind, subject, actor, reason FROM hold ORDER BY rowid")
            )
        }
        #expect(entries.count > 10)
        #expect(holds.map { $0["seq"] as Int } == entries.map { $0["seq"] as Int })
        for (entry, hold) in zip(entries, holds) {
            #expect("\(hold["subject_kind"] as String) \(hold["subject"] as String)" == entry["subject"] as String)
            #expect((entry["action"] as String).hasPrefix(hold["action"] as String) || hold["action"] == "hold")
            #expect(hold["time"] == entry["time"] as Double && hold["reason"] == entry["reason"] as String)
        }
        // The recall quarantines a lot: a hold of kind lot, named material/lot.
        #expect(holds.contains { $0["subject_kind"] == "lot" && $0["subject"] == "wifi-soc/3" })
    }

    @Test("units of one reflow batch share its machine, start and end; other stations have no batch")
    func batches() throws {
        let path = try flagshipStore(replications: [0])
        let capacity = 12  // smt-router-line.yaml: reflow batch: { capacity: 12 }
        let (batches, elsewhere) = try DatabaseQueue(path: path).read { db in
            (
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT batch, count(*) AS units, count(DISTINCT machine) AS machines,
                            count(DISTINCT start) AS starts, count(DISTINCT "end") AS ends
                        FROM operation WHERE station = 'reflow' GROUP BY batch
                        """),
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM operation WHERE station != 'reflow' AND batch IS NOT NULL")
            )
        }
        #expect(batches.count > 100)
        #expect(batches.allSatisfy { $0["batch"] as Int? != nil })
        #expect(batches.map { $0["batch"] as Int } == Array(1...batches.count))
        #expect(batches.allSatisfy { $0["machines"] == 1 && $0["starts"] == 1 && $0["ends"] == 1 })
        #expect(batches.allSatisfy { ($0["units"] as Int) <= capacity })
        #expect(batches.contains { ($0["units"] as Int) > 1 })
        #expect(elsewhere == 0)
    }
}

@Suite("Who carried out maintenance")
struct MaintenanceActorTests {
    @Test("a station's technician pool is the actor of its maintenance, with the wait for it")
    func technicianPoolIsTheActor() throws {
        // One order of 100 units released at once to a one-minute machine; maintenance after
        // every 10 units takes 5 minutes. The 10th unit finishes at 10 min, the free crew
        // starts at once (waited 0 s) and is done at 15 min.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-crew-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "id,product,quantity,due\nWO-1,p,100,2h\n".write(
            to: directory.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            name: crew
            horizon: 20m
            replications: 1
            stations:
              - { id: m, cycle: const(1m), failures: { between: const(1000h), repair: const(1m), technicians: crew } }
            products:
              - { id: p, route: [m] }
            technicians:
              - { pool: crew, size: 1 }
            mes:
              orders: { book: orders.csv }
              maintenance:
                - { station: m, every: 10 units, duration: 5m }
            """
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "crew.yaml", directory: directory.path)
        let path = directory.appendingPathComponent("trace.sqlite").path
        _ = try TracedRun.run(scenario, to: path)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT time, actor, action, reason FROM audit WHERE action LIKE 'maintenance-%' ORDER BY seq LIMIT 3"
            )
        }
        #expect(
            rows.map { $0["action"] as String } == ["maintenance-requested", "maintenance-started", "maintenance-done"])
        #expect(rows.map { $0["actor"] as String } == ["maintenance-plan", "technicians crew", "technicians crew"])
        #expect(rows.map { $0["time"] as Double } == [600, 600, 900])
        #expect((rows[1]["reason"] as String).hasSuffix("waited 0 s for the machine and its technician"))
    }
}
