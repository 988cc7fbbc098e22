import Foundation
import TaktMES
import TaktScenario

/// One unit of work of a run or sweep: a replication of a point (a run has one point).
public struct WorkUnit: Sendable, Codable, Equatable, Hashable {
    public var point: Int
    public var replication: Int

    public init(point: Int, replication: Int) {
        self.point = point
        self.replication = replication
    }
}

/// What one shard computed of one point: some of its replications, summarised as a run of
/// just those would be, and their operation records. ``Sharding/merge(_:scenario:)`` puts the
/// parts of a point back together.
public struct PointPart: Sendable, Codable, Equatable {
    public var point: Int
    /// The replications computed, ascending.
    public var replications: [Int]
    /// Their results; orders are numbered by position in ``replications``.
    public var results: ExperimentResults
    /// Per replication computed: its operations (empty unless the MES records them).
    public var operations: [[OperationRecord]]

    public init(point: Int, replications: [Int], results: ExperimentResults, operations: [[OperationRecord]]) {
        self.point = point
        self.replications = replications
        self.results = results
        self.operations = operations
    }
}

/// A merge that cannot be made: what is wrong with the parts.
public struct ShardMergeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Splitting a run or a sweep into shards and putting the shards' results back together.
///
/// The units of work are every (point, replication), point by point; shard i of n takes a
/// contiguous share of them, `i·U/n ..< (i+1)·U/n` of U units, so shards differ in size by
/// at most one unit. A unit's random streams depend only on the seed and its replication,
/// never on the shard that ran it, so the merge of any number of shards is the unsharded run.
public enum Sharding {
    /// Every unit of a sweep of `points` points of `replications` replications each, point by point.
    public static func units(points: Int, replications: Int) -> [WorkUnit] {
        (0..<points).flatMap { point in (0..<replications).map { WorkUnit(point: point, replication: $0) } }
    }

    /// The positions of shard `shard` (0-based) of `shards` among `count` units.
    public static func range(shard: Int, of shards: Int, count: Int) -> Range<Int> {
        (shard * count / shards)..<((shard + 1) * count / shards)
    }

    /// Runs `units` of `scenarios` (one per point), `parallelism` at a time, and summarises
    /// each point's replications; replication 0 records what the report draws when `trace`
    /// is given.
    public static func run(
        _ scenarios: [Scenario], units: [WorkUnit], parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        trace: TraceSettings? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> [PointPart] {
        let replications = try await Experiment.replicate(
            scenarios, units: units, parallelism: parallelism, trace: trace, progress: progress)
        var parts: [PointPart] = []
        for point in Set(units.map(\.point)).sorted() {
            let mine = zip(units, replications).filter { $0.0.point == point }.sorted {
                $0.0.replication < $1.0.replication
            }
            let results = Experiment.summarise(scenarios[point], mine.map(\.1))
            parts.append(
                PointPart(
                    point: point, replications: mine.map(\.0.replication), results: results,
                    operations: results.operations))
        }
        return parts
    }

    /// The results of one point from its parts: KPI values, orders and operations by
    /// replication, the report's trace from the part with replication 0 — what the unsharded
    /// run of `scenario` gives.
    ///
    /// - Throws: ``ShardMergeError`` when a replication is missing or given twice, or the
    ///   parts disagree on their KPIs.
    public static func merge(_ parts: [PointPart], scenario: Scenario) throws(ShardMergeError) -> ExperimentResults {
        let count = scenario.replications
        var owner = [(part: Int, index: Int)?](repeating: nil, count: count)
        for (p, part) in parts.enumerated() {
            for (index, replication) in part.replications.enumerated() {
                guard replication >= 0, replication < count else {
                    throw ShardMergeError("replication \(replication) does not exist: the scenario has \(count)")
                }
                guard owner[replication] == nil else {
                    throw ShardMergeError("replication \(replication) is given twice")
                }
                owner[replication] = (p, index)
            }
        }
        if let missing = owner.firstIndex(where: { $0 == nil }) {
            throw ShardMergeError("replication \(missing) of \(count) is missing")
        }
        let places = owner.compactMap { $0 }
        guard var merged = parts.first?.results else { throw ShardMergeError("no part to merge") }
        let names = merged.kpis.map(\.name)
        for part in parts where part.results.kpis.map(\.name) != names {
            throw ShardMergeError("the parts have different KPIs: they come from different scenarios or versions")
        }
        merged.kpis = names.indices.map { k in
            let first = merged.kpis[k]
            return KPIResult(
                name: first.name, unit: first.unit,
                values: places.map { parts[$0.part].results.kpis[k].values[$0.index] })
        }
        merged.orders = places.enumerated().flatMap { replication, place in
            parts[place.part].results.orders.filter { $0.replication == place.index }.map { order -> OrderRecord in
                var order = order
                order.replication = replication
                return order
            }
        }
        merged.trace = places.first.flatMap { parts[$0.part].results.trace }
        merged.operations =
            parts.allSatisfy { $0.operations.isEmpty } ? [] : places.map { parts[$0.part].operations[$0.index] }
        merged.replications = count
        return merged
    }
}

extension Experiment {
    /// Runs `units` of `scenarios`, `parallelism` at a time; the replications in the units' order.
    static func replicate(
        _ scenarios: [Scenario], units: [WorkUnit], parallelism: Int, trace: TraceSettings?,
        sideJob: (@Sendable () throws -> Void)? = nil, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> [Replication] {
        try await withThrowingTaskGroup(of: (Int, Replication?).self) { group in
            var results = [Replication?](repeating: nil, count: units.count)
            var next = 0
            var done = 0
            var running = 0
            if let sideJob {
                group.addTask {
                    try sideJob()
                    return (-1, nil)
                }
                running += 1
            }
            func submit() {
                let unit = units[next]
                let scenario = scenarios[unit.point]
                let recorded = unit.replication == 0 ? trace : nil
                let index = next
                group.addTask { (index, try replicate(scenario, replication: unit.replication, trace: recorded)) }
                next += 1
                running += 1
            }
            while next < units.count, running < max(parallelism, 1) { submit() }
            while let (index, result) = try await group.next() {
                running -= 1
                if let result {
                    results[index] = result
                    done += 1
                    progress?(done, units.count)
                }
                if next < units.count { submit() }
            }
            return results.compactMap { $0 }
        }
    }
}
