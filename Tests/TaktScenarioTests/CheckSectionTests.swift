import Testing
import TaktScenario

/// ``validScenario`` with a `check:` section (from line 20).
func withCheck(_ section: String) -> String { validScenario + "\ncheck:\n" + section }

@Suite struct CheckSectionReading {
    @Test func itReadsKPIsIgnoredKPIsAndTolerances() throws {
        let scenario = try ScenarioReader.parse(
            yaml: withCheck(
                """
                  kpis: [throughput, "busy[*]", "lead_time"]
                  ignore: ["energy*"]
                  tolerance: { on_time_delivery: 0.01, lead_time: 5%, "busy[*]": 2.5% }
                """), file: "test.yaml")
        let check = scenario.check
        #expect(check.kpis.map(\.text) == ["throughput", "busy[*]", "lead_time"])
        #expect(check.ignore.map(\.text) == ["energy*"])
        #expect(check.tolerances.map(\.tolerance) == [.absolute(0.01), .relative(0.05), .relative(0.025)])
        #expect(check.tolerances.first?.pattern.line == 19)
        #expect(check.tolerances.first?.pattern.source == "test.yaml:19: check.tolerance.on_time_delivery")
        #expect(check.includes("busy[cut]"))
        #expect(!check.includes("energy[cut]"))
        #expect(!check.includes("oee"))
    }

    @Test func withoutASectionEveryKPIIsCompared() throws {
        let scenario = try ScenarioReader.parse(yaml: validScenario, file: "test.yaml")
        #expect(scenario.check == CheckSettings())
        #expect(scenario.check.includes("anything[at-all]"))
    }

    @Test func aNegativeToleranceIsALocatedError() {
        #expect(
            problems(withCheck("  tolerance: { lead_time: -1 }")).first?.hasPrefix(
                "test.yaml:17:27: check.tolerance.lead_time: expected a tolerance: a number of the KPI's unit (0.01) or a share of the baseline mean (5%), 0 or more; found `-1`"
            ) == true)
    }

    @Test func aToleranceInWordsIsALocatedError() {
        #expect(
            problems(withCheck("  tolerance: { lead_time: five% }")).first?.contains(
                "check.tolerance.lead_time: expected a tolerance") == true)
    }

    @Test func aPatternWithASpaceIsAnError() {
        #expect(
            problems(withCheck("  kpis: [\"busy [cut]\"]")).first?.contains(
                "check.kpis[0]: a KPI name or glob has no spaces") == true)
    }

    @Test func anEmptyKPIListIsAnError() {
        #expect(
            problems(withCheck("  kpis: []")).first?.contains(
                "check.kpis: an empty list would compare no KPI; leave `kpis:` out to compare every KPI") == true)
    }

    @Test func anUnknownKeyIsAnErrorWithTheNearestKey() {
        let found = problems(withCheck("  ignored: [energy*]"))
        #expect(
            found.first?.contains("check.ignored: unknown key `ignored`; expected one of kpis, ignore, tolerance")
                == true)
    }

    @Test func aToleranceGivenTwiceIsAnError() {
        #expect(
            problems(withCheck("  tolerance:\n    lead_time: 1%\n    lead_time: 2%")).contains {
                $0.contains("`lead_time` is given twice")
            })
    }
}
