import ArgumentParser
import Foundation
import TaktExperiment
import TaktKernel
import TaktScenario
import TaktStore

/// `--shard i/n` or `--shards n` (the index from the batch engine): one part of a run or sweep.
struct ShardOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Compute only part i of n of the replications (and sweep points), e.g. 2/4; `takt merge` puts the parts together.",
            valueName: "i/n"))
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "Split into n parts and compute the one the batch engine's index names (SLURM_ARRAY_TASK_ID, or Kubernetes' JOB_COMPLETION_INDEX).",
            valueName: "n"))
    var shards: Int?

    /// This shard (from 0) and the count, or nil when the run is not sharded.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (
        index: Int, count: Int
    )? {
        if let shard {
            guard shards == nil else { throw failBadInput("give --shard i/n or --shards n, not both") }
            let parts = shard.split(separator: "/")
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000,
                (1...n).contains(i)
            else {
                throw failBadInput("--shard \(shard): expected i/n with 1 ≤ i ≤ n, e.g. 2/4 (the second of four parts)")
            }
            return (i - 1, n)
        }
        guard let shards else { return nil }
        guard shards >= 1, shards <= 100_000 else { throw failBadInput("--shards is 1 to 100000; found \(shards)") }
        if let text = environment["JOB_COMPLETION_INDEX"] {
            guard let index = Int(text), (0..<shards).contains(index) else {
                throw failBadInput("JOB_COMPLETION_INDEX=\(text): expected 0 to \(shards - 1) for --shards \(shards)")
            }
            return (index, shards)
        }
        if let text = environment["SLURM_ARRAY_TASK_ID"] {
            // The task number is the shard's (from 0), as `takt submit slurm` writes
            // `--array=0-(n-1)`; so a failed shard resubmitted alone (`--array=7`) is still shard 7.
            if let last = environment["SLURM_ARRAY_TASK_MAX"].flatMap(Int.init), last >= shards {
                throw failBadInput(
                    "the Slurm job array goes up to task \(last) (SLURM_ARRAY_TASK_MAX), but --shards \(shards) has tasks 0 to \(shards - 1)"
                )
            }
            guard let task = Int(text), (0..<shards).contains(task) else {
                throw failBadInput("SLURM_ARRAY_TASK_ID=\(text): expected 0 to \(shards - 1) for --shards \(shards)")
            }
            return (task, shards)
        }
        throw failBadInput(
            "--shards \(shards) takes its index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set; give --shard i/\(shards) instead"
        )
    }
}

/// Computing one shard and writing it for `takt merge`.
enum ShardRun {
    /// The file a shard writes in its output folder.
    static let fileName = "shard.json"

    /// The shard's output folder; what a shard does not do (store, report, trace) is refused,
    /// with where to ask for it instead.
    static func folder(out: String?, store: String?, report: String?, trace: String?) throws -> String {
        guard store == nil else { throw failBadInput("a shard stores nothing: give --store to `takt merge`") }
        guard report == nil, trace == nil else {
            throw failBadInput(
                "a shard writes no report or trace store: give --report to `takt merge`, and trace with an unsharded `takt run --trace`"
            )
        }
        guard let out else {
            throw failBadInput("--shard needs --out DIR: the shard writes its part there, for `takt merge`")
        }
        return out
    }

    static func run(
        command: String, file: String, scenarios: [Scenario], options: RunOptions, vary: [String], kpis: [String],
        shard: (index: Int, count: Int), trace: TraceSettings?, out: String
    ) async throws {
        let replications = scenarios[0].replications
        let all = Sharding.units(points: scenarios.count, replications: replications)
        let range = Sharding.range(shard: shard.index, of: shard.count, count: all.count)
        let parts: [PointPart]
        do {
            parts = try await Sharding.run(
                scenarios, units: Array(all[range]),
                parallelism: options.threads ?? ProcessInfo.processInfo.activeProcessorCount, trace: trace)
        } catch let aborted as RunAborted {
            throw reject(aborted, file: file)
        }
        let shardFile = ShardFile(
            command: command, file: file, scenarioSHA256: Provenance.sha256(ofFile: file) ?? "",
            overrides: options.allOverrides, vary: vary, kpis: kpis, seed: scenarios[0].seed,
            replications: replications,
            taktVersion: Takt.configuration.version, shard: shard.index, shards: shard.count, units: all.count,
            range: range, parts: parts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = (out as NSString).appendingPathComponent(fileName)
        try writeAtomically(try encoder.encode(shardFile), to: path)
        let share =
            range.isEmpty ? "no unit (more shards than units)" : "units \(range.lowerBound)–\(range.upperBound - 1)"
        print(
            "shard \(shard.index + 1)/\(shard.count): \(share) of \(all.count) (\(scenarios.count) point\(scenarios.count == 1 ? "" : "s") × \(replications) replications); wrote \(path) for `takt merge`"
        )
    }
}

/// `takt merge shard-*/ --out DIR`: the shards of a run or sweep put back together.
struct Merge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Put the shards of `takt run --shard` or `takt sweep --shard` together: the unsharded run's results.",
        discussion: """
            Checks that the shards belong to one run (the same scenario file and SHA-256, overrides, \
            seed, replications and Takt version) and that none is missing or given twice, then \
            writes what the unsharded command writes — byte for byte the same. The scenario file \
            must be where the shards found it. Exit code 2 for a missing, duplicated, foreign or \
            damaged shard, or a scenario that changed.
            """)

    @Argument(help: "Shard folders (or their shard.json files).")
    var shards: [String]

    @Option(help: "Write the merged results here (as `takt run --out` or `takt sweep --out` would).")
    var out: String?

    @Option(help: "Write the HTML report to this file.")
    var report: String?

    @Option(help: ArgumentHelp("Print only the KPIs whose names match (a run's shards).", valueName: "pattern"))
    var kpi: [String] = []

    @OptionGroup var storeOptions: StoreOptions

    /// `pattern` expanded as a shell would (`shard-*`), for engines that run no shell
    /// (Kubernetes passes arguments as they are); a path without a match stays as it is.
    static func expanded(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [pattern] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shards' folders, e.g. shard-*/") }
        try OutputPath.checkDirectory(out, option: "--out")
        try OutputPath.checkFile(report, option: "--report")
    }

    func run() async throws {
        let store = try await storeOptions.open()
        let started = Date()
        var read: [(path: String, file: ShardFile)] = []
        for path in shards.flatMap(Self.expanded) {
            var isDirectory: ObjCBool = false
            let file =
                FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? (path as NSString).appendingPathComponent(ShardRun.fileName) : path
            guard let data = FileManager.default.contents(atPath: file) else {
                throw failBadInput("\(file): cannot be read (is it a shard's output folder?)")
            }
            do {
                read.append((file, try ShardFile.read(data, path: file)))
            } catch {
                throw failBadInput(error.description)
            }
        }
        let ordered: [ShardFile]
        do {
            ordered = try ShardFile.check(read)
        } catch {
            throw failBadInput(error.description)
        }
        let first = ordered[0]
        guard Provenance.sha256(ofFile: first.file) == first.scenarioSHA256 else {
            throw failBadInput(
                "\(first.file): the scenario file changed (or is not there) since the shards ran: merge where they ran, with the same file"
            )
        }
        let varies = first.vary.compactMap(SweepGrid.parse)
        let points = first.command == "sweep" ? SweepGrid.points(varies) : [[]]
        var scenarios: [Scenario] = []
        for point in points { scenarios.append(try loadScenario(first.file, overrides: first.overrides + point)) }
        var merged: [ExperimentResults] = []
        for (index, scenario) in scenarios.enumerated() {
            do {
                merged.append(
                    try Sharding.merge(ordered.flatMap(\.parts).filter { $0.point == index }, scenario: scenario))
            } catch {
                throw failBadInput("point \(index + 1): \(error.description)")
            }
        }
        print("merged \(ordered.count) shard\(ordered.count == 1 ? "" : "s") of \(first.file) (\(first.command))")
        if first.command == "sweep" {
            try Sweep.present(
                file: first.file, varies: varies, points: points, results: merged, shown: first.kpis, out: out,
                report: report)
        } else {
            try Run.present(merged[0], scenario: scenarios[0], kpi: kpi, out: out, report: report)
        }
        try await StoreWriter.write(
            merged, to: store, overrides: points.map { first.overrides + $0 }, command: "merge", started: started)
    }
}
