import Foundation
import GRDB

/// `takt audit verify`: walks the audit trail in the order it was written and checks the
/// sequence numbers, the hash chain, the head and the entry count the run recorded when it
/// finished. It reads every value defensively: a value of the wrong type is a finding that
/// names its row and column, never a crash.
public enum AuditVerification {
    /// What a check found.
    public struct Finding: Equatable, CustomStringConvertible, Sendable {
        /// The first entry (sequence number) where the trail goes wrong, and how.
        public var entry: Int
        public var problem: String

        public var description: String { "audit entry \(entry): \(problem)" }
    }

    /// The verdict on a store: its findings (none: intact as far as it goes), whether the run
    /// that wrote it finished, and how many entries it holds.
    public struct Report: Equatable, Sendable {
        public var findings: [Finding]
        public var complete: Bool
        public var entries: Int
    }

    /// The problems in the store at `path`, first first; empty when the trail is intact.
    public static func verify(_ path: String) throws -> [Finding] { try check(path).findings }

    /// The whole verdict on the store at `path`.
    ///
    /// - Throws: ``TraceStore/StoreError`` when the file is not a trace store of this schema.
    public static func check(_ path: String) throws -> Report {
        let database = try TraceStore.open(path)
        return try database.read { db in
            let complete = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'complete'") == "1"
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rowid, seq, time, \(Entry.textColumns.map { "typeof(\($0)) AS \($0)_type, CAST(\($0) AS BLOB) AS \($0)" }.joined(separator: ", ")) FROM audit ORDER BY rowid
                    """)
            var entries: [Entry] = []
            entries.reserveCapacity(rows.count)
            for (index, row) in rows.enumerated() {
                switch Entry.read(row) {
                case .success(let entry): entries.append(entry)
                case .failure(let problem):
                    return Report(
                        findings: [Finding(entry: index + 1, problem: problem.description)], complete: complete,
                        entries: rows.count)
                }
            }
            var findings = chainFindings(entries)
            if findings.isEmpty, complete {
                findings = try sealFindings(db, entries)
            }
            return Report(findings: findings, complete: complete, entries: entries.count)
        }
    }

    /// One row of the audit table, read with its types checked.
    struct Entry {
        var sequence: Int
        var record: String
        var hash: String

        /// A value that is not what the schema says.
        struct Malformed: Error, CustomStringConvertible {
            var rowid: Int64
            var column: String
            var found: DatabaseValue
            var expected: String
            /// SQLite's name of the stored type, where the value was read as bytes.
            var storedType: String?

            var kind: String {
                if let storedType, storedType != "blob" || found.isNull {
                    return ["integer": "an INTEGER", "real": "a REAL", "null": "NULL"][storedType]
                        ?? storedType.uppercased()
                }
                return switch found.storage {
                case .null: "NULL"
                case .int64: "an INTEGER"
                case .double: "a REAL"
                case .string: "TEXT"
                case .blob: "a BLOB"
                }
            }

            var description: String {
                "row \(rowid) of table audit: `\(column)` holds \(kind) \(found.description.prefix(40)), expected \(expected): the store was changed outside Takt"
            }
        }

        /// Columns holding text, read as their bytes (so a NUL inside stays) with their type.
        static let textColumns = ["actor", "action", "subject", "reason", "old", "new", "hash"]

        init(sequence: Int, record: String, hash: String) {
            self.sequence = sequence
            self.record = record
            self.hash = hash
        }

        static func read(_ row: Row) -> Result<Entry, Malformed> {
            let rowid: Int64 = Int64.fromDatabaseValue(row["rowid"] as DatabaseValue) ?? -1
            func value<T: DatabaseValueConvertible>(_ column: String, _ expected: String) -> Result<T, Malformed> {
                let stored: DatabaseValue = row[column]
                guard let value = T.fromDatabaseValue(stored) else {
                    return .failure(
                        Malformed(rowid: rowid, column: column, found: stored, expected: expected, storedType: nil))
                }
                return .success(value)
            }
            do throws(Malformed) {
                let sequence: Int = try value("seq", "an integer").get()
                let time: Double = try value("time", "a number").get()
                var texts: [String] = []
                for column in textColumns {
                    let type: String = try value("\(column)_type", "a type").get()
                    guard type == "text", let bytes = Data.fromDatabaseValue(row[column] as DatabaseValue) else {
                        let shown: DatabaseValue = type == "null" ? .null : row[column]
                        throw Malformed(rowid: rowid, column: column, found: shown, expected: "text", storedType: type)
                    }
                    texts.append(String(decoding: bytes, as: UTF8.self))
                }
                let hash = texts.removeLast()
                return .success(
                    Entry(
                        sequence: sequence,
                        record: AuditChain.canonical(
                            sequence: sequence, time: time, actor: texts[0], action: texts[1], subject: texts[2],
                            reason: texts[3], old: texts[4], new: texts[5]), hash: hash))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Sequence numbers and the hash chain, entry by entry; stops at the first break.
    static func chainFindings(_ entries: [Entry]) -> [Finding] {
        var previousHash = AuditChain.genesis
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
            } else if AuditChain.hash(previous: previousHash, record: entry.record) != entry.hash {
                problem = "its hash does not match its contents and the entry before: edited or inserted"
            }
            if let problem { return [Finding(entry: sequence, problem: problem)] }
            previousHash = entry.hash
            previousSequence = sequence
        }
        return []
    }

    /// What a finished run recorded about its trail: the last hash and the number of entries.
    static func sealFindings(_ db: Database, _ entries: [Entry]) throws -> [Finding] {
        let last = entries.last?.sequence ?? 0
        let head = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'audit_head'")
        guard let head else {
            return [
                Finding(
                    entry: last,
                    problem:
                        "the run finished but its record of the trail's last hash (run.audit_head) is gone: the record was tampered with"
                )
            ]
        }
        if head != (entries.last?.hash ?? AuditChain.genesis) {
            return [
                Finding(
                    entry: last,
                    problem:
                        "the trail ends at a different hash than the one recorded when the run finished: entries were removed or rewritten at the end"
                )
            ]
        }
        let recorded = try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'audit_entries'")
        if recorded != "\(entries.count)" {
            return [
                Finding(
                    entry: last,
                    problem:
                        "the run recorded \(recorded ?? "no") entries when it finished; the trail holds \(entries.count)"
                )
            ]
        }
        return []
    }
}
