import ArgumentParser
import Foundation
import TaktExperiment
import TaktReport
import TaktScenario

/// The saved runs `takt check` compares with: one per scenario, by name.
struct CheckBaseline: Codable {
    var takt_baseline = 1
    var runs: [ExperimentResults]

    /// Reads a baseline written by `--update-baseline`, or a `takt run --out` results.json.
    static func read(_ path: String) throws -> [ExperimentResults] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failBadInput(
                "cannot read the baseline `\(path)`; write one with `takt check FILE --baseline \(path) --update-baseline`"
            )
        }
        let decoder = JSONDecoder()
        if let baseline = try? decoder.decode(CheckBaseline.self, from: data) { return baseline.runs }
        if let results = try? decoder.decode(ExperimentResults.self, from: data) { return [results] }
        throw failBadInput("`\(path)` is not a takt baseline nor a results.json")
    }
}

/// `takt check FILE… [--baseline B] [--junit R]`: regression testing of MES rules.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run scenarios, judge their assertions and compare their KPIs with a baseline, for CI.",
        discussion: """
            An assertion passes when the whole 95% confidence interval over replications satisfies \
            it, fails when no part of it does, and is inconclusive otherwise (more replications \
            would tell). With --baseline, each scenario runs with the baseline's seed and number \
            of replications (common random numbers) and its line KPIs are compared replication by \
            replication: a KPI regresses when the whole interval of the difference lies on its \
            worse side (Bonferroni-corrected over the KPIs compared). Exit code: 0 pass \
            (inconclusive assertions included, unless --strict), 1 a failed assertion or a \
            regression, 2 bad input (a scenario, the baseline, or an assertion naming a KPI the \
            run lacks).
            """
    )

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    @Option(help: "Baseline file: compare against it, or write it with --update-baseline.")
    var baseline: String?

    @Flag(help: "Run the scenarios and write their results as the new baseline (to --baseline).")
    var updateBaseline = false

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "A regression must also exceed this share of the baseline mean, e.g. 0.01 (default 0).")
    var tolerance: Double = 0

    @Flag(help: "Treat inconclusive assertions as failures (exit 1).")
    var strict = false

    @OptionGroup var options: RunOptions

    func validate() throws {
        try OutputPath.checkFile(junit, option: "--junit")
        if updateBaseline { try OutputPath.checkFile(baseline, option: "--baseline") }
    }

    func run() async throws {
        if updateBaseline, baseline == nil { throw failBadInput("--update-baseline needs --baseline FILE") }
        guard tolerance >= 0 else { throw failBadInput("--tolerance must be 0 or more") }
        var scenarios = try files.map { try options.load($0) }
        let saved = try baseline.flatMap { updateBaseline ? nil : try CheckBaseline.read($0) } ?? []
        for index in scenarios.indices {
            guard let before = saved.first(where: { $0.scenario == scenarios[index].name }) else { continue }
            if abs(before.horizon - scenarios[index].horizon) > 1e-9
                || abs(before.warmup - scenarios[index].warmup) > 1e-9
            {
                throw failBadInput(
                    "the baseline of `\(scenarios[index].name)` ran \(Format.duration(before.horizon)) after \(Format.duration(before.warmup)) of warm-up; the scenario now says \(Format.duration(scenarios[index].horizon)) after \(Format.duration(scenarios[index].warmup)): update the baseline deliberately with --update-baseline"
                )
            }
            scenarios[index].seed = before.seed
            scenarios[index].replications = before.replications
        }
        var checks: [ScenarioCheck] = []
        var runs: [ExperimentResults] = []
        for scenario in scenarios {
            let start = Date()
            let results = try await options.execute(scenario, label: "\(scenario.name) ")
            runs.append(results)
            let assertions = scenario.assertions.map { Check.judge($0, results: results) }
            let regressions =
                saved.first { $0.scenario == scenario.name }.map {
                    Check.regressions(results, baseline: $0, tolerance: tolerance)
                } ?? []
            checks.append(
                ScenarioCheck(
                    scenario: scenario.name, file: scenario.file, assertions: assertions, regressions: regressions,
                    seconds: Date().timeIntervalSince(start)))
            printCheck(checks.last!, hasBaseline: !saved.isEmpty && !regressions.isEmpty)
        }
        if let junit {
            try writeAtomically(Data(JUnitReport.xml(checks).utf8), to: junit)
        }
        if updateBaseline, let baseline {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeAtomically(try encoder.encode(CheckBaseline(runs: runs)), to: baseline)
            print("baseline written to \(baseline) (\(runs.count) scenario\(runs.count == 1 ? "" : "s"))")
        }
        let verdicts = checks.flatMap { $0.assertions.map(\.verdict) + $0.regressions.map(\.verdict) }
        if verdicts.contains(.error) { throw ExitCode(badInputExitCode) }
        if verdicts.contains(.fail) || (strict && verdicts.contains(.inconclusive)) { throw ExitCode(1) }
    }

    func printCheck(_ check: ScenarioCheck, hasBaseline: Bool) {
        print("\(check.scenario) (\(check.file))")
        for verdict in check.assertions {
            print(
                "  \(verdict.verdict.rawValue.uppercased().padding(toLength: 13, withPad: " ", startingAt: 0))assert \(verdict.assertion)"
            )
            print("               \(verdict.message)")
        }
        if hasBaseline {
            for verdict in check.regressions {
                print(
                    "  \(verdict.verdict.rawValue.uppercased().padding(toLength: 13, withPad: " ", startingAt: 0))\(verdict.kpi): \(verdict.message)"
                )
            }
        } else if baseline != nil, !updateBaseline {
            print("  (no baseline run for this scenario: KPIs not compared)")
        }
    }
}
