/// One problem in a scenario file, located for the person who wrote it.
public struct ScenarioIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as given on the command line.
    public var file: String
    /// 1-based line and column, where known.
    public var line: Int?
    public var column: Int?
    /// The key path: `stations[3].cycle`.
    public var path: String
    /// What was expected and what was found.
    public var message: String
    /// The nearest valid name, for a typo.
    public var suggestion: String?
    /// For an error inside a rule or assertion: its text with a caret line under the culprit.
    public var excerpt: String?

    /// An issue at `path` in `file`.
    public init(file: String, line: Int?, column: Int?, path: String, message: String, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.suggestion = suggestion
    }

    /// `file:line:column: path: message (did you mean `x`?)`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        let place = path.isEmpty ? "" : "\(path): "
        let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
        return "\(location): \(place)\(message)\(hint)" + (excerpt.map { "\n" + $0 } ?? "")
    }
}

/// Every problem found in a scenario, reported together.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they appear in the file.
    public var issues: [ScenarioIssue]

    /// Wraps `issues`.
    public init(_ issues: [ScenarioIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
