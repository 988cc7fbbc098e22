import Foundation
import Testing
import TaktExperiment
import TaktScenario

/// One machine, two products (1 min and 4 min) in equal shares, orders of one unit every
/// exp(3 min): 83% utilisation, where the dispatching rule matters.
func dispatchScenario(_ rule: String, seed: Int = 11, replications: Int = 10) throws -> Scenario {
    try ScenarioReader.parse(
        yaml: """
            name: dispatch-check
            horizon: 3d
            warmup: 8h
            replications: \(replications)
            seed: \(seed)
            products:
              - { id: short, route: [cell] }
              - { id: long, route: [cell] }
            stations:
              - { id: cell, cycle: { default: const(1m), long: const(4m) } }
            mes:
              orders: { generate: { every: exp(3m), quantity: 1, due_in: 2h, mix: { short: 0.5, long: 0.5 } } }
              dispatch: \(rule)
            assert:
              - "mean(order.lead_time) <= 2h"
              - "oee(cell) >= 0.99"
              - "throughput > 0"
            """, file: "check.yaml")
}

/// A scenario with one station `cell` whose only assertion is `text` (on line 6).
func oneCellYAML(asserting text: String) -> String {
    """
    name: x
    horizon: 1h
    products: [{ id: a, route: [cell] }]
    stations: [{ id: cell, cycle: 1m }]
    sources: [{ product: a, every: 2m }]
    assert: ["\(text)"]
    """
}

/// `text` read as the one assertion of ``oneCellYAML(asserting:)`` (to judge it on another
/// scenario's results).
func oneCellAssertion(_ text: String) throws -> Assertion {
    try ScenarioReader.parse(yaml: oneCellYAML(asserting: text), file: "x.yaml").assertions[0]
}

@Suite struct CheckAgainstABaseline {
    /// `results` compared with `baseline` as `takt check` does (the baseline kept as its file keeps it).
    func compare(_ results: ExperimentResults, with baseline: ExperimentResults) -> RegressionReport {
        Check.regressions(results, baseline: BaselineRun(baseline))
    }

    @Test func aWorseDispatchRuleIsARegression() async throws {
        let baseline = try await Experiment.run(try dispatchScenario("spt"))
        let worse = try await Experiment.run(try dispatchScenario("lpt"))
        let failed = Set(compare(worse, with: baseline).verdicts.filter { $0.verdict == .fail }.map(\.kpi))
        #expect(failed.contains("order_lead_time"))
        #expect(failed.contains("work_in_process"))
    }

    @Test func theSameScenarioAndSeedIsNoRegression() async throws {
        let baseline = try await Experiment.run(try dispatchScenario("spt"))
        let again = try await Experiment.run(try dispatchScenario("spt"))
        let report = compare(again, with: baseline)
        #expect(report.verdicts.allSatisfy { $0.verdict == .pass })
    }

    @Test func everyKPITheRunProducesIsCompared() async throws {
        let results = try await Experiment.run(try dispatchScenario("spt"))
        let report = compare(results, with: results)
        #expect(report.verdicts.map(\.kpi).sorted() == results.kpis.map(\.name).sorted())
        #expect(report.verdicts.count > 50)
    }

    @Test func anotherSeedStreamRarelyRaisesAFalseAlarm() async throws {
        // Every KPI is compared (about 90 here), with Holm's correction over those tested, so
        // the chance that a run with other random numbers (no real change) fails on any KPI
        // is at most 5%. Over 60 seeds a binomial(60, 0.05) exceeds 8 with probability below
        // 0.5%.
        let baseline = BaselineRun(try await Experiment.run(try dispatchScenario("spt")))
        var alarms = 0
        var family = 0
        let trials = 60
        for seed in 1_000..<(1_000 + trials) {
            let other = try await Experiment.run(try dispatchScenario("spt", seed: seed))
            let report = Check.regressions(other, baseline: baseline)
            family = report.family
            if report.verdicts.contains(where: { $0.verdict == .fail }) { alarms += 1 }
        }
        print("takt check false-alarm rate: \(alarms)/\(trials) runs with another seed stream, \(family) KPIs tested")
        #expect(family > 50)
        #expect(alarms <= 8)
    }

    @Test func assertionsAreJudgedOnTheConfidenceInterval() async throws {
        let scenario = try dispatchScenario("spt")
        let results = try await Experiment.run(scenario)
        let verdicts = scenario.assertions.map { Check.judge($0, results: results) }
        // Lead time with SPT: about 0.2 h, far below 2 h; OEE about 0.83 < 0.99; throughput > 0.
        #expect(verdicts.map(\.verdict) == [.pass, .fail, .pass])
    }

    @Test func anAssertionStraddlingItsLimitIsInconclusive() async throws {
        let scenario = try dispatchScenario("spt")
        let results = try await Experiment.run(scenario)
        let oee = try #require(results.kpi("oee[cell]"))
        // A limit at the mean lies inside the interval.
        let assertion = try oneCellAssertion("oee(cell) >= \(oee.mean)")
        #expect(Check.judge(assertion, results: results).verdict == .inconclusive)
    }

    @Test func oneReplicationLeavesEveryAssertionInconclusive() async throws {
        // `throughput > 0` holds in any run, but one run gives no interval to judge it on.
        let results = try await Experiment.run(try dispatchScenario("spt", replications: 1))
        let verdicts = try dispatchScenario("spt", replications: 1).assertions.map {
            Check.judge($0, results: results)
        }
        #expect(verdicts.map(\.verdict) == [.inconclusive, .inconclusive, .inconclusive])
        #expect(verdicts[2].message.contains("run at least 2"))
    }

    @Test func oneReplicationCannotJudgeAnyKPIHoweverLargeTheDifference() async throws {
        let baseline = try await Experiment.run(try dispatchScenario("spt", replications: 1))
        let worse = try await Experiment.run(try dispatchScenario("lpt", replications: 1))
        let verdicts = compare(worse, with: baseline).verdicts
        #expect(!verdicts.isEmpty)
        #expect(verdicts.allSatisfy { $0.verdict == .inconclusive })
        #expect(verdicts.contains { $0.message.contains("run at least 2") })
    }

    @Test func anAssertionNamingAMissingKPIIsAnError() async throws {
        let results = try await Experiment.run(try dispatchScenario("spt"))
        let assertion = try oneCellAssertion("cp(cell) >= 1.33")
        #expect(Check.judge(assertion, results: results).verdict == .error)
    }

    @Test func anAssertionWithAnUnknownKPIIsABadScenario() {
        #expect(
            problems(oneCellYAML(asserting: "througput > 10")) == [
                """
                test.yaml:6:11: assert[0]: unknown KPI `througput` (did you mean `throughput`?)
                    througput > 10
                    ^^^^^^^^^
                """
            ])
    }
}
