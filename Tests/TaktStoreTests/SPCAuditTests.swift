import GRDB
import Testing
import TaktStore

@Suite("SPC signals in the audit trail")
struct SPCAuditTests {
    @Test("an R-chart signal is recorded as one, and only a signal of the mean is followed by an adjustment")
    func dispersionSignalsDoNotAdjust() throws {
        let database = try DatabaseHandle(try tracedFlagship()).queue
        let rows = try database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT time, action, reason FROM audit WHERE actor = 'spc' AND action IN ('spc-signal', 'adjust') ORDER BY seq"
            )
        }
        let signals = rows.enumerated().filter { ($0.element["action"] as String) == "spc-signal" }
        let dispersionOnly = signals.filter { ($0.element["reason"] as String).hasPrefix("R ") }
        #expect(!dispersionOnly.isEmpty, "the flagship's 5 days have R signals")
        for (index, row) in signals {
            let adjusted =
                index + 1 < rows.count && (rows[index + 1]["action"] as String) == "adjust"
                && (rows[index + 1]["time"] as Double) == (row["time"] as Double)
            let reason: String = row["reason"]
            #expect(adjusted == !reason.hasPrefix("R "), "\(reason)")
            if reason.hasPrefix("R ") { #expect(reason.contains(" above UCL ") || reason.contains(" below LCL ")) }
        }
    }

    @Test("each adjustment records the level the MES estimated before and the centre line it set")
    func adjustmentsHaveOldAndNew() throws {
        let database = try DatabaseHandle(try tracedFlagship()).queue
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT old, new FROM audit WHERE action = 'adjust'")
        }
        #expect(!rows.isEmpty)
        for row in rows {
            #expect((row["old"] as String).hasPrefix("mean "), "\(row["old"] as String)")
            #expect((row["new"] as String).hasPrefix("centre line "), "\(row["new"] as String)")
        }
    }
}
