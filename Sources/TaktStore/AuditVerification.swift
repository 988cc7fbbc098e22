import Foundation
import GRDB
import GRDBSQLite

/// `takt audit verify`: walks the audit trail in the order it was written and checks the
/// sequence numbers, the hash chain, the head and the entry count the run recorded when it
/// finished. It reads every value defensively: a value of the wrong type is a finding that
/// names its row and column, never a crash.
public enum AuditVerification {
    /// What a check found, and where.
    public struct Finding: Equatable, CustomStringConvertible, Sendable {
        /// The table: `audit`, another record table, `chain`, `run`, or empty for the store
        /// as a whole (its seal, its signature).
        public var table: String
        /// In the audit trail, the first entry (sequence number) where it goes wrong.
        public var entry: Int
        /// In another table, the row (its rowid) where it goes wrong; nil for the whole table.
        public var row: Int64?
        public var problem: String

        /// A finding in the audit trail, at `entry`.
        init(entry: Int, problem: String) {
            table = "audit"
            self.entry = entry
            self.problem = problem
        }

        /// A finding in `table` (at `row`), or about the store as a whole (`table` empty).
        init(table: String, row: Int64? = nil, problem: String) {
            self.table = table
            entry = 0
            self.row = row
            self.problem = problem
        }

        public var description: String {
            if table == "audit" && row == nil && entry > 0 { return "audit entry \(entry): \(problem)" }
            if let row { return "table \(table), row \(row): \(problem)" }
            return table.isEmpty ? problem : "table \(table): \(problem)"
        }
    }

    /// The verdict on a store: its findings (none: intact as far as it goes), whether the run
    /// that wrote it finished, how many audit entries and rows in all it holds, and its seal.
    public struct Report: Equatable, Sendable {
        public var findings: [Finding]
        public var complete: Bool
        public var entries: Int
        /// Rows checked, in every table.
        public var rows: Int = 0
        /// The seal the run recorded (nil: none, as in an unfinished run).
        public var seal: String?
        /// Whether a signature was checked and held (nil: none was asked for).
        public var signatureChecked = false
    }

    /// What the person verifying holds apart from the store.
    public struct Expectation: Sendable {
        /// The seal the store must have (`--expect-seal`, or the `seal:` of `--seal-file`).
        public var seal: String?
        /// A signature of that seal from the seal file, checked with `key` besides the store's own.
        public var signature: String?
        /// The public key the seal's signature must verify with (`--verify-key`).
        public var key: SealVerifier?

        public init(seal: String? = nil, signature: String? = nil, key: SealVerifier? = nil) {
            self.seal = seal
            self.signature = signature
            self.key = key
        }
    }

    /// The problems in the store at `path`, first first; empty when the record is intact.
    public static func verify(_ path: String) throws -> [Finding] { try check(path).findings }

    /// The whole verdict on the store at `path`: every table's hash chain, the audit trail's
    /// sequence, the chain record and the seal of a finished run, and what `expected` holds.
    ///
    /// - Throws: ``TraceStore/StoreError`` when the file is not a trace store of this schema.
    public static func check(_ path: String, expecting expected: Expectation = Expectation()) throws -> Report {
        let database = try TraceStore.open(path)
        return try database.read { db in
            let markedComplete = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'complete'") == "1"
            let recordedSeal = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'seal'")
            var report = Report(findings: [], complete: markedComplete, entries: 0, seal: recordedSeal)
            let layout = try layoutFindings(db)
            report.findings += layout.findings
            var chains: [StoreSeal.Chain] = []
            for table in TraceStore.Table.allCases where !layout.unreadable.contains(table.name) {
                let walk = try walkChain(db, table)
                report.findings += walk.findings
                report.rows += walk.chain.rows
                if table == .audit { report.entries = walk.chain.rows }
                chains.append(walk.chain)
            }
            let chainRecords =
                layout.unreadable.contains("chain") ? 0 : try Int.fetchOne(db, sql: "SELECT count(*) FROM chain") ?? 0
            let sealed = recordedSeal != nil || chainRecords > 0
            if !markedComplete && sealed {
                report.findings.append(
                    Finding(
                        table: "run",
                        problem:
                            "the store says its run did not finish (complete = 0), yet it holds the seal of a finished run: the run record was changed"
                    ))
            }
            if markedComplete || sealed, layout.findings.isEmpty {
                report.findings += try sealFindings(db, chains: chains, recorded: recordedSeal)
            }
            report.findings += expectationFindings(expected, report: report, signature: try storedSignature(db))
            report.signatureChecked = expected.key != nil
            return report
        }
    }

    /// One row of the audit table as the chain walk saw it.
    struct Entry {
        var sequence: Int
        /// Whether the stored hash is the hash of the entry after the row before it.
        var matches: Bool
    }

    /// Sequence numbers and the hash chain, entry by entry; stops at the first break.
    static func chainFindings(_ entries: [Entry]) -> [Finding] {
        var previousSequence = 0
        for (index, entry) in entries.enumerated() {
            let sequence = entry.sequence
            var problem: String?
            if sequence == previousSequence {
                problem = "appears twice: an entry was inserted"
            } else if sequence < previousSequence {
                problem = "comes after entry \(previousSequence): entries were reordered"
            } else if sequence > previousSequence + 1 {
                if entries[(index + 1)...].contains(where: { $0.sequence == previousSequence + 1 }) {
                    problem = "comes before entry \(previousSequence + 1): entries were reordered"
                } else {
                    let missing =
                        sequence == previousSequence + 2
                        ? "entry \(previousSequence + 1) is" : "entries \(previousSequence + 1)–\(sequence - 1) are"
                    problem = "\(missing) missing: deleted"
                }
            } else if !entry.matches {
                problem = "its hash does not match its contents and the entry before: edited or inserted"
            }
            if let problem { return [Finding(entry: sequence, problem: problem)] }
            previousSequence = sequence
        }
        return []
    }
}
