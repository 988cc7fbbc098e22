import Crypto
import Foundation
import GRDB
import Testing
import TaktScenario
import TaktStore

/// One sealed store of the flagship (5 days, so its recall at 4 days holds units; two
/// replications), written once; each test tampers with a copy.
private let sealedStore: Result<String, Error> = Result {
    let path = scratchPath()
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=5d", "replications=2"])
    _ = try TracedRun.run(scenario, replications: [0, 1], to: path)
    return path
}

/// A fresh copy of the sealed store, and the seal it was written with.
func sealedCopy() throws -> (path: String, seal: String) {
    let original = try sealedStore.get()
    let path = scratchPath()
    try FileManager.default.copyItem(atPath: original, toPath: path)
    return (path, try SealFile.read(SealFile.path(of: original)).seal)
}

/// The tables sealed by a row chain, with a column whose value a forger would change.
let chainedTables = [
    ("unit", "released"), ("operation", "\"end\""), ("lot_draw", "quantity"), ("measurement", "value"),
    ("defect", "found"), ("unit_exit", "time"), ("work_order", "quantity"), ("hold", "time"),
]

/// The rowids of `table`, in order.
func rowids(_ path: String, _ table: String) throws -> [Int64] {
    try DatabaseQueue(path: path).read { db in try Int64.fetchAll(db, sql: "SELECT rowid FROM \(table) ORDER BY rowid")
    }
}

/// The findings of `audit verify` on `path` in `table`.
func findings(_ path: String, in table: String, expecting: AuditVerification.Expectation = .init()) throws
    -> [AuditVerification.Finding]
{
    try AuditVerification.check(path, expecting: expecting).findings.filter { $0.table == table }
}

@Suite("Every table of the trace store is sealed")
struct StoreSealTests {
    @Test("the sealed store verifies intact, every table counted")
    func intact() throws {
        let (path, seal) = try sealedCopy()
        let report = try AuditVerification.check(path, expecting: .init(seal: seal))
        #expect(report.findings.isEmpty && report.complete)
        #expect(report.seal == seal)
        let total = try DatabaseQueue(path: path).read { db in
            try [
                "unit", "operation", "lot_draw", "measurement", "defect", "unit_exit", "work_order", "hold", "audit",
            ].reduce(0) {
                $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1)") ?? 0)
            }
        }
        #expect(report.rows == total)
        for table in chainedTables.map(\.0) { #expect(try rowids(path, table).count > 12, "\(table)") }
        let replications = try DatabaseQueue(path: path).read { db in
            try Int.fetchAll(db, sql: "SELECT DISTINCT replication FROM operation ORDER BY 1")
        }
        #expect(replications == [0, 1])
    }

    @Test("an edited value is found at its row", arguments: chainedTables)
    func edited(_ table: String, _ column: String) throws {
        let (path, _) = try sealedCopy()
        let row = try rowids(path, table)[10]
        try tamper(path, "UPDATE \(table) SET \(column) = \(column) + 1 WHERE rowid = \(row)")
        let found = try findings(path, in: table)
        #expect(found.first?.row == row)
        #expect(found.first?.problem.contains("edited") == true)
        #expect(found.count == 1)
    }

    @Test("a deleted row is found at the row after it", arguments: chainedTables)
    func deleted(_ table: String, _: String) throws {
        let (path, _) = try sealedCopy()
        let rows = try rowids(path, table)
        try tamper(path, "DELETE FROM \(table) WHERE rowid = \(rows[10])")
        let found = try findings(path, in: table)
        #expect(found.first?.row == rows[11])
        #expect(found.first?.problem.contains("deleted") == true)
    }

    @Test(
        "an inserted copy of a row is found where it was put, and the count no longer matches", arguments: chainedTables
    )
    func inserted(_ table: String, _: String) throws {
        let (path, _) = try sealedCopy()
        let rows = try rowids(path, table)
        try tamper(path, "INSERT INTO \(table) SELECT * FROM \(table) WHERE rowid = \(rows[10])")
        let found = try findings(path, in: table)
        #expect(found.first?.row == (try rowids(path, table).last))
        #expect(found.contains { $0.problem.contains("holds \(rows.count + 1) rows; the run recorded \(rows.count)") })
    }

    @Test("two swapped rows are found at the first of them", arguments: chainedTables)
    func swapped(_ table: String, _: String) throws {
        let (path, _) = try sealedCopy()
        let rows = try rowids(path, table)
        let columns = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { "\"\($0["name"] as String)\"" }
        }
        let assignments = columns.map { "\($0) = (SELECT \($0) FROM pair WHERE r != \(table).rowid)" }
        try tamper(
            path,
            """
            CREATE TEMP TABLE pair AS SELECT rowid AS r, * FROM \(table) WHERE rowid IN (\(rows[10]), \(rows[11]));
            UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE rowid IN (\(rows[10]), \(rows[11]));
            """)
        let found = try findings(path, in: table)
        #expect(found.first?.row == rows[10])
    }

    @Test("cutting the last rows is caught by the row count the run recorded", arguments: chainedTables)
    func truncated(_ table: String, _: String) throws {
        let (path, _) = try sealedCopy()
        let rows = try rowids(path, table)
        try tamper(path, "DELETE FROM \(table) WHERE rowid > \(rows[rows.count - 4])")
        let found = try findings(path, in: table)
        #expect(
            found.map(\.problem) == [
                "holds \(rows.count - 3) rows; the run recorded \(rows.count) when it finished: rows were removed or added at the end"
            ])
    }

    @Test("a dropped table is named", arguments: chainedTables.map(\.0) + ["audit", "chain"])
    func dropped(_ table: String) throws {
        let (path, _) = try sealedCopy()
        try tamper(path, "DROP TABLE \(table)")
        #expect(try findings(path, in: table).first?.problem == "is gone: the table was dropped")
    }

    @Test("a column or a table added after the run is found")
    func added() throws {
        let (path, _) = try sealedCopy()
        try tamper(path, "ALTER TABLE defect ADD COLUMN note TEXT; CREATE TABLE notes (text TEXT)")
        #expect(try findings(path, in: "defect").first?.problem.contains("the table was altered") == true)
        #expect(
            try findings(path, in: "notes").first?.problem == "is not part of a trace store: it was added after the run"
        )
    }

    @Test("a changed run record (the seed) breaks the seal")
    func runRecordEdited() throws {
        let (path, _) = try sealedCopy()
        try tamper(path, "UPDATE run SET value = '42' WHERE key = 'seed'")
        #expect(
            try findings(path, in: "run").first?.problem.contains("the run record or the chain record was changed")
                == true)
    }

    @Test("a deleted seal is tampering, not a way to skip the check")
    func sealDeleted() throws {
        let (path, _) = try sealedCopy()
        try tamper(path, "DELETE FROM run WHERE key = 'seal'")
        #expect(try findings(path, in: "run").first?.problem.contains("its seal (run.seal) is gone") == true)
    }

    @Test("cutting rows and rewriting the chain record to match breaks the seal")
    func truncatedWithChainRecordRewritten() throws {
        let (path, _) = try sealedCopy()
        let rows = try rowids(path, "measurement")
        try tamper(
            path,
            """
            DELETE FROM measurement WHERE rowid > \(rows[rows.count - 4]);
            UPDATE chain SET rows = \(rows.count - 3),
                head = (SELECT lower(hex(hash)) FROM measurement WHERE rowid = \(rows[rows.count - 4]))
                WHERE table_name = 'measurement';
            """)
        #expect(try findings(path, in: "measurement").isEmpty)
        #expect(try findings(path, in: "run").first?.problem.contains("not the recorded run.seal") == true)
    }

    @Test("a sealed store marked unfinished afterwards is tampered, not incomplete")
    func markedIncomplete() throws {
        let (path, _) = try sealedCopy()
        try tamper(path, "UPDATE run SET value = '0' WHERE key = 'complete'")
        let report = try AuditVerification.check(path)
        #expect(!report.complete)
        #expect(report.findings.first?.problem.contains("yet it holds the seal of a finished run") == true)
    }

    @Test("an edit re-chained and re-sealed by hand passes alone, and is caught by the seal held apart")
    func rechained() throws {
        let (path, seal) = try sealedCopy()
        let row = try rowids(path, "operation")[10]
        try tamper(path, "UPDATE operation SET \"end\" = \"end\" + 60 WHERE rowid = \(row)")
        try Forger.rechain(path, table: "operation")
        try Forger.reseal(path)
        #expect(try AuditVerification.check(path).findings.isEmpty)
        let caught = try AuditVerification.check(path, expecting: .init(seal: seal)).findings
        #expect(caught.map(\.problem).first?.contains("this is not the store that run wrote") == true)
    }
}

/// What a forger with write access and docs/trace-store.md does: recomputes a table's
/// chain and the seal. Written from the documented encoding, not from Takt's code.
enum Forger {
    static func encode(_ values: [DatabaseValue]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values {
            switch value.storage {
            case .null: out.append(0)
            case .int64(let v):
                out.append(1)
                out += withUnsafeBytes(of: v.littleEndian, Array.init)
            case .double(let v):
                out.append(2)
                out += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init)
            case .string(let s):
                out.append(3)
                out += withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian, Array.init)
                out += Array(s.utf8)
            case .blob(let d):
                out.append(4)
                out += withUnsafeBytes(of: UInt32(d.count).littleEndian, Array.init)
                out += Array(d)
            }
        }
        return out
    }

    static func sha(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Each row's hash in `table`, recomputed in rowid order: SHA-256 of the hash before
    /// (first: of `takt trace store: TABLE`) and the row's values but `hash` in column order.
    static func chain(_ path: String, table: String) throws -> [[UInt8]] {
        try DatabaseQueue(path: path).read { db in
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
                .filter { $0 != "hash" }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY rowid")
            var previous = sha(Array("takt trace store: \(table)".utf8))
            return rows.map { row in
                previous = sha(previous + encode(columns.map { row[$0] as DatabaseValue }))
                return previous
            }
        }
    }

    /// New hashes for every row of `table` (hex text in `audit`, 32-byte BLOBs elsewhere) and
    /// its chain record.
    static func rechain(_ path: String, table: String) throws {
        let hashes = try chain(path, table: table)
        try DatabaseQueue(path: path).write { db in
            let rowids = try Int64.fetchAll(db, sql: "SELECT rowid FROM \(table) ORDER BY rowid")
            for (rowid, hash) in zip(rowids, hashes) {
                let value: DatabaseValueConvertible = table == "audit" ? hex(hash) : Data(hash)
                try db.execute(sql: "UPDATE \(table) SET hash = ? WHERE rowid = ?", arguments: [value, rowid])
            }
            try db.execute(
                sql: "UPDATE chain SET head = ?, rows = ? WHERE table_name = ?",
                arguments: [hex(hashes.last ?? sha(Array("takt trace store: \(table)".utf8))), hashes.count, table])
        }
    }

    /// A new seal over the chain record and the run record.
    static func reseal(_ path: String) throws {
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            var values: [DatabaseValue] = ["takt trace store seal 1".databaseValue]
            for row in try Row.fetchAll(db, sql: "SELECT table_name, rows, head FROM chain ORDER BY rowid") {
                values += [row["table_name"], row["rows"], row["head"]]
            }
            let run = try Row.fetchAll(
                db, sql: "SELECT key, value FROM run WHERE key NOT IN ('seal', 'seal_signature', 'seal_public_key')"
            )
            .map { ($0["key"] as String, $0["value"] as String) }.sorted {
                Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
            }
            values.append(run.count.databaseValue)
            for (key, value) in run { values += [key.databaseValue, value.databaseValue] }
            let seal = hex(sha(sha(Array("takt trace store: seal".utf8)) + encode(values)))
            try db.execute(sql: "UPDATE run SET value = ? WHERE key = 'seal'", arguments: [seal])
        }
    }
}
