import ArgumentParser
import Foundation
import TaktScenario
import TaktStore

/// Prints `message` to standard error and exits with the bad-input code.
func failBadInput(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(badInputExitCode)
}

/// The seconds of a `--from`/`--to` simulated time (`26h`, `90m`); nil when not given.
func simulatedTime(_ text: String?, option: String) throws -> Double? {
    guard let text else { return nil }
    guard case .success(let value) = Quantity.parse(text, as: .duration) else {
        throw failBadInput("--\(option) \(text): expected a simulated time with a unit, e.g. 26h or 90m")
    }
    return value
}

/// `takt trace FILE.sqlite --serial SN | --lot L --material M --forward | --order ID |
/// --machine M --from T --to T`: genealogy queries.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract:
            "Print a unit's genealogy (backward), where a lot went (forward), a work order's units, or what a machine worked on, from a trace store.",
        discussion:
            "Exit code 0 on success, 2 for a missing or foreign store, an unknown unit, lot, order or machine, or a bad time."
    )

    @Argument(help: "A trace store written by `takt run --trace`.")
    var store: String

    @Option(help: "The unit's serial number: its lots, operations, measurements, defects and the MES's decisions.")
    var serial: Int?

    @Option(help: "A lot number (with --material and --forward): the units that drew from it.")
    var lot: Int?

    @Option(help: "The lot's material.")
    var material: String?

    @Flag(help: "Trace the lot forward to the units that used it.")
    var forward = false

    @Option(help: "A work order's id as the order book gives it: its units and the MES's decisions about it.")
    var order: String?

    @Option(help: "A machine (e.g. place-2), with --from and --to: the operations it ran in that window.")
    var machine: String?

    @Option(help: "The window's start in simulated time, e.g. 26h (with --machine; default 0).")
    var from: String?

    @Option(help: "The window's end in simulated time, e.g. 30h (with --machine; default: the end).")
    var to: String?

    @Option(help: "The replication to look in, when the store traces several (default: the first it traces).")
    var replication: Int?

    @Option(help: "tree (default) or json.")
    var format = "tree"

    func validate() throws {
        guard format == "tree" || format == "json" else { throw ValidationError("--format must be tree or json") }
        if let replication, replication < 0 { throw ValidationError("--replication is a number from 0") }
        let asked = [serial != nil, lot != nil, order != nil, machine != nil].filter { $0 }.count
        guard asked == 1 else { throw ValidationError("give one of --serial, --lot, --order or --machine") }
        if lot != nil, material == nil || !forward {
            throw ValidationError("a lot is traced with --lot N --material NAME --forward")
        }
        if machine == nil, from != nil || to != nil {
            throw ValidationError("--from and --to bound a machine's window; give --machine NAME with them")
        }
    }

    func run() throws {
        let database: DatabaseHandle
        do {
            database = try DatabaseHandle(store)
        } catch {
            throw failBadInput("\(error)")
        }
        do {
            try query(database)
        } catch let damage as TraceStoreDamage {
            throw failBadInput("\(store): \(damage)")
        }
    }

    /// Answers the question the options ask of the open store.
    func query(_ database: DatabaseHandle) throws {
        if !(try TraceQuery.isComplete(database.queue)) {
            FileHandle.standardError.write(
                Data(
                    "warning: \(store): the run that wrote it did not finish; the records stop where it stopped\n".utf8)
            )
        }
        let traced = try TraceQuery.replications(in: database.queue)
        let replication = self.replication ?? traced.first ?? 0
        guard traced.contains(replication) else {
            throw failBadInput(
                "\(store): replication \(replication) was not traced; the store holds \(traced.count == 1 ? "replication" : "replications") \(traced.map(String.init).joined(separator: ", ")) (give one with --replication)"
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        func show<Record: Encodable>(_ record: Record, _ tree: (Record) -> String) throws {
            print(format == "json" ? String(decoding: try encoder.encode(record), as: UTF8.self) : tree(record))
        }
        if let serial {
            guard let unit = try TraceQuery.unit(serial, replication: replication, in: database.queue) else {
                throw failBadInput("\(store): no unit with serial number \(serial) in replication \(replication)")
            }
            try show(unit, TraceQuery.tree)
        } else if let lot, let material {
            let use = try TraceQuery.lot(lot, material: material, replication: replication, in: database.queue)
            guard !use.units.isEmpty else { throw failBadInput("\(store): no unit drew from \(material) lot \(lot)") }
            try show(use, TraceQuery.tree)
        } else if let order {
            guard let record = try TraceQuery.order(order, replication: replication, in: database.queue) else {
                throw failBadInput(
                    "\(store): no unit or decision of work order `\(order)` (give the id as the order book writes it)")
            }
            try show(record, TraceQuery.tree)
        } else if let machine {
            let start = try simulatedTime(from, option: "from") ?? 0
            let end = try simulatedTime(to, option: "to") ?? .greatestFiniteMagnitude
            guard start <= end else { throw failBadInput("--from \(from ?? "0") is after --to \(to ?? "")") }
            guard
                let window = try TraceQuery.machine(
                    machine, from: start, to: end, replication: replication, in: database.queue)
            else {
                throw failBadInput(
                    "\(store): no operation ran on a machine called `\(machine)` (machines are named like place-1)")
            }
            try show(window, TraceQuery.tree)
        }
    }
}

/// `takt audit verify FILE.sqlite`: checks the audit trail's hash chain.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail of a trace store.",
        subcommands: [Verify.self, List.self, Export.self]
    )

    /// The filters `list` and `export` share.
    struct Selection: ParsableArguments {
        @Argument(help: "A trace store written by `takt run --trace`.")
        var store: String

        @Option(help: "Only entries of this replication (a store may trace several; default: all).")
        var replication: Int?

        @Option(help: "Only entries of this actor (a pattern: 'rule *', spc, recall, material, order-tracking).")
        var actor: String?

        @Option(help: "Only entries of this kind of action (a pattern: 'hold-*', spc-signal, order-state).")
        var kind: String?

        @Option(help: "Only entries about this unit (serial number).")
        var unit: Int?

        @Option(help: "Only entries about this order (its id in the order book).")
        var order: String?

        @Option(help: "From this simulated time on, e.g. 26h.")
        var from: String?

        @Option(help: "Up to this simulated time, e.g. 2d.")
        var to: String?

        func entries() throws -> [AuditTrail.Entry] {
            let filter = AuditTrail.Filter(
                replication: replication, actor: actor, kind: kind, unit: unit, order: order,
                from: try simulatedTime(from, option: "from"),
                to: try simulatedTime(to, option: "to"))
            do {
                return try AuditTrail.entries(in: store, matching: filter)
            } catch {
                throw failBadInput("\(error)")
            }
        }
    }

    /// `takt audit list FILE [filters]`: a readable table of the entries.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the audit trail's entries as a table, filtered by actor, kind, unit, order or time.",
            discussion: "Exit code 0 (also when nothing matches), 2 for a missing or foreign store or a bad time."
        )

        @OptionGroup var selection: Selection

        func run() throws {
            let entries = try selection.entries()
            // The replication column only when the entries come from more than one.
            let several = Set(entries.map(\.replication)).count > 1
            let header =
                (several ? ["rep"] : []) + ["seq", "time", "actor", "action", "subject", "old → new", "reason"]
            let rows = entries.map { entry in
                (several ? ["\(entry.replication)"] : []) + [
                    "\(entry.seq)", Format.number(entry.time / 3_600, decimals: 3) + " h", entry.actor, entry.action,
                    entry.subject,
                    entry.old.isEmpty && entry.new.isEmpty ? "" : "\(entry.old) → \(entry.new)", entry.reason,
                ]
            }
            var widths = header.map(\.count)
            for row in rows {
                for (index, cell) in row.enumerated().dropLast() { widths[index] = max(widths[index], cell.count) }
            }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { index, cell in
                    index == cells.count - 1
                        ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
                }.joined()
            }
            print(line(header))
            for row in rows { print(line(row)) }
            print("\(entries.count) entries")
        }
    }

    /// `takt audit export FILE --format csv|json [filters]`: the entries for an inspector.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the audit trail's entries (filtered as `list`) as CSV or JSON, hashes included.",
            discussion: "Exit code 0, 2 for a missing or foreign store, a bad time or a file that cannot be written."
        )

        @OptionGroup var selection: Selection

        @Option(help: "csv or json.")
        var format = "csv"

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func validate() throws {
            guard format == "csv" || format == "json" else { throw ValidationError("--format must be csv or json") }
        }

        func run() throws {
            let entries = try selection.entries()
            let text: String
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                text = String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n"
            } else {
                text = AuditTrail.csv(entries)
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw failBadInput("\(output): cannot be written (\(error.localizedDescription))")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Check that a trace store is the record its run wrote: every table's hash chain, the audit trail, the seal.",
            discussion:
                "Exit code 0 when the record is intact (and matches --expect-seal, --seal-file and --verify-key), 1 when anything was edited, deleted, inserted, reordered, cut off, dropped or re-sealed (or a value is not of its column's type), 2 when the file is not a trace store or a seal or key file cannot be used, 3 when the run that wrote it did not finish and its record is intact as far as it goes."
        )

        @Argument(help: "A trace store written by `takt run --trace`.")
        var store: String

        @Option(help: "The seal the store must have (64 hex digits), as `takt run --trace` printed it.")
        var expectSeal: String?

        @Option(help: "The seal file `takt run --trace` wrote beside the store (STORE.seal), kept apart from it.")
        var sealFile: String?

        @Option(help: "An Ed25519 public key (PEM): the store's seal must be signed with its private key.")
        var verifyKey: String?

        func validate() throws {
            if let expectSeal, expectSeal.count != 64 || !expectSeal.allSatisfy(\.isHexDigit) {
                throw ValidationError(
                    "--expect-seal \(expectSeal): expected the 64 hex digits `takt run --trace` printed")
            }
            if expectSeal != nil, sealFile != nil {
                throw ValidationError("give --expect-seal or --seal-file, not both")
            }
        }

        func run() throws {
            var expectation = AuditVerification.Expectation(seal: expectSeal?.lowercased())
            let report: AuditVerification.Report
            do {
                if let sealFile {
                    let held = try SealFile.read(sealFile)
                    expectation.seal = held.seal
                    expectation.signature = held.signature
                }
                if let verifyKey { expectation.key = try SealVerifier(pemFile: verifyKey) }
                report = try AuditVerification.check(store, expecting: expectation)
            } catch {
                throw failBadInput("\(error)")
            }
            guard report.findings.isEmpty else {
                for finding in report.findings { print("\(store): \(finding)") }
                throw ExitCode(1)
            }
            guard report.complete else {
                print(
                    "\(store): incomplete: the run that wrote it did not finish; its \(report.rows) rows (\(report.entries) audit entries) are intact as far as they go, but nothing seals the end"
                )
                throw ExitCode(3)
            }
            var checked: [String] = []
            if expectation.seal != nil { checked.append("matches the seal you hold") }
            if report.signatureChecked { checked.append("signed by the key given") }
            print(
                "\(store): intact: \(report.rows) rows, \(report.entries) of them audit entries, every table's chain whole; seal \(report.seal ?? "")"
                    + (checked.isEmpty ? "" : "; " + checked.joined(separator: ", ")))
        }
    }
}
