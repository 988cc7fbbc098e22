import Foundation
import GRDB

/// `takt audit verify`: walks the audit trail in the order it was written and checks the
/// sequence numbers and the hash chain.
public enum AuditVerification {
    /// What a check found.
    public struct Finding: Equatable, CustomStringConvertible, Sendable {
        /// The first entry (sequence number) where the trail goes wrong, and how.
        public var entry: Int
        public var problem: String

        public var description: String { "audit entry \(entry): \(problem)" }
    }

    /// The problems in the store at `path`, first first; empty when the trail is intact.
    public static func verify(_ path: String) throws -> [Finding] {
        let database = try TraceStore.open(path)
        return try database.read { db in
            var findings: [Finding] = []
            var previousHash = AuditChain.genesis
            var previousSequence = 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, time, actor, action, subject, reason, old, new, hash FROM audit ORDER BY rowid")
            let sequences = rows.map { $0["seq"] as Int }
            for (index, row) in rows.enumerated() {
                let sequence = sequences[index]
                let record = AuditChain.canonical(
                    sequence: sequence, time: row["time"], actor: row["actor"], action: row["action"],
                    subject: row["subject"], reason: row["reason"], old: row["old"], new: row["new"])
                let stored: String = row["hash"]
                if sequence == previousSequence {
                    findings.append(Finding(entry: sequence, problem: "appears twice: an entry was inserted"))
                } else if sequence < previousSequence {
                    findings.append(
                        Finding(
                            entry: sequence, problem: "comes after entry \(previousSequence): entries were reordered"))
                } else if sequence > previousSequence + 1 {
                    if sequences[(index + 1)...].contains(previousSequence + 1) {
                        findings.append(
                            Finding(
                                entry: sequence,
                                problem: "comes before entry \(previousSequence + 1): entries were reordered"))
                    } else {
                        let missing =
                            sequence == previousSequence + 2
                            ? "entry \(previousSequence + 1) is" : "entries \(previousSequence + 1)–\(sequence - 1) are"
                        findings.append(Finding(entry: sequence, problem: "\(missing) missing: deleted"))
                    }
                } else if AuditChain.hash(previous: previousHash, record: record) != stored {
                    findings.append(
                        Finding(
                            entry: sequence,
                            problem: "its hash does not match its contents and the entry before: edited or inserted"))
                }
                if !findings.isEmpty { return findings }
                previousHash = stored
                previousSequence = sequence
            }
            let head = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'audit_head'")
            if let head, head != previousHash {
                findings.append(
                    Finding(
                        entry: previousSequence,
                        problem:
                            "the trail ends at a different hash than the one recorded when the run finished: entries were removed or rewritten at the end"
                    ))
            }
            return findings
        }
    }
}
