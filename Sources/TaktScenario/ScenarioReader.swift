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
        "incidents", "assert",
    ]

    /// Reads the scenario in `path`, applying `overrides` (`path=value`, as `--set` gives them).
    public static func load(path: String, overrides: [String] = []) throws(ScenarioErrors) -> Scenario {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ScenarioErrors([
                ScenarioIssue(file: path, line: nil, column: nil, path: "", message: "cannot read the file")
            ])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(yaml: text, file: path, directory: directory.isEmpty ? "." : directory, overrides: overrides)
    }

    /// Reads a scenario from `yaml`; `file` names it in messages, `directory` resolves data files.
    public static func parse(
        yaml: String, file: String, directory: String = ".", overrides: [String] = []
    ) throws(ScenarioErrors) -> Scenario {
        let diagnostics = Diagnostics(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ScenarioErrors([
                    ScenarioIssue(file: file, line: nil, column: nil, path: "", message: "the file is empty")
                ])
            }
            root = node
        } catch let error as ScenarioErrors {
            throw error
        } catch {
            throw ScenarioErrors([yamlIssue(error, file: file)])
        }
        let overridden = Overrides.apply(overrides, to: root, file: file)
        guard case .success(let patched) = overridden else {
            if case .failure(let errors) = overridden { throw errors }
            throw ScenarioErrors([])
        }
        let reader = Reader(root: Field(node: patched, path: "", diagnostics: diagnostics), directory: directory)
        let scenario = reader.read()
        let issues = diagnostics.sortedIssues
        guard issues.isEmpty, let scenario else { throw ScenarioErrors(issues) }
        return scenario
    }

    /// A YAML syntax error as an issue with its position.
    static func yamlIssue(_ error: Error, file: String) -> ScenarioIssue {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                return ScenarioIssue(
                    file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax: \(problem)")
            default:
                break
            }
        }
        return ScenarioIssue(file: file, line: nil, column: nil, path: "", message: "YAML syntax: \(error)")
    }
}
