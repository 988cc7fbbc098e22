import ArgumentParser
import Foundation
import TaktExperiment
import TaktScenario
import TaktStore

/// `--store` (or `TAKT_STORE`): where a team keeps its runs.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The results store: an SQLite file, or postgres://USER@HOST:PORT/DB (default: $TAKT_STORE); run, sweep and merge keep their results there, history reads them.",
            valueName: "path-or-url"))
    var store: String?

    /// The store asked for, if any.
    var location: String? {
        store ?? ProcessInfo.processInfo.environment["TAKT_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the store before anything runs, so a store that is down or foreign stops the run
    /// at once (exit 2) instead of after it.
    func open() async throws -> (any ResultsStore)? {
        guard let location else { return nil }
        do {
            return try await ResultsStores.open(location)
        } catch {
            throw failBadInput("\(error); nothing was run or stored")
        }
    }
}

/// Writes runs to an open store (and closes it), or says why it could not.
enum StoreWriter {
    static func write(
        _ runs: [ExperimentResults], to store: (any ResultsStore)?, overrides: [[String]], command: String,
        started: Date
    ) async throws {
        guard let store else { return }
        let finished = Date()
        var ids: [Int64] = []
        do {
            for (results, overrides) in zip(runs, overrides) {
                ids.append(
                    try await store.write(
                        StoredRun(
                            results, overrides: overrides, command: command, taktVersion: Takt.configuration.version,
                            started: started, finished: finished)))
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw failBadInput("\(error)")
        }
        let numbers = ids.map { "\($0)" }.joined(separator: ", ")
        print("stored as run\(ids.count == 1 ? "" : "s") \(numbers) in the results store")
    }
}

/// `takt history SCENARIO --kpi throughput`: a KPI across the runs a store holds.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List KPIs across the stored runs of a scenario, with their 95% intervals, oldest first.",
        discussion: """
            Shows each run's id, when it finished, who ran it, the git revision of the scenario \
            file, its replications and overrides, and each KPI asked for. Exit code 2 for a store \
            that cannot be reached or read, or a scenario with no stored run.
            """)

    @Argument(help: "The scenario's name, or its file.")
    var scenario: String

    @Option(help: ArgumentHelp("KPIs to show (repeatable; default: throughput).", valueName: "kpi"))
    var kpi: [String] = []

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The last N runs.")
    var limit = 20

    @Option(help: "table (default), csv or json.")
    var format = "table"

    func validate() throws {
        guard ["table", "csv", "json"].contains(format) else { throw ValidationError("--format is table, csv or json") }
        guard limit >= 1 else { throw ValidationError("--limit is 1 or more") }
    }

    func run() async throws {
        guard let store = try await storeOptions.open() else {
            throw failBadInput("give the store with --store PATH-OR-URL or TAKT_STORE")
        }
        var name = scenario
        if FileManager.default.fileExists(atPath: scenario), let loaded = try? ScenarioReader.load(path: scenario) {
            name = loaded.name
        }
        let shown = kpi.isEmpty ? ["throughput"] : kpi
        let runs: [StoredRun]
        do {
            runs = try await store.runs(of: name, kpis: shown, limit: limit)
            try await store.close()
        } catch {
            try? await store.close()
            throw failBadInput("\(error)")
        }
        guard !runs.isEmpty else {
            throw failBadInput("no stored run of scenario `\(name)` in \(storeOptions.location ?? "")")
        }
        func cell(_ run: StoredRun, _ name: String) -> KPIResult? { run.kpis.first { $0.name == name } }
        switch format {
        case "json":
            let rows: [[String: Any]] = runs.map { run in
                var row: [String: Any] = [
                    "run": run.id ?? 0, "finished_utc": run.finished, "user": run.user, "host": run.host,
                    "git_revision": run.gitRevision ?? NSNull(), "replications": run.replications,
                    "overrides": run.overrides, "seed": "\(run.seed)", "takt_version": run.taktVersion,
                ]
                for name in shown {
                    if let k = cell(run, name) {
                        row[name] = [
                            "mean": k.mean.isFinite ? k.mean as Any : NSNull(),
                            "half_width": k.halfWidth.isFinite ? k.halfWidth as Any : NSNull(), "unit": k.unit,
                        ]
                    }
                }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        case "csv":
            print(
                (["run", "finished_utc", "user", "git_revision", "replications", "overrides"]
                    + shown.flatMap { [$0, "\($0)_ci"] }).joined(separator: ","))
            for run in runs {
                var fields = [
                    "\(run.id ?? 0)", run.finished, run.user, run.gitRevision ?? "", "\(run.replications)",
                    CSVCell.escaped(run.overrides.joined(separator: " ")),
                ]
                for name in shown {
                    let k = cell(run, name)
                    fields += [
                        k.map { Format.number($0.mean, decimals: 6) } ?? "",
                        k.map { Format.number($0.halfWidth, decimals: 6) } ?? "",
                    ]
                }
                print(fields.joined(separator: ","))
            }
        default:
            print("\(name): \(runs.count) stored run\(runs.count == 1 ? "" : "s"), oldest first")
            print(
                ResultsTable.pad("run", 6) + ResultsTable.pad("finished (UTC)", 26) + ResultsTable.pad("user", 10)
                    + ResultsTable.pad("revision", 12) + ResultsTable.pad("reps", 6)
                    + shown.map { ResultsTable.pad($0, 26) }.joined() + "overrides")
            for run in runs {
                let revision = run.gitRevision.map { String($0.prefix(10)) } ?? "–"
                print(
                    ResultsTable.pad("\(run.id ?? 0)", 6) + ResultsTable.pad(run.finished, 26)
                        + ResultsTable.pad(run.user, 10) + ResultsTable.pad(revision, 12)
                        + ResultsTable.pad("\(run.replications)", 6)
                        + shown.map { ResultsTable.pad(cell(run, $0).map(ResultsTable.interval) ?? "–", 26) }.joined()
                        + (run.overrides.isEmpty ? "–" : run.overrides.joined(separator: " ")))
            }
        }
    }
}
