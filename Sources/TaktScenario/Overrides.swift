import TaktKernel
import Yams

/// Applies `--set path=value` overrides to a scenario's YAML before it is read, so an
/// override is checked exactly like the same value written in the file.
///
/// Paths name mapping keys and list items, by position or by id:
/// `replications=5`, `stations[2].machines=3`, `stations[place].cycle=exp(21s)`,
/// `buffers.default_capacity=6`. The value is YAML (`[a, b]` is a list). A missing key at the
/// end of the path is added.
public enum Overrides {
    /// One path step: a mapping key, then list selectors.
    struct Step {
        var key: String
        var selectors: [String]
    }

    /// The root with every override applied, or the overrides that do not fit.
    public static func apply(_ overrides: [String], to root: Node, file: String) -> Result<Node, ScenarioErrors> {
        var node = root
        var issues: [ScenarioIssue] = []
        for override in overrides {
            func issue(_ message: String, path: String = "") {
                issues.append(
                    ScenarioIssue(file: "--set \(override)", line: nil, column: nil, path: path, message: message))
            }
            guard let equals = override.firstIndex(of: "=") else {
                issue("expected path=value, e.g. replications=5")
                continue
            }
            let path = String(override[..<equals])
            let text = String(override[override.index(after: equals)...])
            guard let steps = parse(path) else {
                issue(
                    "cannot read the path `\(path)`; write keys with dots and list items in brackets, e.g. stations[place].machines"
                )
                continue
            }
            let value: Node
            do {
                try YAMLInput.prescan(text, file: "--set")
                let composed = try Yams.compose(yaml: text) ?? Node("")
                try YAMLInput.checkExpansion(composed, file: "--set")
                value = withoutMarks(composed)
            } catch let errors as ScenarioErrors {
                issue(errors.issues.first?.message ?? "the value is not valid YAML")
                continue
            } catch {
                issue("the value `\(text.prefix(80))` is not valid YAML")
                continue
            }
            switch set(value, at: steps[...], in: node, walked: "") {
            case .success(let updated): node = updated
            case .failure(let failure): issue(failure.message, path: failure.path)
            }
        }
        return issues.isEmpty ? .success(node) : .failure(ScenarioErrors(issues))
    }

    /// `node` with no positions: a value from `--set` has no line in the file, so a problem
    /// with it is reported under the option (see ``Diagnostics/report(_:_:_:suggestion:columnOffset:)``).
    static func withoutMarks(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar): .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style, nil))
        case .sequence(let sequence):
            .sequence(Node.Sequence(sequence.map(withoutMarks), sequence.tag, sequence.style, nil))
        case .mapping(let mapping):
            .mapping(
                Node.Mapping(
                    mapping.map { (withoutMarks($0.key), withoutMarks($0.value)) }, mapping.tag, mapping.style, nil))
        case .alias: node
        }
    }

    /// The keys of an override's path, without list selectors: `stations[place].cycle` is
    /// `stations.cycle`, as is the reader's `stations[1].cycle`.
    static func keys(of path: String) -> String {
        var result = ""
        var depth = 0
        for character in path {
            if character == "[" {
                depth += 1
            } else if character == "]" {
                depth -= 1
            } else if depth == 0 {
                result.append(character)
            }
        }
        return result
    }

    struct Failure: Error {
        var message: String
        var path: String
    }

    static func parse(_ path: String) -> [Step]? {
        var steps: [Step] = []
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(component)
            guard let keyEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { return nil }
            let key = String(rest[..<keyEnd])
            rest = rest[keyEnd...]
            var selectors: [String] = []
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                selectors.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty, !key.isEmpty else { return nil }
            steps.append(Step(key: key, selectors: selectors))
        }
        return steps.isEmpty ? nil : steps
    }

    static func set(_ value: Node, at steps: ArraySlice<Step>, in node: Node, walked: String) -> Result<Node, Failure> {
        guard let step = steps.first else { return .success(value) }
        guard case .mapping(var mapping) = node else {
            return .failure(
                Failure(message: "`\(walked)` is not a mapping, so it has no key `\(step.key)`", path: walked))
        }
        let path = walked.isEmpty ? step.key : "\(walked).\(step.key)"
        guard let child = mapping[step.key] else {
            guard steps.count == 1, step.selectors.isEmpty else {
                let keys = Array(mapping.keys.compactMap(\.string))
                return .failure(
                    Failure(
                        message: "no key `\(step.key)` here; found \(keys.joined(separator: ", "))"
                            + (nearestName(to: step.key, in: keys).map { " (did you mean `\($0)`?)" } ?? ""),
                        path: path))
            }
            mapping[Node(step.key)] = value
            return .success(.mapping(mapping))
        }
        switch descend(child, selectors: step.selectors[...], rest: steps.dropFirst(), value: value, path: path) {
        case .success(let updated):
            mapping[Node(step.key)] = updated
            return .success(.mapping(mapping))
        case .failure(let failure):
            return .failure(failure)
        }
    }

    static func descend(
        _ node: Node, selectors: ArraySlice<String>, rest: ArraySlice<Step>, value: Node, path: String
    ) -> Result<Node, Failure> {
        guard let selector = selectors.first else { return set(value, at: rest, in: node, walked: path) }
        guard case .sequence(var sequence) = node else {
            return .failure(Failure(message: "`\(path)` is not a list, so `[\(selector)]` selects nothing", path: path))
        }
        let index: Int
        if let position = Int(selector) {
            guard position >= 0, position < sequence.count else {
                return .failure(
                    Failure(message: "`\(path)` has \(sequence.count) items; there is no item \(position)", path: path))
            }
            index = position
        } else {
            let ids = sequence.map { item -> String? in
                guard case .mapping(let entry) = item else { return nil }
                return (entry["id"] ?? entry["name"] ?? entry["pool"])?.string
            }
            guard let found = ids.firstIndex(of: selector) else {
                let known = ids.compactMap { $0 }
                return .failure(
                    Failure(
                        message: "no item `\(selector)` in `\(path)`; found \(known.joined(separator: ", "))"
                            + (nearestName(to: selector, in: known).map { " (did you mean `\($0)`?)" } ?? ""),
                        path: path))
            }
            index = found
        }
        let itemPath = "\(path)[\(selector)]"
        switch descend(sequence[index], selectors: selectors.dropFirst(), rest: rest, value: value, path: itemPath) {
        case .success(let updated):
            sequence[index] = updated
            return .success(.sequence(sequence))
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
