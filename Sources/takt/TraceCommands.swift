import ArgumentParser
import Foundation
import TaktStore

/// Prints `message` to standard error and exits with the bad-input code.
func failBadInput(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(badInputExitCode)
}

/// `takt trace FILE.sqlite --serial SN | --lot L --material M --forward`: genealogy queries.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a unit's genealogy (backward) or where a lot went (forward) from a trace store.",
        discussion: "Exit code 0 on success, 2 for a missing or foreign store or an unknown unit or lot."
    )

    @Argument(help: "A trace store written by `takt run --trace`.")
    var store: String

    @Option(help: "The unit's serial number: its lots, operations, measurements and defects.")
    var serial: Int?

    @Option(help: "A lot number (with --material and --forward): the units that drew from it.")
    var lot: Int?

    @Option(help: "The lot's material.")
    var material: String?

    @Flag(help: "Trace the lot forward to the units that used it.")
    var forward = false

    @Option(help: "tree (default) or json.")
    var format = "tree"

    func validate() throws {
        guard format == "tree" || format == "json" else { throw ValidationError("--format must be tree or json") }
        guard (serial != nil) != (lot != nil) else { throw ValidationError("give either --serial or --lot") }
        if lot != nil, material == nil || !forward {
            throw ValidationError("a lot is traced with --lot N --material NAME --forward")
        }
    }

    func run() throws {
        let database: DatabaseHandle
        do {
            database = try DatabaseHandle(store)
        } catch {
            throw failBadInput("\(error)")
        }
        if !(try TraceQuery.isComplete(database.queue)) {
            FileHandle.standardError.write(
                Data(
                    "warning: \(store): the run that wrote it did not finish; the records stop where it stopped\n".utf8)
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let serial {
            guard let unit = try TraceQuery.unit(serial, in: database.queue) else {
                throw failBadInput("\(store): no unit with serial number \(serial)")
            }
            print(format == "json" ? String(decoding: try encoder.encode(unit), as: UTF8.self) : TraceQuery.tree(unit))
        } else if let lot, let material {
            let use = try TraceQuery.lot(lot, material: material, in: database.queue)
            guard !use.units.isEmpty else { throw failBadInput("\(store): no unit drew from \(material) lot \(lot)") }
            print(format == "json" ? String(decoding: try encoder.encode(use), as: UTF8.self) : TraceQuery.tree(use))
        }
    }
}

/// `takt audit verify FILE.sqlite`: checks the audit trail's hash chain.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the audit trail of a trace store.",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit trail's hash chain and say where it breaks.",
            discussion:
                "Exit code 0 when the trail is intact, 1 when an entry was edited, deleted, inserted or reordered (or a value is not of its column's type), 2 when the file is not a trace store, 3 when the run that wrote it did not finish and its trail is intact as far as it goes."
        )

        @Argument(help: "A trace store written by `takt run --trace`.")
        var store: String

        func run() throws {
            let report: AuditVerification.Report
            do {
                report = try AuditVerification.check(store)
            } catch {
                throw failBadInput("\(error)")
            }
            guard report.findings.isEmpty else {
                for finding in report.findings { print("\(store): \(finding)") }
                throw ExitCode(1)
            }
            guard report.complete else {
                print(
                    "\(store): incomplete: the run that wrote it did not finish; its \(report.entries) audit entries are intact as far as they go, but nothing seals the end"
                )
                throw ExitCode(3)
            }
            print("\(store): audit trail intact (\(report.entries) entries)")
        }
    }
}
