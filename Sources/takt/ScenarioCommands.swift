import ArgumentParser
import Foundation
import TaktExperiment
import TaktKernel
import TaktLive
import TaktReport
import TaktScenario
import TaktStore

/// Exit code for bad input (a scenario or an override that does not fit).
let badInputExitCode: Int32 = 2

/// Prints scenario problems to standard error and exits with the bad-input code.
func reject(_ errors: ScenarioErrors) -> ExitCode {
    for issue in errors.issues { FileHandle.standardError.write(Data("error: \(issue)\n".utf8)) }
    return ExitCode(badInputExitCode)
}

/// Prints why a run was given up (no progress, WIP without bound) and exits with the
/// bad-input code: the scenario cannot be simulated as written.
func reject(_ aborted: RunAborted, file: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(file): \(aborted)\n".utf8))
    return ExitCode(badInputExitCode)
}

/// Reads a scenario, turning its problems into the bad-input exit.
func loadScenario(_ file: String, overrides: [String], incidents: [ScriptedIncident] = []) throws -> Scenario {
    do {
        let scenario = try ScenarioReader.load(path: file, overrides: overrides, incidents: incidents)
        warn(scenario.warnings)
        return scenario
    } catch {
        throw reject(error)
    }
}

/// Prints what the reader allowed but flags, one `warning: file:line: …` line each.
func warn(_ warnings: [ScenarioIssue]) {
    for issue in warnings { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
}

/// `takt validate FILE…`: checks scenario files without running them.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and report every problem with its line and key path.",
        discussion: "Exit code 0 when every file is valid, 2 when any is not."
    )

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let scenario = try ScenarioReader.load(path: file)
                warn(scenario.warnings)
                print(
                    "\(file): ok — \(scenario.layout.stations.count) stations, \(scenario.layout.products.count) products"
                )
            } catch {
                for issue in error.issues { FileHandle.standardError.write(Data("error: \(issue)\n".utf8)) }
                failed = true
            }
        }
        if failed { throw ExitCode(badInputExitCode) }
    }
}

/// Options that every command running a scenario shares.
struct RunOptions: ParsableArguments {
    @Option(help: "Replications (overrides the file).")
    var replications: Int?

    @Option(help: "Scenario seed (overrides the file).")
    var seed: UInt64?

    @Option(help: "Simulated time per replication, warm-up included, e.g. 14d (overrides the file).")
    var horizon: String?

    @Option(help: "Warm-up discarded at the start, e.g. 1d (overrides the file).")
    var warmup: String?

    @Option(
        name: .customLong("set"), help: "Override any value: path=value, e.g. stations[place].machines=3 (repeatable).")
    var overrides: [String] = []

    @Option(
        parsing: .unconditional,
        help: "Replications run at once, 1 to 1024 (default: all cores). Results do not depend on it.")
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Record the WIP at every station at this time, e.g. 1000 (seconds) or 8h (repeatable).",
            valueName: "time"))
    var snapshotAt: [String] = []

    func validate() throws {
        try OutputPath.checkThreads(threads)
        guard heartbeat >= 0, heartbeat.isFinite else {
            throw ValidationError("--heartbeat must be 0 (no progress lines) or a number of seconds, e.g. 5")
        }
    }

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Seconds between progress lines on standard error when it is not a terminal (CI logs); 0 for none.",
            valueName: "seconds"))
    var heartbeat: Double = 5

    /// The commands of the `--incidents` session log, each with its line.
    func sessionIncidents() throws -> [ScriptedIncident] {
        guard let incidents else { return [] }
        guard let text = try? String(contentsOfFile: incidents, encoding: .utf8) else {
            throw failBadInput("--incidents \(incidents): cannot be read")
        }
        let log: SessionLog
        do {
            log = try SessionLog.read(text, path: incidents)
        } catch {
            throw failBadInput(error.description)
        }
        // The log's lines that hold something: the header, then one per entry.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.offset + 1 }
        return log.entries.enumerated().compactMap { index, entry in
            entry.action.map {
                ScriptedIncident(
                    time: entry.time, text: $0, actor: entry.actor, reason: entry.reason, source: incidents,
                    line: index + 1 < lines.count ? lines[index + 1] : nil)
            }
        }
    }

    /// `--set` overrides, with the named options first.
    var allOverrides: [String] {
        var all: [String] = []
        if let replications { all.append("replications=\(replications)") }
        if let seed { all.append("seed=\(seed)") }
        if let horizon { all.append("horizon=\(horizon)") }
        if let warmup { all.append("warmup=\(warmup)") }
        return all + overrides
    }

    @Option(
        help: ArgumentHelp(
            "A session log of `takt serve`: its commands happen as scripted incidents at their simulated times.",
            valueName: "session.log"))
    var incidents: String?

    func load(_ file: String) throws -> Scenario {
        var scenario = try loadScenario(file, overrides: allOverrides, incidents: try sessionIncidents())
        for text in snapshotAt {
            let seconds: Double? =
                if let plain = Double(text) {
                    plain
                } else if case .success(let value) = Quantity.parse(text, as: .duration) {
                    value
                } else {
                    nil
                }
            guard let seconds, seconds >= 0, seconds <= scenario.horizon else {
                FileHandle.standardError.write(
                    Data(
                        "error: --snapshot-at \(text): expected a time from 0 to the horizon (\(Format.duration(scenario.horizon))), in seconds or with a unit, e.g. 1000 or 8h\n"
                            .utf8))
                throw ExitCode(badInputExitCode)
            }
            if !scenario.snapshots.contains(seconds) { scenario.snapshots.append(seconds) }
        }
        scenario.snapshots.sort()
        return scenario
    }

    /// Runs the replications, with a progress line on standard error when it is a terminal.
    func execute(
        _ scenario: Scenario, label: String = "", trace: TraceSettings? = nil,
        sideJob: (@Sendable () throws -> Void)? = nil
    ) async throws
        -> ExperimentResults
    {
        let showProgress = !quiet && isatty(2) == 1
        let total = scenario.replications
        var progress: (@Sendable (Int) -> Void)?
        if showProgress {
            progress = { done in
                FileHandle.standardError.write(Data("\r\(label)replication \(done)/\(total)".utf8))
            }
        }
        let beat =
            !quiet && isatty(2) != 1 && heartbeat > 0
            ? Heartbeat(label: label, total: total, interval: heartbeat) : nil
        defer { beat?.stop() }
        if let beat { progress = { beat.update($0) } }
        let results: ExperimentResults
        do {
            results = try await Experiment.run(
                scenario, parallelism: threads ?? ProcessInfo.processInfo.activeProcessorCount, trace: trace,
                sideJob: sideJob, progress: progress)
        } catch let aborted as RunAborted {
            throw reject(aborted, file: scenario.file)
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return results
    }
}

/// `takt run FILE`: simulates a scenario and prints its KPIs with confidence intervals.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario: KPIs with 95% confidence intervals over replications.",
        discussion: "Exit code 0 on success, 2 for bad input (nothing is written then)."
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @OptionGroup var options: RunOptions

    @Option(help: "Write results.json, stations.csv, buffers.csv (and orders.csv with an MES) into this directory.")
    var out: String?

    @OptionGroup var sharding: ShardOptions

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Write a self-contained HTML report to this file.")
    var report: String?

    @Option(help: "Where the report's state timeline starts, e.g. 54h (default: the end of the warm-up).")
    var timelineStart: String?

    @Option(help: "How long the report's state timeline is, e.g. 8h (default: 1d).")
    var timelineLength: String?

    @Option(
        help:
            "Stream replication 0's records (genealogy, audit trail) into this SQLite trace store (a new file, or an existing store with --replace)."
    )
    var trace: String?

    @Option(
        help: ArgumentHelp(
            "Which replications --trace records, one after another into the one store: `all`, or numbers like 0,3,7 (default 0).",
            valueName: "all|N,M"))
    var traceReplications: String?

    @Flag(help: "Let --trace overwrite an existing trace store (never any other file).")
    var replace = false

    @Option(
        help:
            "Sign the trace store's seal with this Ed25519 private key (PEM, from `openssl genpkey -algorithm ed25519`)."
    )
    var signKey: String?

    @Option(
        name: .customLong("operator"),
        help:
            "The person accountable for the traced run, e.g. \"Ada Lovelace <ada@example.com>\" (overrides run.operator)."
    )
    var accountable: String?

    @Option(
        help: ArgumentHelp(
            "Print only the KPIs whose names match, e.g. 'queue_wait[*]' or 'otif' (* and ? are wildcards; repeatable).",
            valueName: "pattern"))
    var kpi: [String] = []

    func validate() throws {
        try OutputPath.checkDirectory(out, option: "--out")
        try OutputPath.checkFile(report, option: "--report")
        try OutputPath.checkFile(trace, option: "--trace")
        if let trace {
            do {
                try TraceTarget.check(trace, replace: replace)
            } catch {
                throw ValidationError("--trace: \(error)")
            }
        } else if replace {
            throw ValidationError("--replace says --trace may overwrite its store; give --trace FILE with it")
        } else if signKey != nil || accountable != nil || traceReplications != nil {
            throw ValidationError(
                "--sign-key, --operator and --trace-replications belong to the trace store; give --trace FILE with them"
            )
        }
        if let traceReplications, traceReplications != "all" {
            _ = try TraceReplications.numbers(traceReplications)
        }
    }

    /// The report's timeline window from `--timeline-start` and `--timeline-length`.
    func timelineSettings() throws -> TraceSettings {
        var traceSettings = TraceSettings()
        for (option, text) in [("--timeline-start", timelineStart), ("--timeline-length", timelineLength)] {
            guard let text else { continue }
            guard case .success(let seconds) = Quantity.parse(text, as: .duration), seconds >= 0 else {
                FileHandle.standardError.write(
                    Data("error: \(option): expected a duration with a unit, e.g. 8h or 2d; found `\(text)`\n".utf8))
                throw ExitCode(badInputExitCode)
            }
            if option == "--timeline-start" {
                traceSettings.timelineStart = seconds
            } else {
                traceSettings.timelineLength = seconds
            }
        }
        return traceSettings
    }

    func run() async throws {
        let scenario = try options.load(file)
        let traceSettings = try timelineSettings()
        let started = Date()
        if let shard = try sharding.resolve() {
            let out = try ShardRun.folder(out: out, store: storeOptions.store, report: report, trace: trace)
            try await ShardRun.run(
                command: "run", file: file, scenarios: [scenario], options: options, vary: [], kpis: [], shard: shard,
                trace: traceSettings, out: out)
            return
        }
        let store = try await storeOptions.open()
        // The traced replication runs beside the others, on a core they leave idle.
        let traced = TraceSummaryBox()
        var sideJob: (@Sendable () throws -> Void)?
        if let trace {
            var signer: SealSigner?
            if let signKey {
                do {
                    signer = try SealSigner(pemFile: signKey)
                } catch {
                    throw failBadInput("--sign-key \(error)")
                }
            }
            let provenance = Provenance(
                taktVersion: Takt.configuration.version, overrides: options.allOverrides,
                accountable: accountable ?? scenario.accountable)
            let replications: [Int]
            do {
                replications = try TraceReplications.resolve(traceReplications, of: scenario.replications)
            } catch {
                throw failBadInput("\(error)")
            }
            sideJob = { [signer] in
                traced.set(
                    try TracedRun.run(
                        scenario, replications: replications, to: trace, provenance: provenance, signer: signer))
            }
        }
        let results = try await options.execute(
            scenario, trace: out != nil || report != nil ? traceSettings : nil, sideJob: sideJob)
        try Self.present(results, scenario: scenario, kpi: kpi, out: out, report: report)
        try await StoreWriter.write(
            [results], to: store, overrides: [options.allOverrides], command: "run", started: started)
        if let trace, let summary = traced.value {
            print(
                "wrote \(trace): \(TraceReplications.describe(summary.replications)), \(summary.rows) records (\(summary.auditEntries) audit entries) in \(Format.number(summary.seconds, decimals: 2)) s"
            )
            print(
                "seal \(summary.seal.seal)\(summary.seal.signature != nil ? " (signed)" : ""), also in \(SealFile.path(of: trace)); keep it apart from the store"
            )
        }
    }
}

extension Run {
    /// Prints `results` (all KPIs, or those `kpi` names) and writes the files and report asked for.
    static func present(
        _ results: ExperimentResults, scenario: Scenario, kpi: [String], out: String?, report: String?
    ) throws {
        print(
            kpi.isEmpty
                ? ResultsTable.render(results, scenario: scenario) : ResultsTable.selected(results, patterns: kpi))
        if let out {
            try ResultsFiles.write(results, scenario: scenario, to: out)
            print("\nwrote \(out)/results.json, stations.csv, buffers.csv")
        }
        if let report {
            try writeReport(RunReport.html(results, tool: toolName), to: report)
            print("wrote \(report)")
        }
    }
}

/// `--trace-replications all|N,M`: which replications a trace store records.
enum TraceReplications {
    /// The numbers of `text` (`0,3,7`), or a validation error that says what was expected.
    static func numbers(_ text: String) throws -> [Int] {
        var numbers: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let number = Int(trimmed), number >= 0 else {
                throw ValidationError(
                    "--trace-replications \(text): expected `all` or replication numbers from 0, e.g. 0,3,7; found `\(trimmed)`"
                )
            }
            guard !numbers.contains(number) else {
                throw ValidationError("--trace-replications \(text): replication \(number) is listed twice")
            }
            numbers.append(number)
        }
        return numbers
    }

    /// The replications to trace of a run of `count`: `all`, the numbers given (each below
    /// `count`), or 0 without the option.
    static func resolve(_ text: String?, of count: Int) throws -> [Int] {
        guard let text else { return [0] }
        if text == "all" { return Array(0..<count) }
        let numbers = try numbers(text)
        if let beyond = numbers.first(where: { $0 >= count }) {
            throw ValidationError(
                "--trace-replications \(text): the run has \(count) replications, numbered 0 to \(count - 1); there is no replication \(beyond)"
            )
        }
        return numbers
    }

    /// `replication 0` or `replications 0, 3, 7`.
    static func describe(_ replications: [Int]) -> String {
        replications.count == 1
            ? "replication \(replications[0])"
            : "replications \(replications.map(String.init).joined(separator: ", "))"
    }
}

/// The summary of a traced run made on another worker.
final class TraceSummaryBox: @unchecked Sendable {
    // Written once by the side job, read after the run: the lock orders the two.
    private let lock = NSLock()
    private var summary: TracedRun.Summary?

    func set(_ value: TracedRun.Summary) { lock.withLock { summary = value } }

    var value: TracedRun.Summary? { lock.withLock { summary } }
}
