import ArgumentParser
import Foundation
import TaktExperiment
import TaktKernel
import TaktReport
import TaktScenario

extension MultiplicityCorrection: ExpressibleByArgument {}

/// `takt compare A.yaml B.yaml`: two scenarios with common random numbers.
struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two scenarios with common random numbers: paired differences B − A with 95% intervals.",
        discussion: """
            Both run with A's seed and number of replications, so stations of the same name draw \
            the same random numbers in each pair of replications. Every KPI is a paired t test; \
            with many KPIs compared at once some differ by chance, so the p-values are adjusted \
            for the number of KPIs (--multiplicity: holm, the default, keeps the chance of any \
            false difference at 5%; bh keeps the expected share of false ones at 5%; none). \
            A KPI marked * differs significantly after the adjustment, (*) only on its own.
            """
    )

    @Option(help: "How p-values are adjusted for the number of KPIs compared: holm, bh or none.")
    var multiplicity: MultiplicityCorrection = .holm

    @Argument(help: "Scenario A (the reference).")
    var a: String

    @Argument(help: "Scenario B (the alternative).")
    var b: String

    @OptionGroup var options: RunOptions

    @Option(help: "Write comparison.json into this directory.")
    var out: String?

    @Option(help: "Write an HTML report of the differences to this file.")
    var report: String?

    func validate() throws {
        try OutputPath.checkDirectory(out, option: "--out")
        try OutputPath.checkFile(report, option: "--report")
    }

    func run() async throws {
        let scenarioA = try options.load(a)
        var scenarioB = try options.load(b)
        scenarioB.seed = scenarioA.seed
        scenarioB.replications = scenarioA.replications
        let resultsA = try await options.execute(scenarioA, label: "A ")
        let resultsB = try await options.execute(scenarioB, label: "B ")
        let differences = Comparison.compare(resultsA, resultsB, correction: multiplicity)
        let tested = differences.filter { $0.pValue != nil }.count
        let method =
            switch multiplicity {
            case .holm: "Holm (family-wise error rate 5%)"
            case .benjaminiHochberg: "Benjamini–Hochberg (false discovery rate 5%)"
            case .none: "none"
            }
        print(
            "A: \(a)\nB: \(b)\n\(scenarioA.replications) paired replications, seed \(scenarioA.seed); \(tested) KPIs tested, p-values adjusted by \(method)\n* = significant after the adjustment, (*) = significant on its own only\n"
        )
        print(
            ResultsTable.pad("KPI", 30) + ResultsTable.pad("A", 14) + ResultsTable.pad("B", 14)
                + ResultsTable.pad("B − A ± 95% CI", 28) + ResultsTable.pad("p", 10) + ResultsTable.pad("p adj.", 10)
                + "unit")
        for d in differences {
            let decimals = max(abs(d.meanA), abs(d.meanB)) >= 100 ? 1 : 4
            func number(_ value: Double) -> String {
                value.isFinite ? Format.number(value, decimals: decimals) : "undefined"
            }
            func p(_ value: Double?) -> String { value.map { Format.number($0, decimals: 4) } ?? "n/a" }
            let spread = d.hasInterval ? Format.number(d.halfWidth, decimals: decimals) : "n/a"
            let mark = d.isSignificantAdjusted ? " *" : d.isSignificant ? " (*)" : ""
            print(
                ResultsTable.pad(d.name, 30) + ResultsTable.pad(number(d.meanA), 14)
                    + ResultsTable.pad(number(d.meanB), 14)
                    + ResultsTable.pad("\(number(d.difference)) ± \(spread)\(mark)", 28)
                    + ResultsTable.pad(p(d.pValue), 10) + ResultsTable.pad(p(d.adjustedPValue), 10) + d.unit)
        }
        if let out {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(differences).write(to: URL(fileURLWithPath: "\(out)/comparison.json"))
        }
        if let report {
            try writeReport(
                WhatIfReport.comparison(
                    a: resultsA, b: resultsB, differences: differences, labels: (a, b), tool: toolName),
                to: report)
        }
    }
}

/// `takt sweep FILE --vary path=v1,v2 …`: a full grid of what-ifs.
struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario at every point of a grid of values; one row per point.",
        discussion: """
            Each --vary names a path (as for --set) and its values, separated by commas; the first \
            --vary varies slowest. Every point uses the same seed, so points differ only by the \
            values varied (common random numbers).
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(help: "path=v1,v2,… (repeatable).")
    var vary: [String]

    @OptionGroup var options: RunOptions

    @Option(help: "KPIs to show and write (repeatable; default: throughput, work_in_process, lead_time).")
    var kpi: [String] = []

    @Option(help: "Write sweep.csv and sweep.json into this directory.")
    var out: String?

    @OptionGroup var sharding: ShardOptions

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Write an HTML report with each shown KPI across the sweep to this file.")
    var report: String?

    func validate() throws {
        guard !vary.isEmpty else { throw ValidationError("give at least one --vary path=v1,v2") }
        for v in vary where SweepGrid.parse(v) == nil {
            throw ValidationError("--vary \(v): expected path=v1,v2,… with at least one value")
        }
        let points = vary.compactMap(SweepGrid.parse).reduce(1.0) { $0 * Double($1.values.count) }
        guard points <= Double(SweepGrid.maximumPoints) else {
            throw ValidationError(
                "the sweep has \(points) points; at most \(SweepGrid.maximumPoints) run on one machine (split it with fewer values per --vary)"
            )
        }
        try OutputPath.checkDirectory(out, option: "--out")
        try OutputPath.checkFile(report, option: "--report")
    }

    func run() async throws {
        let varies = vary.compactMap(SweepGrid.parse)
        let points = SweepGrid.points(varies)
        let shown = kpi.isEmpty ? ["throughput", "work_in_process", "lead_time"] : kpi
        var scenarios: [Scenario] = []
        for point in points {
            scenarios.append(try loadScenario(file, overrides: options.allOverrides + point))
        }
        if let shard = try sharding.resolve() {
            let out = try ShardRun.folder(out: out, store: storeOptions.store, report: report, trace: nil)
            try await ShardRun.run(
                command: "sweep", file: file, scenarios: scenarios, options: options, vary: vary, kpis: shown,
                shard: shard, trace: nil, out: out)
            return
        }
        let store = try await storeOptions.open()
        let started = Date()
        let showProgress = !options.quiet && isatty(2) == 1
        var progress: (@Sendable (Int, Int) -> Void)?
        if showProgress {
            progress = { done, total in FileHandle.standardError.write(Data("\rreplication \(done)/\(total)".utf8)) }
        }
        let allResults: [ExperimentResults]
        do {
            allResults = try await Experiment.runAll(
                scenarios, parallelism: options.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                progress: progress)
        } catch let aborted as RunAborted {
            throw reject(aborted, file: file)
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        try Self.present(
            file: file, varies: varies, points: points, results: allResults, shown: shown, out: out, report: report)
        try await StoreWriter.write(
            allResults, to: store, overrides: points.map { options.allOverrides + $0 }, command: "sweep",
            started: started)
    }

    /// Prints one row per point and writes sweep.csv, sweep.json and the report asked for.
    static func present(
        file: String, varies: [(path: String, values: [String])], points: [[String]],
        results allResults: [ExperimentResults],
        shown: [String], out: String?, report: String?
    ) throws {
        var rows: [[String: String]] = []
        var csv = [(varies.map(\.path) + shown.flatMap { [$0, "\($0)_ci"] }).joined(separator: ",")]
        print(varies.map { ResultsTable.pad($0.path, 26) }.joined() + shown.map { ResultsTable.pad($0, 26) }.joined())
        for (index, results) in allResults.enumerated() {
            let values = points[index].map { String($0.split(separator: "=", maxSplits: 1)[1]) }
            var row: [String: String] = Dictionary(uniqueKeysWithValues: zip(varies.map(\.path), values))
            var line = values.map { ResultsTable.pad($0, 26) }.joined()
            var fields = values
            for name in shown {
                guard let k = results.kpi(name) else {
                    throw ValidationError(
                        "no KPI `\(name)`; try one of \(results.kpis.prefix(9).map(\.name).joined(separator: ", "))")
                }
                line += ResultsTable.pad(ResultsTable.interval(k), 26)
                fields += [Format.number(k.mean, decimals: 6), Format.number(k.halfWidth, decimals: 6)]
                row[name] = Format.number(k.mean, decimals: 6)
                row["\(name)_ci"] = Format.number(k.halfWidth, decimals: 6)
            }
            print(line)
            csv.append(fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
            rows.append(row)
        }
        if let out {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data((csv.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(out)/sweep.csv"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(rows).write(to: URL(fileURLWithPath: "\(out)/sweep.json"))
        }
        if let report {
            let labels = points.map { $0.joined(separator: ", ") }
            try writeReport(
                WhatIfReport.sweep(file: file, points: labels, results: allResults, kpis: shown, tool: toolName),
                to: report)
        }
    }
}
