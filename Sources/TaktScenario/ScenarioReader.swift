import Foundation
import TaktKernel
import TaktPlant
import Yams

/// Reads scenario files: YAML into a checked ``Scenario``, with every problem of the file
/// reported at once (file:line:column, key path, expected and found, nearest name).
public enum ScenarioReader {
    /// The keys a scenario may have at its top level.
    public static let topLevelKeys = [
        "name", "description", "horizon", "warmup", "replications", "seed", "generator", "calendars", "materials",
        "products", "stations", "buffers", "sources", "operators", "technicians", "mes", "equipment",
        "incidents", "exercise", "assert", "check", "oee", "snapshot", "run",
    ]

    /// Reads the scenario in `path`, applying `overrides` (`path=value`, as `--set` gives them)
    /// and adding `incidents` (a live session's commands, as `takt run --incidents` gives them).
    public static func load(path: String, overrides: [String] = [], incidents: [ScriptedIncident] = [])
        throws(ScenarioErrors) -> Scenario
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else {
            let why =
                !FileManager.default.fileExists(atPath: path)
                ? "no such file"
                : isDirectory.boolValue ? "this is a folder, not a scenario file" : "cannot read the file"
            throw ScenarioErrors([ScenarioIssue(file: path, line: nil, column: nil, path: "", message: why)])
        }
        let text = try YAMLInput.text(of: data, file: path)
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(
            yaml: text, file: path, directory: directory.isEmpty ? "." : directory, overrides: overrides,
            incidents: incidents)
    }

    /// Reads a scenario from `yaml`; `file` names it in messages, `directory` resolves data files.
    public static func parse(
        yaml: String, file: String, directory: String = ".", overrides: [String] = [],
        incidents: [ScriptedIncident] = []
    ) throws(ScenarioErrors) -> Scenario {
        let diagnostics = Diagnostics(file: file, overrides: overrides)
        guard yaml.utf8.count <= YAMLInput.maximumBytes else {
            throw ScenarioErrors([
                ScenarioIssue(
                    file: file, line: 1, column: 1, path: "",
                    message: "the text has more than \(YAMLInput.maximumBytes / 1_000_000) MB, the limit for a scenario"
                )
            ])
        }
        try YAMLInput.prescan(yaml, file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ScenarioErrors([
                    ScenarioIssue(file: file, line: 1, column: 1, path: "", message: "the file is empty")
                ])
            }
            root = node
        } catch let error as ScenarioErrors {
            throw error
        } catch {
            throw ScenarioErrors([YAMLInput.issue(error, text: yaml, file: file)])
        }
        try YAMLInput.checkExpansion(root, file: file)
        let overridden = Overrides.apply(overrides, to: root, file: file)
        guard case .success(let patched) = overridden else {
            if case .failure(let errors) = overridden { throw errors }
            throw ScenarioErrors([])
        }
        var reader = Reader(root: Field(node: patched, path: "", diagnostics: diagnostics), directory: directory)
        reader.extraIncidents = incidents
        let read = reader.read()
        let issues = diagnostics.sortedIssues
        guard issues.isEmpty, var scenario = read else { throw ScenarioErrors(issues) }
        scenario.warnings = diagnostics.warnings
        return scenario
    }
}
