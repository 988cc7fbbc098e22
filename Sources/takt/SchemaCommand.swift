import ArgumentParser
import TaktScenario

/// `takt schema`: the JSON Schema of the scenario format, for editors.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema of the scenario format (for editor completion and checking)."
    )

    func run() {
        print(ScenarioSchema.json)
    }
}
