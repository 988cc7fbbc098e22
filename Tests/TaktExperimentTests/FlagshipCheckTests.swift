import Foundation
import Testing
import TaktExperiment
import TaktScenario

/// The flagship SMT line, `overrides` applied (a shorter horizon keeps the suite quick).
func flagship(_ overrides: [String], file: String = "smt-router-line.yaml") throws -> Scenario {
    try ScenarioReader.load(path: "\(repositoryRoot)/scenarios/\(file)", overrides: overrides)
}

@Suite struct FlagshipCheck {
    @Test func sendingSPCSignalsToNotifyInsteadOfAdjustIsCaught() async throws {
        // The paste printer's drift is no longer corrected: over the 14 days, boards go out of
        // specification (44% of them).
        let common = ["replications=10"]
        let baseline = BaselineRun(try await Experiment.run(try flagship(common)))
        let notify = try await Experiment.run(try flagship(common + ["mes.spc[0].react=[notify]"]))
        let report = Check.regressions(notify, baseline: baseline)
        let failed = Set(report.verdicts.filter { $0.verdict == .fail }.map(\.kpi))
        #expect(failed.contains("out_of_spec[print]"))
        #expect(failed.contains("yield"))
        #expect(report.verdicts.first { $0.kpi == "spc_adjustments[print]" }?.verdict == .inconclusive)
    }

    @Test func theFlagshipUnchangedPasses() async throws {
        let scenario = try flagship(["horizon=3d", "replications=10"])
        let baseline = BaselineRun(try await Experiment.run(scenario))
        let report = Check.regressions(try await Experiment.run(scenario), baseline: baseline)
        #expect(report.family > 300)
        #expect(report.verdicts.allSatisfy { $0.verdict == .pass })
    }

    @Test func everyKPIOfTheBundledScenariosHasADeclaredDirection() async throws {
        for file in [
            "smt-router-line.yaml", "smt-router-rules.yaml", "first-line.yaml", "transfer-line.yaml",
            "ft06-job-shop.yaml",
        ] {
            let results = try await Experiment.run(try flagship(["replications=2"], file: file))
            let undeclared = results.kpis.map(\.name).filter { KPIDirection.declared(for: $0) == nil }
            #expect(undeclared.isEmpty, "\(file): \(undeclared)")
        }
    }

    @Test func theGuideListsEveryKPIsDirectionAsTheCodeDeclaresIt() throws {
        let guide = try String(contentsOfFile: "\(repositoryRoot)/docs/testing-mes-rules.md", encoding: .utf8)
        for direction in KPIDirection.allCases {
            let row = try #require(
                guide.split(separator: "\n").first { $0.hasPrefix("| \(direction.rawValue) (") },
                "docs/testing-mes-rules.md has no row for \(direction.rawValue)")
            // `| direction (…) | kpi, kpi, loss_* (every OEE loss), … |`: the KPIs' base names.
            let cells = row.split(separator: "|", omittingEmptySubsequences: false)
            let documented = Set(
                cells[2].split(separator: ",").map { String($0.split(separator: " ")[0]) })
            let declared = Set(KPIDirection.table.filter { $0.direction == direction }.map(\.base))
            #expect(
                documented == declared,
                "\(direction.rawValue): documented only \(documented.subtracting(declared)), declared only \(declared.subtracting(documented))"
            )
        }
    }

    @Test func theFlagshipsBaselineIsUnder100KB() async throws {
        // As `takt check scenarios/smt-router-line.yaml --update-baseline` writes it: the
        // scenario's own 20 replications over 14 days.
        let results = try await Experiment.run(try flagship([]))
        let text = Baseline.text([BaselineRun(results)])
        print(
            "flagship baseline: \(text.utf8.count) bytes, \(results.kpis.count) KPIs × \(results.replications) replications"
        )
        #expect(results.replications == 20)
        #expect(text.utf8.count < 100_000)
    }

    @Test func theFlagshipsFullKPISetRarelyRaisesAFalseAlarm() async throws {
        // Over 350 KPIs, Holm-corrected: a run with other random numbers and no change fails
        // with probability at most 5%; 60 seed streams exceed 8 alarms with probability < 0.5%.
        let common = ["horizon=3d", "replications=10"]
        let baseline = BaselineRun(try await Experiment.run(try flagship(common)))
        var alarms = 0
        var family = 0
        let trials = 60
        for seed in 5_000..<(5_000 + trials) {
            let report = Check.regressions(
                try await Experiment.run(try flagship(common + ["seed=\(seed)"])), baseline: baseline)
            family = report.family
            if report.verdicts.contains(where: { $0.verdict == .fail }) { alarms += 1 }
        }
        print("takt check false-alarm rate on the flagship: \(alarms)/\(trials) seed streams, \(family) KPIs tested")
        #expect(family > 300)
        #expect(alarms <= 8)
    }
}
