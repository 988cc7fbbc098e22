import Testing
import TaktExperiment
import TaktScenario

@Suite("Compare and sweep")
struct CompareSweepTests {
    @Test("a scenario compared with itself shows zero differences, none significant")
    func compareWithItself() async throws {
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/first-line.yaml", overrides: ["replications=4"])
        let a = try await Experiment.run(scenario)
        let b = try await Experiment.run(scenario)
        let differences = Comparison.compare(a, b)
        #expect(differences.count == a.kpis.count)
        #expect(differences.allSatisfy { $0.difference == 0 && $0.halfWidth == 0 && !$0.isSignificant })
    }

    @Test("a faster bottleneck is a significant throughput gain under common random numbers")
    func realDifference() async throws {
        let path = "\(repositoryRoot)/scenarios/transfer-line.yaml"
        let a = try await Experiment.run(try ScenarioReader.load(path: path, overrides: ["replications=5"]))
        let b = try await Experiment.run(
            try ScenarioReader.load(path: path, overrides: ["replications=5", "stations[s3].cycle=exp(60s)"]))
        let throughput = try #require(Comparison.compare(a, b).first { $0.name == "throughput" })
        #expect(throughput.difference > 0 && throughput.isSignificant)
    }

    @Test("the grid has one point per combination, the first path varying slowest")
    func gridOrder() {
        let points = SweepGrid.points([("a", ["1", "2"]), ("b", ["x", "y", "z"])])
        #expect(points.count == 6)
        #expect(
            points.map { $0.joined(separator: " ") } == [
                "a=1 b=x", "a=1 b=y", "a=1 b=z", "a=2 b=x", "a=2 b=y", "a=2 b=z",
            ])
    }

    @Test("sweep values split at commas outside parentheses")
    func varyParsing() throws {
        let parsed = try #require(SweepGrid.parse("stations[s3].cycle=exp(60s),normal(60s, 5s)"))
        #expect(parsed.path == "stations[s3].cycle")
        #expect(parsed.values == ["exp(60s)", "normal(60s, 5s)"])
        #expect(SweepGrid.parse("nothing") == nil)
        #expect(SweepGrid.parse("a=1,,2") == nil)
    }
}

@Suite("JSON Schema")
struct SchemaTests {
    @Test("the schema allows exactly the keys the reader accepts")
    func keysMatchReader() {
        #expect(ScenarioSchema.topLevelKeys == ScenarioReader.topLevelKeys.sorted())
        #expect(ScenarioSchema.stationKeys == ScenarioReader.stationKeys.sorted())
    }
}

@Suite("Sweeps in parallel")
struct SweepParallelTests {
    @Test("running sweep points together gives the same results as one at a time, at any parallelism")
    func pooledEqualsSequential() async throws {
        let path = "\(repositoryRoot)/scenarios/first-line.yaml"
        let scenarios = try SweepGrid.points([("stations[weld].buffer", ["1", "3"]), ("replications", ["2", "3"])]).map
        {
            try ScenarioReader.load(path: path, overrides: $0)
        }
        var oneByOne: [ExperimentResults] = []
        for scenario in scenarios { oneByOne.append(try await Experiment.run(scenario, parallelism: 1)) }
        let pooled = try await Experiment.runAll(scenarios, parallelism: 3)
        #expect(pooled == oneByOne)
    }
}
