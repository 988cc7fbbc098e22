import TaktKernel
import TaktMES
import Yams

/// Collects the issues of one scenario file, so that all of them are reported at once.
final class Diagnostics {
    let file: String
    /// The `--set` overrides applied, for naming the one a problem comes from.
    var overrides: [String] = []
    var issues: [ScenarioIssue] = []
    /// What is allowed but probably not meant (an order arriving after the horizon).
    var warnings: [ScenarioIssue] = []

    init(file: String, overrides: [String] = []) {
        self.file = file
        self.overrides = overrides
    }

    /// Records a problem at `node`; a node with no position comes from a `--set` override,
    /// and the problem is filed under that option.
    func report(_ node: Node?, _ path: String, _ message: String, suggestion: String? = nil, columnOffset: Int = 0) {
        let mark = node?.mark
        var source = file
        if mark == nil, !overrides.isEmpty {
            let keys = Overrides.keys(of: path)
            let matching = overrides.filter { override in
                let target = Overrides.keys(of: String(override.prefix { $0 != "=" }))
                return keys == target || keys.hasPrefix(target + ".")
            }
            source = "--set " + (matching.isEmpty ? overrides : matching).joined(separator: ", --set ")
        }
        issues.append(
            ScenarioIssue(
                file: source, line: mark?.line, column: mark.map { $0.column + columnOffset }, path: path,
                message: message, suggestion: suggestion))
    }

    var sortedIssues: [ScenarioIssue] {
        issues.enumerated().sorted {
            ($0.element.line ?? .max, $0.element.column ?? .max, $0.offset)
                < ($1.element.line ?? .max, $1.element.column ?? .max, $1.offset)
        }.map(\.element)
    }
}

/// A YAML node together with its key path, read with typed accessors that report what was
/// expected and found. Accessors return `nil` after reporting, so reading goes on and every
/// problem in the file is found in one pass.
struct Field {
    let node: Node
    let path: String
    let diagnostics: Diagnostics

    func fail(_ message: String, suggestion: String? = nil, columnOffset: Int = 0) {
        diagnostics.report(node, path, message, suggestion: suggestion, columnOffset: columnOffset)
    }

    /// A short description of what the node is, for "found …".
    var found: String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "`\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The node as a mapping with only `allowed` keys (unknown keys are reported with the
    /// nearest allowed one); `<<: *template` merges are applied, keys written here winning.
    func mapping(allowed: [String], required: [String] = []) -> [String: Field]? {
        guard case .mapping(let mapping) = node else {
            fail("expected a mapping (key: value); found \(found)")
            return nil
        }
        var fields: [String: Field] = [:]
        var merged: [String: Field] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                diagnostics.report(key, path, "expected a plain key; found a complex key")
                continue
            }
            let name = scalar.string
            // Keys starting with a dot hold templates (`.board: &board`) and are not read.
            if name.hasPrefix(".") { continue }
            if name == "<<" {
                for template in templates(value) {
                    guard let entries = template.mapping(allowed: allowed) else { continue }
                    for (k, v) in entries where merged[k] == nil { merged[k] = v }
                }
                continue
            }
            let child = Field(node: value, path: path.isEmpty ? name : "\(path).\(name)", diagnostics: diagnostics)
            guard allowed.contains(name) else {
                if name.hasSuffix(")") {
                    diagnostics.report(
                        key, child.path,
                        "`\(name)` looks like the end of a distribution split at a comma: inside { … } put quotes around a distribution with commas, e.g. \"normal(22s, 1.5s)\""
                    )
                    continue
                }
                diagnostics.report(
                    key, child.path, "unknown key `\(name)`; expected one of \(allowed.joined(separator: ", "))",
                    suggestion: nearestName(to: name, in: allowed))
                continue
            }
            if fields[name] != nil {
                diagnostics.report(key, child.path, "`\(name)` is given twice")
            }
            fields[name] = child
        }
        for (key, value) in merged where fields[key] == nil { fields[key] = value }
        for key in required where fields[key] == nil {
            fail("missing required key `\(key)`")
        }
        return fields
    }

    private func templates(_ value: Node) -> [Field] {
        switch value {
        case .mapping: return [Field(node: value, path: path, diagnostics: diagnostics)]
        case .sequence(let sequence): return sequence.map { Field(node: $0, path: path, diagnostics: diagnostics) }
        default:
            diagnostics.report(
                value, path,
                "`<<` expects a mapping or a list of mappings (a template); found \(Field(node: value, path: path, diagnostics: diagnostics).found)"
            )
            return []
        }
    }

    /// The node as a list of fields, `path[i]` each.
    func sequence() -> [Field]? {
        guard case .sequence(let sequence) = node else {
            fail("expected a list; found \(found)")
            return nil
        }
        return sequence.enumerated().map { Field(node: $1, path: "\(path)[\($0)]", diagnostics: diagnostics) }
    }

    /// Reports an error in the rule text this scalar holds, at the column of the culprit with a
    /// caret under it.
    func fail(_ error: RuleError, in text: String) {
        var offset = 0
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            offset = 1
        }
        if case .scalar(let scalar) = node, scalar.style == .literal || scalar.style == .folded {
            offset = -error.span.start
        }
        var issue = ScenarioIssue(
            file: diagnostics.file, line: node.mark?.line,
            column: node.mark.map { $0.column + offset + error.span.start },
            path: path, message: error.message, suggestion: error.suggestion)
        issue.excerpt = error.excerpt(of: text)
        diagnostics.issues.append(issue)
    }

    /// The node as a plain string.
    func string() -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            fail("expected a text value; found \(found)")
            return nil
        }
        return scalar.string
    }

    /// The node as a whole number in `range`.
    func int(in range: ClosedRange<Int> = Int.min...Int.max, what: String = "a whole number") -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingOccurrences(of: "_", with: ""))
        else {
            fail("expected \(what); found \(found)")
            return nil
        }
        guard range.contains(value) else {
            fail("expected \(what) from \(range.lowerBound) to \(range.upperBound); found \(value)")
            return nil
        }
        return value
    }

    /// The node as `true` or `false`.
    func bool() -> Bool? {
        guard case .scalar(let scalar) = node, let value = Bool(scalar.string) else {
            fail("expected true or false; found \(found)")
            return nil
        }
        return value
    }

    /// The node as a probability from 0 to 1.
    func probability() -> Double? {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            fail("expected a probability from 0 to 1; found \(found)")
            return nil
        }
        guard value >= 0, value <= 1 else {
            fail("expected a probability from 0 to 1; found \(scalar.string)")
            return nil
        }
        return value
    }

    /// The node as a plain scalar text, for values with their own syntax (quantities, distributions).
    func scalarText() -> String? {
        guard case .scalar(let scalar) = node else {
            fail("expected a value; found \(found)")
            return nil
        }
        return scalar.string
    }
}
