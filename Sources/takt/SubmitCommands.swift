import ArgumentParser
import Foundation
import TaktExperiment
import TaktScenario

/// `takt submit slurm|k8s FILE --shards n`: a sharded run or sweep as a batch engine's job.
struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract:
            "Write (and for Slurm submit) the batch jobs that run a scenario or sweep in shards (docs/scale-out.md).",
        subcommands: [SubmitSlurm.self, SubmitKubernetes.self])
}

/// What the shards compute, as both engines take it.
struct SubmittedWork: ParsableArguments {
    @Argument(help: "The scenario file.")
    var file: String

    @Option(help: "Shards to split the work into.")
    var shards: Int

    @Option(help: ArgumentHelp("A sweep's path=v1,v2,… (repeatable; without it, a run).", valueName: "path=values"))
    var vary: [String] = []

    @Option(help: ArgumentHelp("A sweep's KPIs to show (repeatable).", valueName: "kpi"))
    var kpi: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value.", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Replications (default: the scenario's).")
    var replications: Int?

    @Option(help: "Folder shared by the nodes for the shards and the merged results.")
    var directory = "takt-shards"

    @Option(help: "The takt executable as the nodes reach it (default: this one).")
    var takt: String?

    func validate() throws {
        guard shards >= 1, shards <= 100_000 else { throw ValidationError("--shards is 1 to 100000") }
        for v in vary where SweepGrid.parse(v) == nil {
            throw ValidationError("--vary \(v): expected path=v1,v2,… with at least one value")
        }
        // Each shard runs `takt sweep --shard`, which takes at most this many points.
        let points = vary.compactMap(SweepGrid.parse).reduce(1.0) { $0 * Double($1.values.count) }
        guard points <= Double(SweepGrid.maximumPoints) else {
            throw ValidationError(
                "the sweep has \(points) points; takt sweep, which each shard runs, takes at most \(SweepGrid.maximumPoints) (use fewer values per --vary)"
            )
        }
        if let replications, replications < 1 { throw ValidationError("--replications is 1 or more") }
    }

    /// The work, with the scenario checked first (a typo is found here, not on the cluster).
    func work() throws -> (BatchJobs.Work, Scenario) {
        let scenario = try loadScenario(
            file, overrides: overrides + (replications.map { ["replications=\($0)"] } ?? []))
        let units = max(1, vary.compactMap(SweepGrid.parse).reduce(1) { $0 * $1.values.count }) * scenario.replications
        guard shards <= units else {
            throw failBadInput("--shards \(shards): there are only \(units) units of work (points × replications)")
        }
        var arguments: [String] = []
        for v in vary { arguments += ["--vary", v] }
        for k in kpi { arguments += ["--kpi", k] }
        for o in overrides { arguments += ["--set", o] }
        if let replications { arguments += ["--replications", "\(replications)"] }
        let executable = takt ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        return (
            BatchJobs.Work(
                takt: executable, command: vary.isEmpty ? "run" : "sweep", file: file, arguments: arguments,
                shards: shards, directory: directory),
            scenario
        )
    }
}

/// `takt submit slurm FILE --shards n`: an sbatch job array and a dependent merge job.
struct SubmitSlurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract:
            "Write an sbatch job array (one task per shard) and a merge job that runs after it; submit both with sbatch.",
        discussion: """
            Writes DIRECTORY/takt-array.sbatch and takt-merge.sbatch, and unless --dry-run submits \
            them with `sbatch` (the merge with --dependency=afterok on the array). The merged \
            results land in DIRECTORY/merged. Exit code 2 for a bad scenario or an sbatch that fails.
            """)

    @OptionGroup var work: SubmittedWork

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Time limit per task, as Slurm takes it (e.g. 30:00 or 2:00:00).")
    var time = "1:00:00"

    @Option(help: "CPUs per task (each shard runs its replications on them).")
    var cpusPerTask = 1

    @Flag(help: "Write the scripts but do not submit them.")
    var dryRun = false

    func validate() throws {
        guard cpusPerTask >= 1, cpusPerTask <= 1024 else { throw ValidationError("--cpus-per-task is 1 to 1024") }
        guard Self.isSlurmTime(time) else {
            throw ValidationError(
                "--time \(time): expected a time limit as sbatch takes it: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds (e.g. 30, 2:00:00, 1-12), or UNLIMITED"
            )
        }
    }

    /// Whether `text` is a time limit in one of sbatch's formats (sbatch(1), `--time`), so a
    /// slip is found here and not when the cluster refuses the job.
    static func isSlurmTime(_ text: String) -> Bool {
        if ["UNLIMITED", "INFINITE"].contains(text.uppercased()) { return true }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let clock = parts.last else { return false }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        let digits = (parts.count == 2 ? [parts[0]] : []) + fields
        let isNumber = { (field: Substring) in
            !field.isEmpty && field.count <= 9 && field.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard digits.allSatisfy(isNumber) else { return false }
        // With days, the clock is hours[:minutes[:seconds]]; without, minutes[:seconds] or h:m:s.
        return fields.count <= 3
    }

    func run() throws {
        let (work, scenario) = try work.work()
        let scripts = BatchJobs.slurm(
            work, name: scenario.name, workingDirectory: FileManager.default.currentDirectoryPath,
            partition: partition, time: time, cpusPerTask: cpusPerTask)
        try FileManager.default.createDirectory(
            atPath: (work.directory as NSString).appendingPathComponent("logs"), withIntermediateDirectories: true)
        let arrayPath = (work.directory as NSString).appendingPathComponent("takt-array.sbatch")
        let mergePath = (work.directory as NSString).appendingPathComponent("takt-merge.sbatch")
        try writeAtomically(Data(scripts.array.utf8), to: arrayPath)
        try writeAtomically(Data(scripts.merge.utf8), to: mergePath)
        print("wrote \(arrayPath) (\(work.shards) tasks) and \(mergePath)")
        guard !dryRun else {
            print("submit with: sbatch --parsable \(arrayPath), then sbatch --dependency=afterok:JOBID \(mergePath)")
            return
        }
        let array = try sbatch([arrayPath])
        let merge = try sbatch(["--dependency=afterok:\(array)", mergePath])
        print("submitted job array \(array) and merge job \(merge); results in \(work.directory)/merged")
    }

    /// Runs `sbatch --parsable ARGS`; the job id.
    func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch", "--parsable"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw failBadInput("cannot run sbatch (\(error)); is Slurm installed? --dry-run writes the scripts only")
        }
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0,
            let id = text.split(separator: ";").first?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty
        else {
            let reason = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw failBadInput(
                "sbatch failed (exit \(process.terminationStatus)): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        return id
    }
}

/// `takt submit k8s FILE --shards n --image IMAGE`: a batch/v1 Indexed Job and a merge Job.
struct SubmitKubernetes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s",
        abstract:
            "Write a Kubernetes manifest: the shards as a batch/v1 Indexed Job, and a merge Job that waits for them.",
        discussion: """
            The pods share DIRECTORY through the persistent volume claim --claim; the image must \
            hold takt and the scenario (in --working-directory). Apply with `kubectl apply -f FILE`.
            """)

    @OptionGroup var work: SubmittedWork

    @Option(help: "The container image with takt.")
    var image: String

    @Option(help: "Pods at once (default: all shards).")
    var parallelism: Int?

    @Option(help: "CPU per pod (request and limit).")
    var cpu = "1"

    @Option(help: "Memory per pod (request and limit).")
    var memory = "1Gi"

    @Option(help: "The persistent volume claim shared by the pods, mounted at --directory.")
    var claim = "takt-work"

    @Option(help: "The folder in the image where the scenario's paths start.")
    var workingDirectory = "/scenarios"

    @Option(name: .shortAndLong, help: "Write the manifest here (default: standard output).")
    var output: String?

    func validate() throws {
        if let parallelism, parallelism < 1 { throw ValidationError("--parallelism is 1 or more") }
        guard !image.isEmpty else { throw ValidationError("--image names the container image with takt") }
        try OutputPath.checkFile(output, option: "--output")
    }

    func run() throws {
        var (work, scenario) = try work.work()
        if work.directory.hasPrefix("/") == false { work.directory = "/work/\(work.directory)" }
        if self.work.takt == nil { work.takt = "takt" }
        let manifest = BatchJobs.kubernetes(
            work, name: scenario.name, image: image, parallelism: parallelism ?? work.shards, cpu: cpu,
            memory: memory, claim: claim, workingDirectory: workingDirectory)
        guard let output else {
            print(manifest, terminator: "")
            return
        }
        try writeAtomically(Data(manifest.utf8), to: output)
        print("wrote \(output): \(work.shards) shards and a merge job; apply with kubectl apply -f \(output)")
    }
}
