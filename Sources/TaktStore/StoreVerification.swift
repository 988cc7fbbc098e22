import Foundation
import GRDB
import GRDBSQLite

/// The checks of `takt audit verify` beyond the audit trail's own chain: the tables are the
/// ones a store has, with their columns; every row's hash follows from its values and the
/// row before; each table ends where the chain record says; the seal covers the chain
/// record and the run record; and the store is the one the verifier's seal and key name.
extension AuditVerification {
    /// Findings per table are cut off after this many (the first is what matters).
    static let findingsPerTable = 5

    /// Missing, changed or foreign tables; `unreadable` names the tables whose rows cannot be walked.
    static func layoutFindings(_ db: Database) throws -> (findings: [Finding], unreadable: Set<String>) {
        var findings: [Finding] = []
        var unreadable: Set<String> = []
        let present = Set(
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        var expected: [(String, [String])] = TraceStore.Table.allCases.map { ($0.name, $0.columns + ["hash"]) }
        expected += [("run", ["key", "value"]), ("chain", ["table_name", "rows", "head"])]
        for (table, columns) in expected {
            guard present.contains(table) else {
                findings.append(Finding(table: table, problem: "is gone: the table was dropped"))
                unreadable.insert(table)
                continue
            }
            let found = try Row.fetchAll(db, sql: "PRAGMA table_info(\"\(table)\")").map { $0["name"] as String }
            if found != columns {
                findings.append(
                    Finding(
                        table: table,
                        problem:
                            "has the columns \(found.joined(separator: ", ")); a trace store's has \(columns.joined(separator: ", ")): the table was altered"
                    ))
                unreadable.insert(table)
            }
        }
        for table in present.subtracting(expected.map(\.0)).sorted() {
            findings.append(Finding(table: table, problem: "is not part of a trace store: it was added after the run"))
        }
        return (findings, unreadable)
    }

    /// Walks `table` in the order it was written, checking each row's hash against its values
    /// and the stored hash of the row before: an edited row fails itself, a deleted one the
    /// row after it, an inserted or moved one itself and the row after. The audit trail's
    /// findings speak of entries and their sequence numbers (``chainFindings(_:)``).
    static func walkChain(_ db: Database, _ table: TraceStore.Table) throws -> (
        findings: [Finding], chain: StoreSeal.Chain
    ) {
        let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let statement = try db.makeStatement(sql: "SELECT rowid, \(columns), hash FROM \(table.name) ORDER BY rowid")
        var findings: [Finding] = []
        var broken = 0
        var rows = 0
        var entries: [Entry] = []
        var malformed: Finding?
        var previous = ChainHash.genesis(of: table.name)
        let encoding = RowEncoding()
        let definitions = table.definitions
        let count = Int32(definitions.count)
        let hashColumn = count + 1
        // Column 1 is the replication; the audit trail's sequence number is column 2.
        let sequenceColumn: Int32 = 2
        try withExtendedLifetime(statement) {
            let sql = statement.sqliteStatement
            defer { sqlite3_reset(sql) }
            while try step(sql, db) {
                rows += 1
                encoding.reset()
                for column in 1...count {
                    let stored = encode(sql, column, into: encoding)
                    let definition = definitions[Int(column) - 1]
                    guard malformed == nil, !definition.accepts(stored) else { continue }
                    let problem = mistyped(sql, column, of: table, as: definition)
                    // A value of the wrong type is named once per table; in the audit trail it
                    // also stops the sequence check, which cannot read past it.
                    malformed =
                        table == .audit
                        ? Finding(entry: rows, problem: problem)
                        : Finding(table: table.name, row: sqlite3_column_int64(sql, 0), problem: problem)
                    if table != .audit { findings.append(malformed!) }
                }
                let computed = encoding.hash(after: previous)
                let stored = storedHash(sql, hashColumn, hex: table.storesHashAsHex)
                if table == .audit {
                    entries.append(
                        Entry(sequence: Int(sqlite3_column_int64(sql, sequenceColumn)), matches: stored == computed))
                } else if stored != computed {
                    broken += 1
                    if broken <= findingsPerTable {
                        let rowid = sqlite3_column_int64(sql, 0)
                        let serial =
                            sqlite3_column_type(sql, 2) == SQLITE_INTEGER && table.columns[1] == "serial"
                            ? " (serial \(sqlite3_column_int64(sql, 2)))" : ""
                        let problem =
                            stored == nil
                            ? "its hash is not a 32-byte BLOB: the row was changed outside Takt"
                            : "its hash does not match its values and the row before it: this row was edited, or a row just before it was deleted, inserted or moved"
                        findings.append(Finding(table: table.name, row: rowid, problem: problem + serial))
                    }
                }
                previous = stored ?? computed
            }
        }
        if table == .audit { findings += malformed.map { [$0] } ?? chainFindings(entries) }
        if broken > findingsPerTable {
            findings.append(
                Finding(table: table.name, problem: "\(broken - findingsPerTable) more rows do not match their hashes"))
        }
        return (findings, StoreSeal.Chain(table: table.name, rows: rows, head: previous.hex))
    }

    /// The hash stored in `column` of the current row: a 32-byte BLOB, or (`hex`) 64
    /// lower-case hex digits; nil when it is neither.
    static func storedHash(_ statement: OpaquePointer, _ column: Int32, hex: Bool) -> ChainHash? {
        let bytes = UnsafeRawBufferPointer(
            start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
        switch (sqlite3_column_type(statement, column), hex) {
        case (SQLITE_BLOB, false): return ChainHash(bytes: bytes)
        case (SQLITE_TEXT, true): return ChainHash(hexBytes: bytes)
        default: return nil
        }
    }

    /// What is wrong with a value of the wrong type: `row 7 of table audit: `seq` holds TEXT
    /// "abc", expected an integer`.
    static func mistyped(_ statement: OpaquePointer, _ index: Int32, of table: TraceStore.Table, as column: Column)
        -> String
    {
        let found = DatabaseValue(sqliteStatement: statement, index: index)
        let kinds = [SQLITE_INTEGER: "an INTEGER", SQLITE_FLOAT: "a REAL", SQLITE_TEXT: "TEXT", SQLITE_BLOB: "a BLOB"]
        let kind = kinds[sqlite3_column_type(statement, index)] ?? "NULL"
        return
            "row \(sqlite3_column_int64(statement, 0)) of table \(table.name): `\(column.name)` holds \(kind) \(found.description.prefix(40)), expected \(column.expected): the store was changed outside Takt"
    }

    /// Moves `statement` to its next row: true when there is one, false at the end.
    static func step(_ statement: OpaquePointer, _ db: Database) throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }

    /// Appends the value of `column` of the current row, by the type SQLite holds, to
    /// `encoding`; returns that type.
    @discardableResult
    static func encode(_ statement: OpaquePointer, _ column: Int32, into encoding: RowEncoding) -> Int32 {
        let type = sqlite3_column_type(statement, column)
        switch type {
        case SQLITE_INTEGER: encoding.integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: encoding.real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let start = sqlite3_column_text(statement, column)
            encoding.text(UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column))))
        case SQLITE_BLOB:
            let start = sqlite3_column_blob(statement, column)
            encoding.blob(UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column))))
        default: encoding.null()
        }
        return type
    }

    /// The chain record a finished run made (each table's rows and last hash) against the
    /// tables, and the seal against the chain record and the run record.
    static func sealFindings(_ db: Database, chains: [StoreSeal.Chain], recorded: String?) throws -> [Finding] {
        var findings: [Finding] = []
        let records = try Row.fetchAll(
            db, sql: "SELECT CAST(table_name AS TEXT) AS t, rows, CAST(head AS TEXT) AS h FROM chain ORDER BY rowid")
        var recordedChains: [StoreSeal.Chain] = []
        for table in TraceStore.Table.allCases {
            let matching = records.filter { ($0["t"] as String?) == table.name }
            guard matching.count == 1, let rows = Int.fromDatabaseValue(matching[0]["rows"]),
                let head = String.fromDatabaseValue(matching[0]["h"])
            else {
                findings.append(
                    Finding(
                        table: "chain",
                        problem:
                            "holds \(matching.count) readable records of table \(table.name) (one is written when the run finishes): the chain record was tampered with"
                    ))
                continue
            }
            recordedChains.append(StoreSeal.Chain(table: table.name, rows: rows, head: head))
            guard let actual = chains.first(where: { $0.table == table.name }) else { continue }
            if actual.rows != rows {
                findings.append(
                    table == .audit
                        ? Finding(
                            entry: actual.rows,
                            problem: "the run recorded \(rows) entries when it finished; the trail holds \(actual.rows)"
                        )
                        : Finding(
                            table: table.name,
                            problem:
                                "holds \(actual.rows) rows; the run recorded \(rows) when it finished: rows were removed or added at the end"
                        ))
            } else if actual.head != head, !actual.head.isEmpty {
                findings.append(
                    table == .audit
                        ? Finding(
                            entry: actual.rows,
                            problem:
                                "the trail ends at a different hash than the one recorded when the run finished: entries were removed or rewritten at the end"
                        )
                        : Finding(
                            table: table.name,
                            problem:
                                "ends at a different hash than the one recorded when the run finished: its rows were rewritten and re-chained"
                        ))
            }
        }
        if records.count != TraceStore.Table.allCases.count, findings.isEmpty {
            findings.append(
                Finding(
                    table: "chain", problem: "holds \(records.count) records, not one per table: it was tampered with"))
        }
        guard let recorded else {
            findings.append(
                Finding(
                    table: "run",
                    problem: "the run finished but its seal (run.seal) is gone: the record was tampered with"))
            return findings
        }
        guard findings.isEmpty else { return findings }
        let run = try Row.fetchAll(db, sql: "SELECT CAST(key AS BLOB) AS k, CAST(value AS BLOB) AS v FROM run").map {
            row -> ([UInt8], [UInt8]) in
            ([UInt8](Data.fromDatabaseValue(row["k"]) ?? Data()), [UInt8](Data.fromDatabaseValue(row["v"]) ?? Data()))
        }
        let computed = StoreSeal.compute(chains: recordedChains, run: run).hex
        if computed != recorded {
            findings.append(
                Finding(
                    table: "run",
                    problem:
                        "the seal recomputed from the chain record and the run record is \(computed), not the recorded run.seal \(recorded): the run record or the chain record was changed"
                ))
        }
        return findings
    }

    /// The store's own signature of its seal, if it was signed.
    static func storedSignature(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM run WHERE key = 'seal_signature'")
    }

    /// The seal and signatures the verifier holds, against the store's.
    static func expectationFindings(_ expected: Expectation, report: Report, signature: String?) -> [Finding] {
        var findings: [Finding] = []
        if let seal = expected.seal {
            if let recorded = report.seal {
                if recorded != seal.lowercased() {
                    findings.append(
                        Finding(
                            table: "",
                            problem:
                                "the store's seal is \(recorded), not the \(seal) you hold: this is not the store that run wrote (it was changed and re-sealed, or it is another run's)"
                        ))
                }
            } else {
                findings.append(
                    Finding(
                        table: "",
                        problem:
                            "the store has no seal, but you hold one (\(seal)): the store was cut short or its seal removed"
                    ))
            }
        }
        guard let key = expected.key else { return findings }
        guard let seal = report.seal else {
            findings.append(Finding(table: "", problem: "the store has no seal to check the signature of"))
            return findings
        }
        guard let signature else {
            findings.append(
                Finding(
                    table: "run",
                    problem:
                        "--verify-key was given but the store holds no signature (run.seal_signature): it was not signed, or the signature was removed"
                ))
            return findings
        }
        if !key.accepts(signature: signature, of: seal) {
            findings.append(
                Finding(
                    table: "run",
                    problem:
                        "the seal's signature does not verify with the key \(key.publicKey): the store was re-sealed, or signed with another key"
                ))
        }
        if let held = expected.signature, !key.accepts(signature: held, of: expected.seal ?? seal) {
            findings.append(
                Finding(
                    table: "", problem: "the signature in the seal file does not verify with the key \(key.publicKey)"))
        }
        return findings
    }
}
