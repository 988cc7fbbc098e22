import Foundation
import ArgumentParser
import TaktKernel
import TaktLive
import TaktPlant
import TaktExperiment
import TaktScenario
import TaktStore

/// `takt bench …`: measure this machine's speed on the standard models.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation speed on this machine.",
        subcommands: [
            HoldBench.self, LineBench.self, ScenarioBench.self, StoreBench.self, TraceBench.self, LiveBench.self,
        ]
    )
}

extension GeneratorKind: ExpressibleByArgument {}

/// `takt bench hold`: the hold model, one pop and one push per event.
struct HoldBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Run the hold model and print events per CPU-second (last line)."
    )

    @Option(help: "Events pending in the calendar at all times.")
    var pending = 10_000

    @Option(help: "Events to time, after an untimed warm-up of as many.")
    var events = 10_000_000

    @Option(help: "GSL generator: \(GeneratorKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var generator = GeneratorKind.standard

    @Option(help: "Seed of the hold-time stream.")
    var seed: UInt64 = 1

    func validate() throws {
        // Each pending event takes 32 bytes, allocated at the start: 10⁸ is 3.2 GB.
        guard (1...100_000_000).contains(pending) else {
            throw ValidationError("--pending must be from 1 to 100000000; found \(pending)")
        }
        guard (1...1_000_000_000_000).contains(events) else {
            throw ValidationError("--events must be from 1 to 1000000000000; found \(events)")
        }
    }

    func run() throws {
        var simulation = HoldModel.simulation(pending: pending, seed: seed, kind: generator)
        simulation.run(events: UInt64(events))
        let start = processCPUSeconds()
        simulation.run(events: UInt64(events))
        let seconds = processCPUSeconds() - start
        print(
            "hold model: \(pending) pending, \(events) events, generator \(generator.gslName) (GSL \(GSLLibrary.version))"
        )
        print("cpu seconds: \(format(seconds, decimals: 3))")
        print("events/s: \(Int((Double(events) / seconds).rounded()))")
    }
}

/// `takt bench line`: the 5-station transfer line built through the plant model.
struct LineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line",
        abstract: "Run the 5-station benchmark line; print events/s and parts/s (last two lines)."
    )

    @Option(help: "Parts to time (about five events each), after an untimed warm-up of as many.")
    var parts = 2_000_000

    @Option(help: "Seed of the line's streams.")
    var seed: UInt64 = 1

    @Flag(help: "Switch every plant feature on: product mix with setups, failures, breaks, energy, measurements.")
    var full = false

    func validate() throws {
        guard (1...100_000_000_000).contains(parts) else {
            throw ValidationError("--parts must be from 1 to 100000000000; found \(parts)")
        }
    }

    func run() throws {
        let layout = try full ? TransferLine.fullFeaturedLayout() : TransferLine.layout()
        var simulation = try PlantRun.simulation(layout, seed: seed)
        let events = UInt64(parts) * UInt64(TransferLine.means.count)
        simulation.run(events: events)
        let shippedBefore = simulation.model.lifetimeCounts.shipped
        let start = processCPUSeconds()
        simulation.run(events: events)
        let seconds = processCPUSeconds() - start
        let shipped = simulation.model.lifetimeCounts.shipped - shippedBefore
        print(
            "5-station line, buffers of 5: \(events) events, \(shipped) parts, generator \(GeneratorKind.standard.gslName) (GSL \(GSLLibrary.version))"
        )
        print("cpu seconds: \(format(seconds, decimals: 3))")
        print("events/s: \(Int((Double(events) / seconds).rounded()))")
        print("parts/s: \(Int((Double(shipped) / seconds).rounded()))")
    }
}

/// `takt bench scenario FILE`: events per CPU-second of one replication of a scenario.
struct ScenarioBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run one replication of a scenario and print events per CPU-second (last line).",
        discussion: """
            With --default-policy the scenario's MES is replaced by the minimal default policy: a \
            plain source making the orders' product mix in runs of the mean order size, first in \
            first out everywhere — the same line, for measuring what the MES costs.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Flag(help: "Drive the line with the minimal default policy instead of the scenario's MES.")
    var defaultPolicy = false

    @Option(help: "Replications timed one after another (their events and CPU time are summed).")
    var replications = 5

    @Option(name: .customLong("set"), help: "Override any value: path=value (repeatable).")
    var overrides: [String] = []

    func validate() throws {
        guard (1...100_000).contains(replications) else {
            throw ValidationError("--replications must be from 1 to 100000, as in a scenario; found \(replications)")
        }
    }

    func run() throws {
        var scenario = try loadScenario(file, overrides: overrides)
        if defaultPolicy { scenario = Experiment.withDefaultPolicy(scenario) }
        var events: UInt64 = 0
        var shipped = 0
        var seconds = 0.0
        for replication in 0..<replications {
            let measured = try Experiment.measureEvents(scenario, replication: replication)
            events += measured.events
            shipped += measured.shipped
            seconds += measured.seconds
        }
        print(
            "\(scenario.name)\(defaultPolicy ? " (default policy)" : scenario.mes != nil ? " (MES)" : ""): \(events) events in \(replications) replications of \(Format.duration(scenario.horizon))"
        )
        print("cpu seconds: \(format(seconds, decimals: 3))")
        print("units/s: \(Int((Double(shipped) / seconds).rounded()))")
        print("events/s: \(Int((Double(events) / seconds).rounded()))")
    }
}

/// `takt bench store`: how fast trace records go into SQLite.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Write synthetic trace records to a temporary SQLite store; print records per CPU-second (last line)."
    )

    @Option(help: "Records to write.")
    var records = 1_000_000

    func validate() throws {
        guard records >= 1 else { throw ValidationError("records must be at least 1") }
    }

    func run() throws {
        let path = scratchStorePath("bench")
        defer { removeStore(path) }
        let rate = try TraceStore.measureWriting(records: records, to: path)
        print("records/s: \(Int(rate.rounded()))")
    }
}

/// `takt bench trace FILE`: one replication with and without its trace store.
struct TraceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract:
            "Run replication 0 of a scenario untraced, then traced into a temporary store; print the ratio (last line)."
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .customLong("set"), help: "Override any value: path=value (repeatable).")
    var overrides: [String] = []

    func run() throws {
        let scenario = try loadScenario(file, overrides: overrides)
        let path = scratchStorePath("trace")
        defer { removeStore(path) }
        let untraced = try Experiment.measureEvents(scenario, replication: 0).seconds
        let traced = try TracedRun.run(scenario, to: path)
        print("untraced cpu seconds: \(format(untraced, decimals: 3))")
        print("traced cpu seconds: \(format(traced.seconds, decimals: 3)) (\(traced.rows) records)")
        print("ratio: \(format(traced.seconds / untraced, decimals: 2))")
        let verifying = clock()
        let report = try AuditVerification.check(path)
        let seconds = Double(clock() - verifying) / Double(CLOCKS_PER_SEC)
        print(
            "audit verify: \(report.rows) rows in \(format(seconds, decimals: 3)) cpu seconds (\(format(Double(report.rows) / seconds / 1e6, decimals: 2)) M rows/s), \(report.findings.isEmpty ? "intact" : "\(report.findings.count) findings")"
        )
    }
}

/// A temporary trace-store path for a benchmark.
func scratchStorePath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
        "takt-\(name)-\(ProcessInfo.processInfo.processIdentifier).sqlite"
    ).path
}

/// Removes a store and its WAL files.
func removeStore(_ path: String) {
    for suffix in ["", "-wal", "-shm", ".seal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// `takt bench live FILE`: one replication's live session core, run to its horizon without a
/// server (the reference for the cost of serving it).
struct LiveBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract:
            "Run replication 0 through the live session core, no server, and print events per CPU-second (last line)."
    )

    @Argument(help: "The scenario file (with an `mes:` section).")
    var file: String

    @Option(help: "Slices of simulated time the session is advanced in, as a server at max speed would.")
    var slice = 3_600.0

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a scenario value, e.g. horizon=60d.", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        guard slice > 0, slice.isFinite else { throw ValidationError("--slice is a number of seconds above 0") }
    }

    func run() throws {
        let scenario = try loadScenario(file, overrides: overrides)
        let header = SessionLog.Header(
            scenario: scenario.name, file: file, scenarioSHA256: "", overrides: overrides, seed: scenario.seed,
            replication: 0, taktVersion: Takt.configuration.version, started: "")
        let session: LiveSession
        do {
            session = try LiveSession(scenario: scenario, header: header)
        } catch {
            throw failBadInput("\(error)")
        }
        let start = processCPUSeconds()
        while !session.isFinished { try session.advance(to: session.now + slice) }
        let seconds = processCPUSeconds() - start
        print(
            "live session core: \(scenario.name), \(session.executedEvents) events in \(format(seconds, decimals: 3)) cpu seconds"
        )
        print("events/s: \(Int((Double(session.executedEvents) / seconds).rounded()))")
    }
}
