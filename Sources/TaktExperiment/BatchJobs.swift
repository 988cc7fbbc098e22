/// The job scripts with which the batch engines sites already run take a sharded run or
/// sweep: a Slurm job array and a dependent merge job, or a Kubernetes Indexed Job and a
/// merge Job. Takt writes them; the engine schedules the work.
public enum BatchJobs {
    /// What the shards compute: `takt run|sweep FILE …` without the shard options.
    public struct Work: Sendable, Equatable {
        /// The takt executable as the nodes reach it.
        public var takt: String
        /// `run` or `sweep`, the scenario file, and the other arguments (`--vary`, `--set`, …).
        public var command: String
        public var file: String
        public var arguments: [String]
        public var shards: Int
        /// The folder (shared by the nodes) where shards and the merged results go.
        public var directory: String

        public init(takt: String, command: String, file: String, arguments: [String], shards: Int, directory: String) {
            self.takt = takt
            self.command = command
            self.file = file
            self.arguments = arguments
            self.shards = shards
            self.directory = directory
        }
    }

    /// `text` quoted for a POSIX shell (single quotes; a single quote as `'\''`).
    public static func shellQuoted(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) {
            return text
        }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Slurm: the array script (one task per shard) and the merge script.
    public static func slurm(
        _ work: Work, name: String, workingDirectory: String, partition: String?, time: String,
        cpusPerTask: Int
    ) -> (array: String, merge: String) {
        let q = shellQuoted
        var header = [
            "#!/bin/bash", "#SBATCH --job-name=\(q("takt-\(name)"))", "#SBATCH --array=0-\(work.shards - 1)",
            "#SBATCH --cpus-per-task=\(cpusPerTask)", "#SBATCH --time=\(time)",
            "#SBATCH --output=\(q(work.directory))/logs/shard-%a.out",
        ]
        if let partition { header.append("#SBATCH --partition=\(q(partition))") }
        let shardCommand =
            ([q(work.takt), work.command, q(work.file)] + work.arguments.map(q)
            + ["--shards", "\(work.shards)", "--threads", "\(cpusPerTask)", "--quiet"]).joined(separator: " ")
        let array =
            (header + [
                "# Written by `takt submit slurm`: shard $SLURM_ARRAY_TASK_ID of \(work.shards) (takt reads the index itself).",
                "set -euo pipefail",
                "cd \(q(workingDirectory))",
                "exec \(shardCommand) --out \(q(work.directory))/shard-\"$SLURM_ARRAY_TASK_ID\"",
            ]).joined(separator: "\n") + "\n"
        var mergeHeader = [
            "#!/bin/bash", "#SBATCH --job-name=\(q("takt-\(name)-merge"))", "#SBATCH --cpus-per-task=1",
            "#SBATCH --time=\(time)", "#SBATCH --output=\(q(work.directory))/logs/merge.out",
        ]
        if let partition { mergeHeader.append("#SBATCH --partition=\(q(partition))") }
        let merge =
            (mergeHeader + [
                "# Written by `takt submit slurm`: runs after every shard succeeded (--dependency=afterok).",
                "set -euo pipefail",
                "cd \(q(workingDirectory))",
                "exec \(q(work.takt)) merge \(q(work.directory))/shard-* --out \(q(work.directory))/merged --report \(q(work.directory))/report.html",
            ]).joined(separator: "\n") + "\n"
        return (array, merge)
    }

    /// Kubernetes: a batch/v1 Indexed Job of the shards and a merge Job that waits for every
    /// shard's output on the shared volume, in one manifest.
    public static func kubernetes(
        _ work: Work, name: String, image: String, parallelism: Int, cpu: String, memory: String,
        claim: String, workingDirectory: String
    ) -> String {
        let job = kubernetesName("takt-\(name)")
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let shardArgs =
            [work.command, work.file] + work.arguments
            + ["--shards", "\(work.shards)", "--quiet", "--out", "\(work.directory)/shard-$(JOB_COMPLETION_INDEX)"]
        let mergeArgs = [
            "merge", "\(work.directory)/shard-*", "--out", "\(work.directory)/merged", "--report",
            "\(work.directory)/report.html",
        ]
        let wait =
            "until [ \"$(ls \(work.directory)/shard-*/shard.json 2>/dev/null | wc -l)\" -ge \(work.shards) ]; do sleep 10; done"
        /// A container: its name, command and arguments, with the shared volume mounted.
        func container(_ name: String, command: [String], args: [String], resources: Bool) -> [String] {
            var lines = [
                "    - name: \(name)", "      image: \(quoted(image))", "      workingDir: \(quoted(workingDirectory))",
                "      command:",
            ]
            lines += command.map { "        - \(quoted($0))" }
            if !args.isEmpty { lines += ["      args:"] + args.map { "        - \(quoted($0))" } }
            if resources {
                lines += [
                    "      resources:", "        requests: { cpu: \(quoted(cpu)), memory: \(quoted(memory)) }",
                    "        limits: { cpu: \(quoted(cpu)), memory: \(quoted(memory)) }",
                ]
            }
            return lines + [
                "      volumeMounts:", "        - name: work", "          mountPath: \(quoted(work.directory))",
            ]
        }
        /// A Job whose pod spec holds `pod` (indented under `spec.template.spec`).
        func jobLines(_ suffix: String, component: String, spec: [String], pod: [String]) -> [String] {
            [
                "apiVersion: batch/v1", "kind: Job", "metadata:", "  name: \(job)-\(suffix)",
                "  labels: { app.kubernetes.io/name: takt, app.kubernetes.io/component: \(component) }", "spec:",
            ] + spec.map { "  " + $0 } + ["  template:", "    spec:", "      restartPolicy: Never"]
                + pod.map { "      " + $0 }
                + [
                    "      volumes:", "        - name: work",
                    "          persistentVolumeClaim: { claimName: \(quoted(claim)) }",
                ]
        }
        let shards = jobLines(
            "shards", component: "shard",
            spec: [
                "completionMode: Indexed", "completions: \(work.shards)", "parallelism: \(parallelism)",
                "backoffLimit: \(max(2, work.shards))",
            ],
            pod: ["containers:"] + container("shard", command: [work.takt], args: shardArgs, resources: true))
        let merge = jobLines(
            "merge", component: "merge", spec: ["completions: 1", "backoffLimit: 2"],
            pod: ["initContainers:"]
                + container("wait-for-shards", command: ["/bin/sh", "-c", wait], args: [], resources: false)
                + ["containers:"] + container("merge", command: [work.takt], args: mergeArgs, resources: false))
        let comment = [
            "# Written by `takt submit k8s`: \(work.shards) shards as an Indexed Job (each pod computes the",
            "# shard its JOB_COMPLETION_INDEX names), and a merge Job that waits for all of them on the",
            "# shared volume. Apply with `kubectl apply -f FILE`.",
        ]
        return (comment + shards + ["---"] + merge).joined(separator: "\n") + "\n"
    }

    /// A Kubernetes object name: lower-case letters, digits and `-`, at most 52 characters
    /// (a Job's pods add a suffix to its name).
    static func kubernetesName(_ text: String) -> String {
        var name = String(
            text.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
                .prefix(52))
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "takt" : name
    }
}
