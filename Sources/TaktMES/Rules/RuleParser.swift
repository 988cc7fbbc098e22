import TaktKernel

/// A parsed rule expression, before names are resolved and types checked.
public indirect enum RuleSyntax: Sendable, Equatable {
    /// A number, with its unit if written (`30h`, `2%`).
    case number(Double, unit: String?, RuleSpan)
    case boolean(Bool, RuleSpan)
    case text(String, RuleSpan)
    /// A name or dotted path: `order.late`, `mode`.
    case path([String], RuleSpan)
    /// A call: `wip(line)`, `aoi.fail_rate(last: 1h)` (the receiver is the path's head).
    case call([String], [RuleArgument], RuleSpan)
    /// Words side by side inside a call: `count(units shipped with open hold)`.
    case phrase([String], RuleSpan)
    /// `-x`, `not x`.
    case unary(String, RuleSyntax, RuleSpan)
    /// `a + b`, `a >= b`, `a and b`.
    case binary(String, RuleSyntax, RuleSyntax, RuleSpan)

    /// Where it is in the text.
    public var span: RuleSpan {
        switch self {
        case .number(_, _, let s), .boolean(_, let s), .text(_, let s), .path(_, let s), .call(_, _, let s),
            .phrase(_, let s), .unary(_, _, let s), .binary(_, _, _, let s):
            s
        }
    }
}

/// One argument of a call: `last: 1h` has the label `last`.
public struct RuleArgument: Sendable, Equatable {
    public var label: String?
    public var value: RuleSyntax
}

/// An action of a rule's `then:` or an incident's `do:`: a verb and its words, as in
/// `hold station place`, `maintain reflow for 45m`, `set mode = 1`.
public struct RuleCommand: Sendable, Equatable {
    /// The first word.
    public var verb: String
    public var verbSpan: RuleSpan
    /// The words and values after the verb (a number with a unit is one value).
    public var words: [RuleWord]
    /// After `=`, the expression assigned (for `set name = …`).
    public var assigned: RuleSyntax?
    /// The whole command.
    public var span: RuleSpan
}

/// A word of a command: a name, a number with its unit, or a text.
public struct RuleWord: Sendable, Equatable {
    /// What it is.
    public enum Value: Sendable, Equatable {
        case name(String)
        case number(Double, unit: String?)
        case text(String)
    }

    public var value: Value
    public var span: RuleSpan

    /// The name, if it is one.
    public var name: String? {
        if case .name(let name) = value { return name }
        return nil
    }
}

/// A recursive-descent parser with precedence climbing for the rule language.
///
/// Precedence, loosest first: `or` (`||`), `and` (`&&`), `not` (`!`), comparisons (`<` `<=`
/// `>` `>=` `==` `!=`, which do not chain), `+` `-`, `*` `/`, unary `-`, then calls, dotted
/// names, numbers with units and parentheses.
public struct RuleParser {
    /// Unit names a number may carry: durations, and `%` for a share.
    public static let units = ["ms", "s", "min", "m", "h", "d", "w", "%"]

    /// The deepest nesting of parentheses and prefix operators a rule may have.
    public static let maximumNesting = 40

    var tokens: [RuleToken]
    var position = 0
    var nesting = 0

    /// Parses one expression: all of `text`.
    public static func expression(_ text: String) throws(RuleError) -> RuleSyntax {
        var parser = RuleParser(tokens: try RuleLexer.tokens(text))
        let syntax = try parser.parseExpression(0)
        try parser.expectEnd()
        return syntax
    }

    /// Parses one command: all of `text`.
    public static func command(_ text: String) throws(RuleError) -> RuleCommand {
        var parser = RuleParser(tokens: try RuleLexer.tokens(text))
        return try parser.parseCommand()
    }

    var current: RuleToken { tokens[position] }

    mutating func advance() -> RuleToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    mutating func expect(_ symbol: String, _ context: String) throws(RuleError) -> RuleToken {
        guard isSymbol(symbol) else {
            throw RuleError("expected `\(symbol)` \(context); found \(current.text)", at: current.span)
        }
        return advance()
    }

    func expectEnd() throws(RuleError) {
        guard case .end = current.kind else {
            throw RuleError(
                "expected an operator or the end of the rule; found \(current.text)", at: current.span)
        }
    }

    static func binaryOperator(_ kind: RuleToken.Kind) -> (name: String, precedence: Int)? {
        switch kind {
        case .name("or"), .symbol("||"): ("or", 1)
        case .name("and"), .symbol("&&"): ("and", 2)
        case .symbol("<"), .symbol("<="), .symbol(">"), .symbol(">="), .symbol("=="), .symbol("!="):
            if case .symbol(let s) = kind { (s, 4) } else { nil }
        case .symbol("+"): ("+", 5)
        case .symbol("-"): ("-", 5)
        case .symbol("*"): ("*", 6)
        case .symbol("/"): ("/", 6)
        default: nil
        }
    }

    mutating func parseExpression(_ minimum: Int) throws(RuleError) -> RuleSyntax {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else {
            throw RuleError(
                "nested more than \(Self.maximumNesting) levels deep; simplify the expression", at: current.span)
        }
        var left = try parsePrefix()
        while let (name, precedence) = Self.binaryOperator(current.kind), precedence > minimum {
            let operatorToken = advance()
            let right = try parseExpression(precedence)
            if precedence == 4, case .binary(let inner, _, _, _) = left,
                ["<", "<=", ">", ">=", "==", "!="].contains(inner)
            {
                throw RuleError(
                    "comparisons do not chain; write `a < b and b < c`", at: operatorToken.span)
            }
            left = .binary(name, left, right, left.span.joined(right.span))
        }
        if case .symbol("=") = current.kind {
            throw RuleError("`=` assigns; to compare, write `==`", at: current.span)
        }
        return left
    }

    mutating func parsePrefix() throws(RuleError) -> RuleSyntax {
        let token = current
        switch token.kind {
        case .name("not"), .symbol("!"):
            _ = advance()
            let operand = try parseExpression(3)
            return .unary("not", operand, token.span.joined(operand.span))
        case .symbol("-"):
            _ = advance()
            let operand = try parseExpression(6)
            return .unary("-", operand, token.span.joined(operand.span))
        default:
            return try parsePostfix()
        }
    }

    mutating func parsePostfix() throws(RuleError) -> RuleSyntax {
        let token = advance()
        switch token.kind {
        case .number(let value):
            if case .name(let unit) = current.kind, Self.units.contains(unit) {
                let unitToken = advance()
                return .number(value, unit: unit, token.span.joined(unitToken.span))
            }
            if isSymbol("%") {
                let unitToken = advance()
                return .number(value, unit: "%", token.span.joined(unitToken.span))
            }
            if case .name(let unit) = current.kind, current.span.start == token.span.end {
                throw RuleError(
                    "unknown unit `\(unit)`; expected ms, s, min, h, d, w or %", at: current.span,
                    suggestion: nearestName(to: unit, in: Self.units))
            }
            return .number(value, unit: nil, token.span)
        case .name("true"): return .boolean(true, token.span)
        case .name("false"): return .boolean(false, token.span)
        case .string(let text): return .text(text, token.span)
        case .symbol("("):
            let inner = try parseExpression(0)
            _ = try expect(")", "to close the `(`")
            return inner
        case .name(let first):
            var path = [first]
            var span = token.span
            while isSymbol(".") {
                _ = advance()
                guard case .name(let next) = current.kind else {
                    throw RuleError("expected a name after `.`; found \(current.text)", at: current.span)
                }
                span = span.joined(advance().span)
                path.append(next)
            }
            guard isSymbol("(") else { return .path(path, span) }
            _ = advance()
            var arguments: [RuleArgument] = []
            while !isSymbol(")") {
                if !arguments.isEmpty { _ = try expect(",", "between arguments") }
                arguments.append(try parseArgument())
            }
            span = span.joined(advance().span)
            return .call(path, arguments, span)
        case .end:
            throw RuleError("the rule ends where a value was expected", at: token.span)
        default:
            throw RuleError("expected a value (a number, a name or `(`); found \(token.text)", at: token.span)
        }
    }

    mutating func parseArgument() throws(RuleError) -> RuleArgument {
        if case .name(let label) = current.kind, tokens[position + 1].kind == .symbol(":") {
            _ = advance()
            _ = advance()
            return RuleArgument(label: label, value: try parseExpression(0))
        }
        // Words side by side: `units shipped with open hold`.
        if case .name(let first) = current.kind, case .name = tokens[position + 1].kind {
            var words = [first]
            var span = advance().span
            while case .name(let word) = current.kind {
                words.append(word)
                span = span.joined(advance().span)
            }
            return RuleArgument(label: nil, value: .phrase(words, span))
        }
        return RuleArgument(label: nil, value: try parseExpression(0))
    }

    mutating func parseCommand() throws(RuleError) -> RuleCommand {
        guard case .name(let verb) = current.kind else {
            throw RuleError("expected an action such as `hold station place`; found \(current.text)", at: current.span)
        }
        let verbSpan = advance().span
        var words: [RuleWord] = []
        var span = verbSpan
        var assigned: RuleSyntax?
        loop: while true {
            let token = current
            switch token.kind {
            case .end:
                break loop
            case .symbol("="):
                _ = advance()
                let expression = try parseExpression(0)
                try expectEnd()
                span = span.joined(expression.span)
                assigned = expression
                break loop
            case .name(let name):
                words.append(RuleWord(value: .name(name), span: advance().span))
            case .string(let text):
                words.append(RuleWord(value: .text(text), span: advance().span))
            case .number, .symbol("-"):
                let syntax = try parsePostfixNumber()
                words.append(syntax)
            case .symbol("/"):
                // `wifi-soc/3`: a lot of a material.
                _ = advance()
            default:
                throw RuleError("unexpected \(token.text) in an action", at: token.span)
            }
            span = span.joined(token.span)
        }
        if let last = words.last { span = span.joined(last.span) }
        return RuleCommand(verb: verb, verbSpan: verbSpan, words: words, assigned: assigned, span: span)
    }

    mutating func parsePostfixNumber() throws(RuleError) -> RuleWord {
        let negative = isSymbol("-")
        let start = current.span
        if negative { _ = advance() }
        guard case .number = current.kind else {
            throw RuleError("expected a number after `-`; found \(current.text)", at: current.span)
        }
        let syntax = try parsePostfix()
        guard case .number(let value, let unit, let span) = syntax else {
            throw RuleError("expected a number", at: syntax.span)
        }
        return RuleWord(value: .number(negative ? -value : value, unit: unit), span: start.joined(span))
    }
}
