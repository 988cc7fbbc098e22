import TaktScenario

/// Every problem the reader reports for `yaml` (read as `t.yaml`), or none.
func scenarioProblems(_ yaml: String) -> [String] {
    do {
        _ = try ScenarioReader.parse(yaml: yaml, file: "t.yaml")
        return []
    } catch {
        return error.issues.map(\.description)
    }
}
