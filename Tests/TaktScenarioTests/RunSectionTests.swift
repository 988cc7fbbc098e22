import Testing
import TaktScenario

@Suite("run: who is accountable for a traced run")
struct RunSectionTests {
    @Test("run.operator names the accountable person")
    func operatorIsRead() throws {
        let scenario = try ScenarioReader.parse(
            yaml: validScenario + "\nrun:\n  operator: \"Ada Lovelace <ada@example.com>\"\n", file: "test.yaml")
        #expect(scenario.accountable == "Ada Lovelace <ada@example.com>")
    }

    @Test("without run:, nobody is named")
    func noOperator() throws {
        #expect(try ScenarioReader.parse(yaml: validScenario, file: "test.yaml").accountable == nil)
    }

    @Test("an operator on more than one line is refused at its key path")
    func multiLineOperator() {
        let found = problems(validScenario + "\nrun:\n  operator: \"Ada\\nLovelace\"\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("run.operator") == true)
        #expect(found.first?.contains("a name on one line") == true)
    }

    @Test("an unknown key under run: is refused")
    func unknownKey() {
        #expect(problems(validScenario + "\nrun:\n  operater: Ada\n").first?.contains("operater") == true)
    }
}
