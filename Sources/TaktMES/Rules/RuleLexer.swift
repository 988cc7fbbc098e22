/// A span of a rule's text, in characters from its start (end exclusive).
public struct RuleSpan: Sendable, Equatable {
    public var start: Int
    public var end: Int

    /// The span `start..<end`.
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(end, start + 1)
    }

    /// The smallest span covering both.
    public func joined(_ other: RuleSpan) -> RuleSpan { RuleSpan(min(start, other.start), max(end, other.end)) }
}

/// What is wrong with a rule's text, and where: the scenario reader turns it into a located
/// issue with a caret under the span.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was expected and what was found.
    public var message: String
    /// The offending token.
    public var span: RuleSpan
    /// The nearest valid name, for a typo.
    public var suggestion: String?

    /// An error at `span`.
    public init(_ message: String, at span: RuleSpan, suggestion: String? = nil) {
        self.message = message
        self.span = span
        self.suggestion = suggestion
    }

    /// The text with a caret line under the span: what an error message shows. A long text is
    /// cut to the 60 characters around the span, so a message never repeats a whole input.
    public func excerpt(of text: String) -> String {
        let characters = Array(text).map { $0.isASCII && ($0.asciiValue! < 32 || $0.asciiValue! == 127) ? " " : $0 }
        var first = 0
        var last = characters.count
        let start = min(span.start, characters.count)
        if characters.count > 80 {
            first = max(0, start - 30)
            last = min(characters.count, max(start + 30, first + 60))
        }
        let shown = (first > 0 ? "…" : "") + String(characters[first..<last]) + (last < characters.count ? "…" : "")
        let column = start - first + (first > 0 ? 1 : 0)
        let width = max(1, min(span.end, max(last, start + 1)) - start)
        return
            "    \(shown)\n    \(String(repeating: " ", count: column))\(String(repeating: "^", count: min(width, 60)))"
    }

    public var description: String { message }
}

/// One token of the rule language.
public struct RuleToken: Sendable, Equatable {
    /// What kind of token it is.
    public enum Kind: Sendable, Equatable {
        case number(Double)
        /// A name: letters, digits, `_`, and `-` between letters (`rf-test`).
        case name(String)
        case string(String)
        /// An operator or punctuation: `( ) , : . + - * / % < <= > >= == != = ! && ||`.
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var span: RuleSpan

    var text: String {
        switch kind {
        case .number(let value): "\(value)"
        case .name(let name): "`\(name)`"
        case .string(let string): "\"\(string)\""
        case .symbol(let symbol): "`\(symbol)`"
        case .end: "the end of the rule"
        }
    }
}

/// Splits a rule's text into tokens.
///
/// A `-` inside a name joins it only when a letter follows and no space precedes it, so
/// station names such as `rf-test` read as one name while `a - b` and `x-1` subtract.
public enum RuleLexer {
    /// The most tokens one rule, action or assertion may have: real ones have a few dozen, and
    /// the bound keeps the parser's and compiler's recursion within a thread's stack.
    public static let maximumTokens = 400
    static let symbols2 = ["<=", ">=", "==", "!=", "&&", "||"]
    static let symbols1: Set<Character> = ["(", ")", ",", ":", ".", "+", "-", "*", "/", "%", "<", ">", "=", "!", ";"]

    /// The tokens of `text`, ending with `.end`.
    public static func tokens(_ text: String) throws(RuleError) -> [RuleToken] {
        let chars = Array(text)
        var tokens: [RuleToken] = []
        var i = 0
        func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "_" { i += 1 }
                let digits = String(chars[start..<i]).replacingOccurrences(of: "_", with: "")
                guard let value = Double(digits), value.isFinite else {
                    throw RuleError("`\(digits)` is not a number", at: RuleSpan(start, i))
                }
                tokens.append(RuleToken(kind: .number(value), span: RuleSpan(start, i)))
            } else if isNameStart(c) {
                while i < chars.count {
                    if isNamePart(chars[i]) {
                        i += 1
                    } else if chars[i] == "-", i + 1 < chars.count, chars[i + 1].isLetter {
                        i += 1
                    } else {
                        break
                    }
                }
                tokens.append(RuleToken(kind: .name(String(chars[start..<i])), span: RuleSpan(start, i)))
            } else if c == "\"" || c == "'" {
                i += 1
                while i < chars.count, chars[i] != c { i += 1 }
                guard i < chars.count else {
                    throw RuleError("a text started here is never closed; add \(c)", at: RuleSpan(start, start + 1))
                }
                tokens.append(
                    RuleToken(kind: .string(String(chars[(start + 1)..<i])), span: RuleSpan(start, i + 1)))
                i += 1
            } else if i + 1 < chars.count, symbols2.contains(String(chars[i...i + 1])) {
                tokens.append(RuleToken(kind: .symbol(String(chars[i...i + 1])), span: RuleSpan(i, i + 2)))
                i += 2
            } else if symbols1.contains(c) {
                tokens.append(RuleToken(kind: .symbol(String(c)), span: RuleSpan(i, i + 1)))
                i += 1
            } else {
                let shown =
                    c.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.value < 32 || $0.value == 127 }
                    ? "U+"
                        + String(("000" + String(c.unicodeScalars.first!.value, radix: 16, uppercase: true)).suffix(4))
                    : String(c)
                throw RuleError("unexpected character `\(shown)`", at: RuleSpan(i, i + 1))
            }
            if tokens.count > maximumTokens {
                throw RuleError(
                    "more than \(maximumTokens) tokens; split the rule, or keep part of it in a variable (`set`)",
                    at: tokens[tokens.count - 1].span)
            }
        }
        tokens.append(RuleToken(kind: .end, span: RuleSpan(chars.count, chars.count + 1)))
        return tokens
    }
}
