import Foundation
import Yams

/// The limits a scenario's YAML must keep, checked before and just after it is composed, so
/// that no input makes Takt hang, run out of stack or memory, or echo a whole document.
///
/// They are far beyond what a factory scenario needs (the flagship has 150 lines, nests 6
/// levels deep and expands to about 700 values).
public enum YAMLInput {
    /// The largest scenario file: 10 MB.
    public static let maximumBytes = 10_000_000
    /// The deepest nesting of mappings and lists, block or flow style.
    public static let maximumNesting = 64
    /// The most values (scalars, lists and mappings) a document may hold once its aliases are
    /// expanded: an alias bomb ("billion laughs") stops here.
    public static let maximumValues = 1_000_000

    /// The text of `data`, or an issue at the first byte that is not UTF-8.
    static func text(of data: Data, file: String) throws(ScenarioErrors) -> String {
        guard data.count <= maximumBytes else {
            throw ScenarioErrors([
                ScenarioIssue(
                    file: file, line: 1, column: 1, path: "",
                    message:
                        "the file has \(data.count) bytes; a scenario has at most \(maximumBytes / 1_000_000) MB (put large data in a file that `empirical(file: …)` reads)"
                )
            ])
        }
        if let text = String(validating: data, as: UTF8.self) { return text }
        let offset = firstInvalidByte(in: data)
        let (line, column) = position(ofByte: offset, in: data)
        let byte = offset < data.count ? String(format: "0x%02X", data[data.startIndex + offset]) : "the end"
        throw ScenarioErrors([
            ScenarioIssue(
                file: file, line: line, column: column, path: "",
                message: "the file is not UTF-8 text: byte \(byte) here does not start or continue a character")
        ])
    }

    /// The offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    static func firstInvalidByte(in data: Data) -> Int {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let (length, low, high): (Int, UInt8, UInt8) =
                switch lead {
                case 0x00...0x7F: (1, 0x80, 0xBF)
                case 0xC2...0xDF: (2, 0x80, 0xBF)
                case 0xE0: (3, 0xA0, 0xBF)
                case 0xED: (3, 0x80, 0x9F)
                case 0xE1...0xEF: (3, 0x80, 0xBF)
                case 0xF0: (4, 0x90, 0xBF)
                case 0xF4: (4, 0x80, 0x8F)
                case 0xF1...0xF3: (4, 0x80, 0xBF)
                default: (0, 0, 0)
                }
            guard length > 0 else { return i }
            for k in 1..<length {
                guard i + k < bytes.count else { return i }
                let range: ClosedRange<UInt8> = k == 1 ? low...high : 0x80...0xBF
                guard range.contains(bytes[i + k]) else { return i + k }
            }
            i += length
        }
        return bytes.count
    }

    /// 1-based line and column (in characters) of byte `offset`.
    static func position(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
        let prefix = data.prefix(offset)
        let line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? prefix.startIndex
        let column = (String(validating: prefix[lineStart...], as: UTF8.self)?.count ?? (offset - lineStart)) + 1
        return (line, column)
    }

    /// Checks nesting depth and keys that are aliases before the text is composed: libyaml
    /// and the composer recurse once per level, and an alias used as a key is hashed whole.
    static func prescan(_ text: String, file: String) throws(ScenarioErrors) {
        var indents: [Int] = []
        var flow = 0
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = unquoted(rawLine)
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            func fail(_ message: String, column: Int) throws(ScenarioErrors) {
                throw ScenarioErrors([
                    ScenarioIssue(file: file, line: number + 1, column: column, path: "", message: message)
                ])
            }
            if !trimmed.isEmpty, flow == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var dashes = 0
            var rest = trimmed[...]
            while rest.hasPrefix("- ") || rest == "-" {
                dashes += 1
                rest = rest.dropFirst(2).drop { $0 == " " }
            }
            var column = indent
            for character in line {
                column += 1
                if character == "[" || character == "{" { flow += 1 }
                if character == "]" || character == "}" { flow = max(0, flow - 1) }
                if indents.count + dashes + flow > maximumNesting {
                    try fail(
                        "nested more than \(maximumNesting) levels deep; a scenario needs far fewer",
                        column: max(1, column - indent))
                }
            }
            if let alias = aliasKey(in: line) {
                try fail(
                    "an alias (`*\(alias)`) cannot be a key; write the key out (a template merges with `<<: *name`)",
                    column: 1 + (line.distance(from: line.startIndex, to: line.firstIndex(of: "*") ?? line.startIndex)))
            }
        }
    }

    /// The line without its comment and with the insides of quoted texts blanked, so that
    /// brackets and stars inside them are not read as structure.
    static func unquoted(_ line: Substring) -> String {
        var result = ""
        var quote: Character?
        var previous: Character = " "
        for character in line {
            if let open = quote {
                result.append(character == open ? character : "x")
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
                result.append(character)
            } else if character == "#", previous == " " || previous == "\t" {
                break
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    /// The anchor name of an alias that stands as a mapping key on this line, if any.
    static func aliasKey(in line: String) -> String? {
        let characters = Array(line)
        var i = 0
        while i < characters.count {
            defer { i += 1 }
            guard characters[i] == "*" else { continue }
            let before = i == 0 ? " " : characters[i - 1]
            guard before == " " || before == "\t" || before == "{" || before == "," || before == "[" else { continue }
            var end = i + 1
            while end < characters.count,
                characters[end].isLetter || characters[end].isNumber || "-_".contains(characters[end])
            {
                end += 1
            }
            guard end > i + 1 else { continue }
            var after = end
            while after < characters.count, characters[after] == " " { after += 1 }
            let isKey =
                after < characters.count && characters[after] == ":"
                && (after + 1 == characters.count || characters[after + 1] == " ")
            let explicit = characters[..<i].drop { $0 == " " }.starts(with: ["?", " "])
            if isKey || explicit { return String(characters[(i + 1)..<end]) }
        }
        return nil
    }

    /// Counts the values of the composed document, aliases expanded, stopping at the limit.
    static func checkExpansion(_ root: Node, file: String) throws(ScenarioErrors) {
        var count = 0
        var culprit: Node?
        func visit(_ node: Node, depth: Int) -> Bool {
            count += 1
            guard count <= maximumValues, depth <= 4 * maximumNesting else {
                culprit = node
                return false
            }
            switch node {
            case .scalar, .alias: return true
            case .sequence(let sequence):
                for child in sequence where !visit(child, depth: depth + 1) { return false }
                return true
            case .mapping(let mapping):
                for (key, value) in mapping {
                    guard visit(key, depth: depth + 1), visit(value, depth: depth + 1) else { return false }
                }
                return true
            }
        }
        guard !visit(root, depth: 0) else { return }
        let message =
            count > maximumValues
            ? "the document expands to more than \(maximumValues) values through its aliases (an alias bomb?); write the values out or use fewer nested aliases"
            : "aliases nest more than \(4 * maximumNesting) levels deep"
        throw ScenarioErrors([
            ScenarioIssue(
                file: file, line: culprit?.mark?.line, column: culprit?.mark?.column, path: "", message: message)
        ])
    }

    /// A YAML syntax error as an issue at its position, quoting nothing of the document.
    static func issue(_ error: Error, text: String, file: String) -> ScenarioIssue {
        guard let yaml = error as? YamlError else {
            return ScenarioIssue(file: file, line: 1, column: 1, path: "", message: "YAML syntax: \(error)")
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ScenarioIssue(
                file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax: \(problem)\(during)")
        case .reader(let problem, let offset, let value, _):
            let (line, column) = position(ofByte: offset ?? 0, in: Data(text.utf8))
            let shown = value >= 0 && value < 0x11_0000 ? String(format: "U+%04X", value) : "\(value)"
            let hint = problem.contains("control") ? "; remove it, or write it as an escape inside double quotes" : ""
            return ScenarioIssue(
                file: file, line: line, column: column, path: "", message: "YAML: \(problem) (\(shown))\(hint)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            let found = occurrences(of: key, in: text)
            let others = duplicates.count > 1 ? " (and \(duplicates.count - 1) more)" : ""
            let first = found.first.map { " (first at line \($0.line))" } ?? ""
            return ScenarioIssue(
                file: file, line: found.second?.line ?? context.mark.line, column: found.second?.column ?? 1, path: "",
                message: "the key `\(key.prefix(80))`\(others) is given twice\(first); keys are unique")
        default:
            return ScenarioIssue(file: file, line: 1, column: 1, path: "", message: "YAML: \(yaml)")
        }
    }

    /// Where `key` is first written, and where it is written again at the same indentation.
    static func occurrences(of key: String, in text: String) -> (
        first: (line: Int, column: Int)?, second: (line: Int, column: Int)?
    ) {
        var first: [Int: Int] = [:]
        var earliest: (line: Int, column: Int)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line.drop { $0 == " " }
            while rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
            rest = rest.drop { $0 == "{" || $0 == " " }
            guard rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") else {
                continue
            }
            let column = line.count - rest.count + 1
            if let seen = first[column] { return ((seen, column), (index + 1, column)) }
            first[column] = index + 1
            if earliest == nil { earliest = (index + 1, column) }
        }
        return (earliest, nil)
    }
}
