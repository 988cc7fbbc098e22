import ArgumentParser
import Foundation
import TaktExperiment
import TaktReport
import TaktScenario

/// `takt check FILE… [--baseline B] [--junit R]`: regression testing of MES rules.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run scenarios, judge their assertions and compare their KPIs with a baseline, for CI.",
        discussion: """
            An assertion passes when the whole 95% confidence interval over replications satisfies \
            it, fails when no part of it does, and is inconclusive otherwise (more replications \
            would tell). With --baseline, each scenario runs with the baseline's seed and number \
            of replications (common random numbers) and every KPI it produces (narrowed by the \
            scenario's check: section, --kpi and --ignore-kpi) is compared replication by \
            replication: a KPI regresses when it got worse beyond its tolerance (a two-sided KPI: \
            changed), by a paired t test with Holm's correction over the KPIs compared. Exit \
            code: 0 pass (inconclusive verdicts included, unless --strict), 1 a failed assertion \
            or a regression (with --strict also an inconclusive verdict or a scenario without a \
            baseline), 2 bad input (a scenario, the baseline, a --replications other than the \
            baseline's, an assertion naming a KPI the run lacks, a KPI pattern matching none).
            """
    )

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    @Option(help: "Baseline file: compare against it, or write it with --update-baseline.")
    var baseline: String?

    @Flag(help: "Run the scenarios and write their KPIs as the new baseline (to --baseline).")
    var updateBaseline = false

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "A regression must also exceed this share of the baseline mean, e.g. 0.01 (default 0).")
    var tolerance: Double = 0

    @Option(
        help: ArgumentHelp(
            "Also compare the KPIs this name or glob matches (repeatable; `*` any text, `?` one character).",
            valueName: "kpi"))
    var kpi: [String] = []

    @Option(help: ArgumentHelp("Leave out the KPIs this name or glob matches (repeatable).", valueName: "kpi"))
    var ignoreKpi: [String] = []

    @Option(help: ArgumentHelp("Write CI annotations to standard output: github.", valueName: "format"))
    var annotations: String?

    @Flag(help: "Print every KPI compared (also those that pass), not only those that fail or cannot be judged.")
    var verbose = false

    @Flag(help: "Treat inconclusive verdicts and scenarios without a baseline as failures (exit 1).")
    var strict = false

    @OptionGroup var options: RunOptions

    func validate() throws {
        try OutputPath.checkFile(junit, option: "--junit")
        if updateBaseline { try OutputPath.checkFile(baseline, option: "--baseline") }
        if let annotations, annotations != "github" {
            throw ValidationError(
                "--annotations takes `github` (GitHub Actions workflow commands); found `\(annotations)`")
        }
        for pattern in kpi + ignoreKpi where pattern.isEmpty || pattern.contains(where: \.isWhitespace) {
            throw ValidationError(
                "a KPI name or glob has no spaces, e.g. `oee[reflow]` or `busy[*]`; found \(pattern.debugDescription)")
        }
    }

    func run() async throws {
        if updateBaseline, baseline == nil { throw failBadInput("--update-baseline needs --baseline FILE") }
        guard tolerance >= 0, tolerance.isFinite else { throw failBadInput("--tolerance must be 0 or more") }
        var scenarios = try files.map { try options.load($0) }
        let saved = try baseline.flatMap { updateBaseline ? nil : try readBaseline($0) } ?? []
        for index in scenarios.indices {
            guard let before = saved.first(where: { $0.scenario == scenarios[index].name }) else { continue }
            try align(&scenarios[index], with: before)
        }
        var checks: [ScenarioCheck] = []
        var runs: [BaselineRun] = []
        for scenario in scenarios {
            let start = Date()
            let results = try await options.execute(scenario, label: "\(scenario.name) ")
            runs.append(BaselineRun(results))
            var check = ScenarioCheck(
                scenario: scenario.name, file: scenario.file,
                assertions: scenario.assertions.map { Check.judge($0, results: results) }, regressions: [],
                seconds: 0)
            check.strict = strict
            if let before = saved.first(where: { $0.scenario == scenario.name }) {
                let report = Check.regressions(
                    results, baseline: before, settings: selection(scenario.check), tolerance: tolerance)
                check.regressions = report.verdicts
                check.family = report.family
                check.leftOut = report.leftOut
                check.unmatched = report.unmatched
            } else if baseline != nil, !updateBaseline {
                check.notCompared =
                    "no run of `\(scenario.name)` in the baseline \(baseline!): its KPIs were not compared; add it with --update-baseline"
            }
            check.seconds = Date().timeIntervalSince(start)
            checks.append(check)
            printCheck(check)
        }
        if let junit {
            try writeAtomically(Data(JUnitReport.xml(checks).utf8), to: junit)
        }
        if annotations == "github" {
            for line in GitHubAnnotations.lines(checks) { print(line) }
        }
        if updateBaseline, let baseline {
            try writeBaseline(runs, to: baseline)
        }
        let verdicts = checks.flatMap(\.verdicts)
        if verdicts.contains(.error) { throw ExitCode(badInputExitCode) }
        if verdicts.contains(.fail) { throw ExitCode(1) }
    }

    /// The baseline's runs, or a clear error.
    func readBaseline(_ path: String) throws -> [BaselineRun] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failBadInput(
                "cannot read the baseline `\(path)`; write one with `takt check FILE --baseline \(path) --update-baseline`"
            )
        }
        do {
            return try Baseline.read(data, path: path)
        } catch {
            throw failBadInput(error.description)
        }
    }

    /// Runs `scenario` as its baseline ran: the same horizon, warm-up, seed and replications.
    func align(_ scenario: inout Scenario, with before: BaselineRun) throws {
        if abs(before.horizon - scenario.horizon) > 1e-9 || abs(before.warmup - scenario.warmup) > 1e-9 {
            throw failBadInput(
                "the baseline of `\(scenario.name)` ran \(Format.duration(before.horizon)) after \(Format.duration(before.warmup)) of warm-up; the scenario now says \(Format.duration(scenario.horizon)) after \(Format.duration(scenario.warmup)): update the baseline deliberately with --update-baseline"
            )
        }
        if let asked = options.replications, asked != before.replications {
            throw failBadInput(
                "--replications \(asked), but the baseline of `\(scenario.name)` has \(before.replications) replications: the comparison pairs replication by replication, so run \(before.replications) (leave --replications out), or update the baseline with --replications \(asked) --update-baseline"
            )
        }
        if let asked = options.seed, asked != before.seed {
            throw failBadInput(
                "--seed \(asked), but the baseline of `\(scenario.name)` ran with seed \(before.seed): common random numbers need the same seed; leave --seed out, or update the baseline with --update-baseline"
            )
        }
        if scenario.replications != before.replications {
            warn(
                "`\(scenario.name)` runs the baseline's \(before.replications) replications, not the \(scenario.replications) of \(scenario.file)"
            )
        }
        if scenario.seed != before.seed {
            warn(
                "`\(scenario.name)` runs with the baseline's seed \(before.seed), not \(scenario.seed) of \(scenario.file)"
            )
        }
        scenario.seed = before.seed
        scenario.replications = before.replications
    }

    /// The scenario's `check:` section widened by --kpi and narrowed by --ignore-kpi.
    func selection(_ settings: CheckSettings) -> CheckSettings {
        settings.adding(
            kpis: kpi.map { KPIPattern($0, source: "--kpi \($0)") },
            ignoring: ignoreKpi.map { KPIPattern($0, source: "--ignore-kpi \($0)") })
    }

    /// Writes `runs` over their scenarios' entries in the baseline, keeping the other scenarios'.
    func writeBaseline(_ runs: [BaselineRun], to path: String) throws {
        var all = runs
        if let data = FileManager.default.contents(atPath: path), let kept = try? Baseline.read(data, path: path) {
            all += kept.filter { old in !runs.contains { $0.scenario == old.scenario } }
        }
        let text = Baseline.text(all)
        try writeAtomically(Data(text.utf8), to: path)
        let kpis = runs.reduce(0) { $0 + $1.kpis.count }
        print(
            "baseline written to \(path): \(runs.count) scenario\(runs.count == 1 ? "" : "s") updated, \(kpis) KPIs, \(all.count) in the file, \(text.utf8.count / 1000) KB"
        )
    }

    func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    func printCheck(_ check: ScenarioCheck) {
        func line(_ verdict: CheckVerdict, _ text: String) {
            let shown = strict && verdict == .inconclusive ? "FAIL (strict)" : verdict.rawValue.uppercased()
            print("  \(shown.padding(toLength: 14, withPad: " ", startingAt: 0))\(text)")
        }
        print("\(check.scenario) (\(check.file))")
        for verdict in check.assertions {
            line(verdict.verdict, "assert \(verdict.assertion)")
            print("                \(verdict.message)")
        }
        for pattern in check.unmatched {
            line(.error, "\(pattern.source): `\(pattern.text)` matches no KPI of this run or its baseline")
        }
        if let why = check.notCompared {
            line(.inconclusive, why)
            return
        }
        guard baseline != nil, !updateBaseline else { return }
        let failed = check.regressions.filter { $0.verdict == .fail }.count
        let open = check.regressions.filter { $0.verdict == .inconclusive }.count
        print(
            "  baseline: \(check.regressions.count) KPIs compared (\(check.family) tested, Holm-corrected at 5% family-wise), \(failed) regressed, \(open) not judged\(check.leftOut > 0 ? ", \(check.leftOut) left out by check:/--kpi/--ignore-kpi" : "")"
        )
        for verdict in check.regressions where verbose || verdict.verdict != .pass {
            line(verdict.verdict, "\(verdict.kpi): \(verdict.message)")
        }
    }
}
