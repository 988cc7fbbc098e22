import Foundation
import Testing
import TaktExperiment
import TaktScenario

/// The flagship's 3 days with `replications`, at each value of the CONWIP cap in `caps`.
private func points(_ caps: [Int], replications: Int) throws -> [Scenario] {
    try caps.map { cap in
        try flagship(["horizon=3d", "replications=\(replications)", "mes.release.wip_cap=\(cap)"])
    }
}

/// The shards of `scenarios` split `shards` ways, each written to and read back from JSON as
/// `takt merge` reads them.
private func shardFiles(_ scenarios: [Scenario], shards: Int) async throws -> [ShardFile] {
    let all = Sharding.units(points: scenarios.count, replications: scenarios[0].replications)
    var files: [ShardFile] = []
    for shard in 0..<shards {
        let range = Sharding.range(shard: shard, of: shards, count: all.count)
        let parts = try await Sharding.run(scenarios, units: Array(all[range]), parallelism: 2, trace: TraceSettings())
        let file = ShardFile(
            command: "sweep", file: "x.yaml", scenarioSHA256: "0", overrides: [], vary: [], kpis: [],
            seed: scenarios[0].seed, replications: scenarios[0].replications, taktVersion: "t", shard: shard,
            shards: shards, units: all.count, range: range, parts: parts)
        files.append(try ShardFile.read(JSONEncoder().encode(file), path: "shard-\(shard)"))
    }
    return files
}

private func json(_ results: ExperimentResults) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(results)
}

@Suite("Shards of a run or sweep")
struct ShardingTests {
    @Test("the units are split evenly and each exactly once, whatever the number of shards")
    func evenSplit() {
        for count in [1, 7, 20, 101] {
            for shards in 1...9 {
                let ranges = (0..<shards).map { Sharding.range(shard: $0, of: shards, count: count) }
                #expect(ranges.flatMap { Array($0) } == Array(0..<count))
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
            }
        }
    }

    @Test("merging 1, 3, 4 or 7 shards gives the unsharded results byte for byte", arguments: [1, 3, 4, 7])
    func mergeEqualsUnsharded(_ shards: Int) async throws {
        let scenarios = try points([20, 40], replications: 5)
        let unsharded = try await Experiment.runAll(scenarios, parallelism: 2, trace: TraceSettings())
        let files = try await shardFiles(scenarios, shards: shards)
        let ordered = try ShardFile.check(files.reversed().map { ("shard-\($0.shard)", $0) })
        for (point, scenario) in scenarios.enumerated() {
            let merged = try Sharding.merge(ordered.flatMap(\.parts).filter { $0.point == point }, scenario: scenario)
            #expect(try json(merged) == json(unsharded[point]))
            #expect(merged.trace != nil && merged.orders.count == unsharded[point].orders.count)
        }
    }

    @Test("a missing, duplicated or foreign shard is refused with what is wrong")
    func refusals() async throws {
        let files = try await shardFiles(try points([40], replications: 4), shards: 3)
        #expect(throws: ShardMergeError("shard 2 of 3 is missing: give every shard's output")) {
            try ShardFile.check([("a", files[0]), ("c", files[2])])
        }
        #expect(throws: ShardMergeError("shard 1 of 3 is given twice: a and b")) {
            try ShardFile.check([("a", files[0]), ("b", files[0]), ("c", files[1]), ("d", files[2])])
        }
        var foreign = files[1]
        foreign.seed = 7
        do {
            _ = try ShardFile.check([("a", files[0]), ("b", foreign), ("c", files[2])])
            Issue.record("a shard of another seed was accepted")
        } catch {
            #expect(error.description == "b belongs to another run than a: seed 7, not 2026")
        }
        #expect(throws: ShardMergeError.self) { try ShardFile.read(Data("{}".utf8), path: "x") }
    }

    @Test("a point's parts that leave out a replication are refused")
    func missingReplication() async throws {
        let scenario = try flagship(["horizon=3d", "replications=4"])
        let parts = try await Sharding.run(
            [scenario], units: [WorkUnit(point: 0, replication: 0), WorkUnit(point: 0, replication: 2)])
        #expect(throws: ShardMergeError("replication 1 of 4 is missing")) {
            try Sharding.merge(parts, scenario: scenario)
        }
    }
}
