// Takt's benchmark suite (ordo-one/benchmark). Run with:
//   TAKT_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
// Groups follow SimPy's: frequent (calendar push/pop), targeted, whole simulation.

import Benchmark
import Foundation
import TaktExperiment
import TaktKernel
import TaktMES
import TaktPlant
import TaktReport
import TaktScenario

/// Keeps one simulation alive across iterations, so measurements see the steady state
/// (heap storage already grown) rather than set-up.
final class HoldModelRun: @unchecked Sendable {
    var simulation: Simulation<HoldModel>

    init(pending: Int) {
        simulation = HoldModel.simulation(pending: pending, seed: 1)
        simulation.run(events: UInt64(max(pending, 100_000)))
    }
}

/// Keeps one plant simulation alive across iterations (see ``HoldModelRun``).
final class TransferLineRun: @unchecked Sendable {
    var simulation: Simulation<Plant<FirstInFirstOut>>

    init(full: Bool) {
        // The reference layouts use valid parameters only.
        let layout = try! full ? TransferLine.fullFeaturedLayout() : TransferLine.layout()
        simulation = try! PlantRun.simulation(layout, seed: 1)
        simulation.run(events: 1_000_000)
    }
}

/// The flagship scenario, read from scenarios/ next to this package.
func flagship() -> Scenario {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    // The bundled scenario is valid (its golden test reads it).
    return try! ScenarioReader.load(path: root.appendingPathComponent("scenarios/smt-router-line.yaml").path)
}

/// The flagship line under its MES (orders, CONWIP, EDD, live WIP and OEE), kept alive
/// across iterations (see ``HoldModelRun``).
final class FlagshipMESRun: @unchecked Sendable {
    var simulation: Simulation<Plant<MES<EDDRule>>>

    init() {
        let scenario = flagship()
        // The flagship's MES settings are valid (its golden test runs them).
        let mes = try! MES(
            layout: scenario.layout, settings: scenario.mes!.settings, rule: EDDRule(),
            idealCycle: scenario.idealCycles, seed: scenario.seed, replication: 0)
        simulation = try! Experiment.startedSimulation(scenario, replication: 0, controller: mes)
        simulation.run(events: 1_000_000)
    }
}

/// The same line under the minimal default policy (release on arrival, first in first out).
final class FlagshipDefaultRun: @unchecked Sendable {
    var simulation: Simulation<Plant<FirstInFirstOut>>

    init() {
        let scenario = Experiment.withDefaultPolicy(flagship())
        simulation = try! Experiment.startedSimulation(scenario, replication: 0, controller: FirstInFirstOut())
        simulation.run(events: 1_000_000)
    }
}

/// The flagship's results with its operation records (2 replications of 14 days, about 20 MB
/// of operations.csv), made once; each iteration writes every file of `takt run --out`.
final class OutputRun: @unchecked Sendable {
    let results: ExperimentResults
    let scenario: Scenario
    let directory = NSTemporaryDirectory() + "takt-benchmark-output-\(ProcessInfo.processInfo.processIdentifier)"

    init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        scenario = try ScenarioReader.load(
            path: root.appendingPathComponent("scenarios/smt-router-line.yaml").path,
            overrides: ["replications=2", "mes.record_operations=true"])
        results = try await Experiment.run(scenario, trace: TraceSettings())
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A bundled scenario, read from scenarios/ next to this package.
func bundledScenario(_ file: String) -> Scenario {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    // The bundled scenarios are valid (their golden tests read them).
    return try! ScenarioReader.load(path: root.appendingPathComponent("scenarios/\(file)").path)
}

/// A simulation kept in a box so that a closure can run it on.
final class SimulationBox<Model: DiscreteEventModel> {
    var simulation: Simulation<Model>
    init(_ simulation: Simulation<Model>) { self.simulation = simulation }
}

/// Starts the scenario's replication 0 under its MES with the scenario's dispatching rule and
/// returns a closure that runs it on by a number of events. The closure is made where the rule
/// is concrete, so the simulation inside it is specialised; calling it costs one indirect
/// call per iteration, not per event.
struct StartMESRun: DispatchRuleVisitor {
    let scenario: Scenario

    func visit<Rule: DispatchRule>(_ rule: Rule) throws -> @Sendable (UInt64) -> SimTime {
        let mes = try MES(
            layout: scenario.layout, settings: scenario.mes!.settings, rule: rule, idealCycle: scenario.idealCycles,
            seed: scenario.seed, replication: 0)
        let box = SimulationBox(try Experiment.startedSimulation(scenario, replication: 0, controller: mes))
        box.simulation.run(events: 1_000_000)
        nonisolated(unsafe) let running = box
        return { events in
            running.simulation.run(events: events)
            return running.simulation.now
        }
    }
}

/// The rules scenario with its rules, or the same scenario with its `rules:` list removed
/// (maintenance, incidents, SPC and traceability stay): the rules-cost target.
final class RulesScenarioRun: @unchecked Sendable {
    let run: @Sendable (UInt64) -> SimTime

    init(rules: Bool) {
        var scenario = bundledScenario("smt-router-rules.yaml")
        if !rules { scenario.mes!.settings.rules.rules = [] }
        run = try! scenario.visitDispatchRule(StartMESRun(scenario: scenario))
    }
}

/// A generated scenario of `stations` stations in a row, every feature written out.
func generatedScenario(stations: Int) -> String {
    var yaml = "name: generated\nhorizon: 8h\nwarmup: 1h\nstations:\n"
    for s in 0..<stations {
        yaml += """
              - id: s\(s)
                cycle: normal(\(20 + s % 7)s, 1.5s)
                buffer: 4
                failures: { between: exp(9h), repair: "lognormal(mean: 20m, sd: 10m)" }
                energy: { busy: 4.5kW, idle: 1.2kW, down: 0.3kW }

            """
    }
    yaml += "products:\n  - id: p\n    route: [" + (0..<stations).map { "s\($0)" }.joined(separator: ", ") + "]\n"
    yaml += "sources:\n  - { product: p, supply: unlimited }\n"
    return yaml
}

/// What `baseline check` holds the line to: more than 10% more wall-clock time per 10⁶ events
/// at the median fails, and so does any malloc: its steady state has none. CPU time comes in
/// 10 ms ticks (9% of an iteration) and throughput is shown in whole millions, too coarse to
/// judge by, so both are reported but not checked. (A metric without an entry here gets the
/// library's 5% defaults.)
var lineThresholds: [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p50: 10]),
        .cpuTotal: .init(relative: [:]),
        .throughput: .init(relative: [:]),
        .mallocCountTotal: .init(absolute: [.p50: 0, .p100: 0]),
    ]
}

/// The same for the flagship's MES, whose mallocs are the records it keeps (work orders as
/// they arrive, SPC signals with their suspect units), about 3,100 per 10⁶ events over a
/// long run: more than 5% more of them fails.
var mesThresholds: [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p50: 10]),
        .cpuTotal: .init(relative: [:]),
        .throughput: .init(relative: [:]),
        .mallocCountTotal: .init(relative: [.p50: 5]),
    ]
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        // retainCount/releaseCount would need the Swift runtime hooks, which crash under Swift 6.3
        // (ordo-one/benchmark#349); ARC traffic is checked with perf instead (docs/performance.md).
        metrics: [.cpuTotal, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .mega,
        maxDuration: .seconds(5),
        maxIterations: 20
    )

    for pending in [64, 10_000] {
        // Each iteration executes 1,000,000 hold events: throughput (scaled) is events/s.
        Benchmark("HoldModel\(pending)") { benchmark, run in
            benchmark.startMeasurement()
            run.simulation.run(events: UInt64(benchmark.scaledIterations.count))
            benchmark.stopMeasurement()
            blackHole(run.simulation.now)
        } setup: {
            HoldModelRun(pending: pending)
        }
    }

    Benchmark("MM1Rho09", configuration: .init(scalingFactor: .one, maxIterations: 5)) { benchmark in
        let interarrival = try Distribution.exponential(mean: 1 / 0.9)
        let service = try Distribution.exponential(mean: 1)
        for _ in benchmark.scaledIterations {
            blackHole(
                SingleServerQueue.replicate(
                    interarrival: interarrival, service: service, warmup: 10_000, runLength: 1_000_000,
                    seed: 1, replication: 0))
        }
    }

    // Each iteration executes 1,000,000 events of the 5-station line; throughput is events/s.
    for full in [false, true] {
        Benchmark(
            full ? "TransferLineFull" : "TransferLine",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal], warmupIterations: 1,
                scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20, thresholds: lineThresholds)
        ) { benchmark, run in
            benchmark.startMeasurement()
            run.simulation.run(events: UInt64(benchmark.scaledIterations.count))
            benchmark.stopMeasurement()
            blackHole(run.simulation.now)
        } setup: {
            TransferLineRun(full: full)
        }
    }

    // The MES target: the flagship under its MES runs at ≥ 50% of the events/s of the same
    // line under the default policy. Each iteration executes 1,000,000 events.
    Benchmark(
        "FlagshipMES",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal], warmupIterations: 1,
            scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20, thresholds: mesThresholds)
    ) { benchmark, run in
        benchmark.startMeasurement()
        run.simulation.run(events: UInt64(benchmark.scaledIterations.count))
        benchmark.stopMeasurement()
        blackHole(run.simulation.now)
    } setup: {
        FlagshipMESRun()
    }
    Benchmark("FlagshipDefaultPolicy") { benchmark, run in
        benchmark.startMeasurement()
        run.simulation.run(events: UInt64(benchmark.scaledIterations.count))
        benchmark.stopMeasurement()
        blackHole(run.simulation.now)
    } setup: {
        FlagshipDefaultRun()
    }

    // The rules target: the rules scenario's MES rules cost at most 20% of the events/s of
    // the same scenario without them. Each iteration executes 1,000,000 events.
    for rules in [true, false] {
        Benchmark(rules ? "RulesOn" : "RulesOff") { benchmark, run in
            benchmark.startMeasurement()
            blackHole(run.run(UInt64(benchmark.scaledIterations.count)))
            benchmark.stopMeasurement()
        } setup: {
            RulesScenarioRun(rules: rules)
        }
    }

    // Output at disk speed: every file of `takt run --out` for 2 flagship replications with their
    // operations. Guarded on wall clock, mallocs and peak memory.
    Benchmark(
        "OutputWriting",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], warmupIterations: 1,
            scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10,
            thresholds: [
                // Wall clock, not CPU time: CPU time comes in 10 ms ticks, too coarse for a 60 ms write.
                .wallClock: .init(relative: [.p50: 15]), .mallocCountTotal: .init(relative: [.p50: 1]),
                .peakMemoryResident: .init(relative: [.p50: 15]),
            ])
    ) { benchmark, run in
        for _ in benchmark.scaledIterations {
            do {
                try ResultsFiles.write(run.results, scenario: run.scenario, to: run.directory)
            } catch {
                benchmark.error("writing the results failed: \(error)")
            }
        }
    } setup: {
        try await OutputRun()
    }

    // Parsing and building a 200-station scenario: target under 200 ms.
    Benchmark(
        "ParseScenario200",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxIterations: 20)
    ) { benchmark, yaml in
        for _ in benchmark.scaledIterations {
            blackHole(try ScenarioReader.parse(yaml: yaml, file: "generated.yaml"))
        }
    } setup: {
        generatedScenario(stations: 200)
    }
}
