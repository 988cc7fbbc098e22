import Foundation
import GRDB
import Testing
import TaktMES
import TaktStore

/// A store with four hand-written entries, so each filter's answer is known.
private func smallTrail() throws -> String {
    let path = scratchPath()
    let store = try TraceStore(creating: path, run: ["scenario": "audit-list"])
    for entry in [
        AuditEntry(time: 3_600, actor: "spc", action: "spc-signal", subject: "station print", reason: "nelson-1"),
        AuditEntry(
            time: 7_200, actor: "rule scrap-watch", action: "hold-unit", subject: "unit 7", reason: "scrap, \"high\"",
            old: "in process", new: "on hold"),
        AuditEntry(
            time: 9_000, actor: "order-tracking", action: "order-state", subject: "order WO-17", reason: "first unit",
            old: "planned", new: "released"),
        AuditEntry(time: 10_800, actor: "recall", action: "hold-unit", subject: "unit 8", reason: "recall"),
    ] {
        try store.appendAudit(entry)
    }
    try store.finish()
    try store.close()
    return path
}

@Suite("Reading the audit trail without SQL")
struct AuditTrailTests {
    @Test(
        "each filter keeps exactly the entries it names",
        arguments: [
            (AuditTrail.Filter(), [1, 2, 3, 4]),
            (AuditTrail.Filter(actor: "rule *"), [2]),
            (AuditTrail.Filter(kind: "hold-*"), [2, 4]),
            (AuditTrail.Filter(unit: 8), [4]),
            (AuditTrail.Filter(order: "WO-17"), [3]),
            (AuditTrail.Filter(from: 7_200, to: 9_000), [2, 3]),
            (AuditTrail.Filter(actor: "spc", kind: "hold-*"), []),
        ])
    func filters(_ row: (filter: AuditTrail.Filter, sequences: [Int])) throws {
        let path = try smallTrail()
        #expect(try AuditTrail.entries(in: path, matching: row.filter).map(\.seq) == row.sequences)
    }

    @Test("CSV export quotes what needs quoting and keeps the hashes, which verify recomputes")
    func csvExport() throws {
        let path = try smallTrail()
        let entries = try AuditTrail.entries(in: path, matching: AuditTrail.Filter())
        let csv = AuditTrail.csv(entries)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "replication,seq,time_s,recorded_utc,actor,action,subject,reason,old,new,hash")
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("0,2,7200.0,\(entries[1].recorded),rule scrap-watch,hold-unit,unit 7,"))
        #expect(lines[2].contains(",unit 7,\"scrap, \"\"high\"\"\",in process,on hold,"))
        #expect(entries.allSatisfy { $0.hash.count == 64 })
        #expect(try AuditVerification.verify(path).isEmpty)
    }
}
