import Testing
import TaktScenario

/// A small valid scenario that each test breaks in one place.
let validScenario = """
    name: test
    horizon: 8h
    warmup: 1h
    stations:
      - id: cut
        cycle: exp(50s)
      - id: weld
        cycle: normal(55s, 5s)
        buffer: 3
    products:
      - id: bracket
        route: [cut, weld]
    sources:
      - product: bracket
        every: exp(60s)
    """

/// The issues reading `yaml` reports, as their printed lines.
func problems(_ yaml: String, overrides: [String] = []) -> [String] {
    do {
        _ = try ScenarioReader.parse(yaml: yaml, file: "test.yaml", overrides: overrides)
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

@Suite("Scenario errors a person can act on")
struct ScenarioErrorTests {
    @Test("the valid scenario reads without problems")
    func valid() {
        #expect(problems(validScenario) == [])
    }

    @Test("a YAML syntax error gives its line and column")
    func syntax() {
        let result = problems("name: test\nstations: [cut\n")
        #expect(result.count == 1)
        #expect(result[0].hasPrefix("test.yaml:3:1: YAML syntax:"))
    }

    @Test("an unknown key is rejected with the nearest valid one")
    func unknownKey() {
        let yaml = validScenario.replacingOccurrences(of: "    buffer: 3", with: "    bufer: 3")
        #expect(
            problems(yaml) == [
                "test.yaml:9:5: stations[1].bufer: unknown key `bufer`; expected one of id, machines, cycle, buffer, failures, setup, defects, inspects, rework, batch, operators, calendar, energy, measures, ideal_cycle (did you mean `buffer`?)"
            ])
    }

    @Test("a route naming an unknown station suggests the nearest station")
    func unknownStation() {
        let yaml = validScenario.replacingOccurrences(of: "route: [cut, weld]", with: "route: [cut, wled]")
        #expect(
            problems(yaml) == [
                "test.yaml:12:18: products[0].route[1]: unknown station `wled`; expected one of cut, weld (did you mean `weld`?)"
            ])
    }

    @Test("a negative capacity is rejected with the range expected")
    func negativeCapacity() {
        let yaml = validScenario.replacingOccurrences(of: "buffer: 3", with: "buffer: -2")
        #expect(
            problems(yaml) == [
                "test.yaml:9:13: stations[1].buffer: expected a number of buffer places from 0 to 1000000; found -2"
            ])
    }

    @Test("probabilities that do not sum to 1 are rejected")
    func probabilitySum() {
        let yaml =
            validScenario + """

                \("")  - mix: { bracket: 0.6 }
                    supply: unlimited
                """
        #expect(problems(yaml).contains("test.yaml:16:10: sources[1].mix: the shares must sum to 1; they sum to 0.6"))
    }

    @Test("a product with an empty route is rejected")
    func emptyRoute() {
        let yaml = validScenario.replacingOccurrences(of: "route: [cut, weld]", with: "route: []")
        #expect(
            problems(yaml) == [
                "test.yaml:12:12: products[0].route: product bracket has an empty route; expected at least one station"
            ])
    }

    @Test("a loop with no exit is rejected at the step that traps units")
    func loopWithNoExit() {
        let yaml = validScenario.replacingOccurrences(
            of: "route: [cut, weld]", with: "route: [cut, { station: weld, branch: { cut: 1 } }]")
        #expect(
            problems(yaml) == [
                "test.yaml:12:13: products[0].route[0]: a loop with no exit: units reaching this step can never leave the plant"
            ])
    }

    @Test("a horizon no longer than the warm-up is rejected")
    func horizonShorterThanWarmup() {
        let yaml = validScenario.replacingOccurrences(of: "warmup: 1h", with: "warmup: 9h")
        #expect(problems(yaml) == ["test.yaml:2:10: horizon: the horizon (8h) must be longer than the warm-up (9h)"])
    }

    @Test("a duration without a unit suggests seconds")
    func durationWithoutUnit() {
        let yaml = validScenario.replacingOccurrences(of: "horizon: 8h", with: "horizon: 28800")
        #expect(
            problems(yaml) == [
                "test.yaml:2:10: horizon: a duration needs a unit; found `28800` (did you mean `28800s`?)"
            ])
    }

    @Test("a misspelt distribution suggests the nearest one, pointing at it")
    func unknownDistribution() {
        let yaml = validScenario.replacingOccurrences(of: "cycle: exp(50s)", with: "cycle: expo(50s)")
        #expect(
            problems(yaml).first?.hasPrefix("test.yaml:6:12: stations[0].cycle: unknown distribution `expo`") == true)
        #expect(problems(yaml).first?.hasSuffix("(did you mean `exp`?)") == true)
    }

    @Test("a distribution parameter error points at the parameter's column")
    func badParameter() {
        let yaml = validScenario.replacingOccurrences(of: "normal(55s, 5s)", with: "normal(55s, 5parsecs)")
        #expect(
            problems(yaml) == [
                "test.yaml:8:24: stations[1].cycle: unknown time unit `parsecs`; expected ms, s, m (or min), h, d or w"
            ])
    }

    @Test("a distribution split by a comma inside { } gets a hint to quote it")
    func unquotedDistributionInFlowMapping() {
        let yaml = validScenario.replacingOccurrences(
            of: "  - id: weld\n    cycle: normal(55s, 5s)\n    buffer: 3",
            with: "  - { id: weld, cycle: normal(55s, 5s), buffer: 3 }")
        #expect(problems(yaml).contains { $0.contains("put quotes around a distribution with commas") })
    }

    @Test("every problem in a file is reported at once, in file order")
    func allAtOnce() {
        let yaml =
            validScenario
            .replacingOccurrences(of: "horizon: 8h", with: "horizon: 8x")
            .replacingOccurrences(of: "buffer: 3", with: "buffer: many")
            .replacingOccurrences(of: "route: [cut, weld]", with: "route: [cutt, weld]")
        let result = problems(yaml)
        #expect(result.count == 3)
        #expect(result.map { $0.split(separator: ":")[1] } == ["2", "9", "12"])
    }

    @Test("a missing required key is named")
    func missingKey() {
        let yaml = validScenario.replacingOccurrences(of: "horizon: 8h\n", with: "")
        #expect(problems(yaml) == ["test.yaml:1:1: missing required key `horizon`"])
    }
}
