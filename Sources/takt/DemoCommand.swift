import ArgumentParser
import TaktKernel

/// `takt demo …`: built-in models with known answers.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a built-in model and compare it with its analytic answer.",
        subcommands: [MM1Demo.self]
    )
}

/// `takt demo mm1`: the M/M/1 queue against its textbook formulas.
struct MM1Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mm1",
        abstract: "Simulate an M/M/1 queue and print its KPIs beside the analytic values.",
        discussion: """
            Customers arrive at rate λ = ρ and are served at rate μ = 1 (time unit: seconds). \
            Each KPI is the mean over replications with a Student-t 95% confidence interval; \
            the last column says whether the interval contains the analytic value, which it \
            should do in about 95 of 100 runs.
            """
    )

    @Option(help: "Traffic intensity ρ = λ/μ, between 0 and 1.")
    var rho = 0.9

    @Option(help: "Independent replications (at least 2).")
    var replications = 10

    @Option(help: "Warm-up discarded at the start of each replication, in seconds.")
    var warmup = 10_000.0

    @Option(name: .customLong("run-length"), help: "Observation time per replication after the warm-up, in seconds.")
    var runLength = 400_000.0

    @Option(help: "Scenario seed; streams derive from (seed, replication, stream name).")
    var seed: UInt64 = 2026

    @Option(help: "GSL generator.")
    var generator = GeneratorKind.standard

    func validate() throws {
        guard rho > 0, rho < 1 else {
            throw ValidationError("--rho must lie strictly between 0 and 1 for a stable queue; found \(rho)")
        }
        guard (2...100_000).contains(replications) else {
            throw ValidationError(
                "--replications must be from 2 (for a confidence interval) to 100000; found \(replications)")
        }
        guard warmup >= 0, warmup <= 1e9 else {
            throw ValidationError("--warmup must be from 0 to 1e9 seconds; found \(warmup)")
        }
        guard runLength > 0, runLength <= 1e9 else {
            throw ValidationError("--run-length must be more than 0 and at most 1e9 seconds; found \(runLength)")
        }
    }

    func run() throws {
        let lambda = rho, mu = 1.0
        let interarrival = try Distribution.exponential(mean: 1 / lambda)
        let service = try Distribution.exponential(mean: 1 / mu)
        let results = (0..<replications).map { replication in
            SingleServerQueue.replicate(
                interarrival: interarrival, service: service, warmup: warmup, runLength: runLength,
                seed: seed, replication: replication, kind: generator)
        }
        let rows: [(String, KeyPath<SingleServerQueue.Results, Double>, Double)] = [
            ("mean time in system W (s)", \.meanTimeInSystem, 1 / (mu - lambda)),
            ("mean wait in queue Wq (s)", \.meanWaitInQueue, rho / (mu - lambda)),
            ("mean number in system L", \.meanInSystem, rho / (1 - rho)),
            ("mean number in queue Lq", \.meanInQueue, rho * rho / (1 - rho)),
            ("server utilisation", \.utilisation, rho),
            ("throughput (1/s)", \.throughput, lambda),
        ]
        print("M/M/1 queue: λ = \(format(lambda, decimals: 3))/s, μ = 1/s, ρ = \(format(rho, decimals: 3))")
        print(
            "\(replications) replications × \(format(runLength, decimals: 0)) s after a warm-up of \(format(warmup, decimals: 0)) s; seed \(seed); generator \(generator.gslName) (GSL \(GSLLibrary.version))"
        )
        print("")
        print(pad("KPI", 28) + pad("simulated (95% CI)", 26) + pad("analytic", 12, alignRight: true) + "  CI covers it")
        for (label, path, exact) in rows {
            let interval = try ConfidenceInterval(values: results.map { $0[keyPath: path] })
            let shown = "\(format(interval.mean, decimals: 4)) ± \(format(interval.halfWidth, decimals: 4))"
            print(
                pad(label, 28) + pad(shown, 26) + pad(format(exact, decimals: 4), 12, alignRight: true)
                    + "  " + (interval.contains(exact) ? "yes" : "no"))
        }
        let littleGap = results.map { abs($0.meanInSystem - $0.throughput * $0.meanTimeInSystem) / $0.meanInSystem }
        print("")
        print(
            "Little's law L = λW, largest gap in one replication: \(format(100 * (littleGap.max() ?? 0), decimals: 3))%"
        )
    }
}
