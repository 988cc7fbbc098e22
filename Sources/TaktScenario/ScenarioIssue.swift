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
        return "\(location): \(place)\(message)\(hint)"
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

/// The valid name closest to `name` by edit distance, if it is close enough to be a typo.
public func nearestName(to name: String, in candidates: [String]) -> String? {
    let limit = max(2, name.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(name.lowercased(), candidate.lowercased())
        if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best?.name
}

/// Levenshtein distance between two strings, by characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
