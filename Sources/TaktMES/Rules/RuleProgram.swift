/// The type of a rule expression: what it measures, so that `30h` cannot be compared with a
/// share by mistake.
public enum RuleType: Sendable, Equatable, CustomStringConvertible {
    /// A plain number: a count, a share (`0.02`, `2%`), a ratio.
    case number
    /// A time, in seconds (`30h`).
    case duration
    /// True or false.
    case boolean

    public var description: String {
        switch self {
        case .number: "a number"
        case .duration: "a duration"
        case .boolean: "a condition (true or false)"
        }
    }
}

/// One step of a compiled rule: a stack machine over doubles (conditions are 0 or 1).
public enum RuleOp: Sendable, Equatable {
    case constant(Double)
    /// The value of fact slot n, filled in by whoever evaluates.
    case fact(Int32)
    case add, subtract, multiply, divide, negate
    case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual
    case and, or, not
}

/// A rule expression compiled to a flat program: evaluating it allocates nothing.
public struct RuleProgram: Sendable, Equatable {
    /// The steps, in order.
    public var ops: [RuleOp]
    /// What the expression gives.
    public var type: RuleType
    /// The fact slots it reads.
    public var facts: [Int32]
    /// The deepest the stack gets.
    public var depth: Int

    /// The value of the expression with fact slot n worth `facts[n]`; `stack` is scratch space
    /// of at least ``depth`` places, kept by the caller so nothing is allocated.
    @inlinable
    public func evaluate(facts values: [Double], stack: inout [Double]) -> Double {
        var top = -1
        for op in ops {
            switch op {
            case .constant(let value):
                top += 1
                stack[top] = value
            case .fact(let slot):
                top += 1
                stack[top] = values[Int(slot)]
            case .negate: stack[top] = -stack[top]
            case .not: stack[top] = stack[top] != 0 ? 0 : 1
            default:
                let right = stack[top]
                top -= 1
                let left = stack[top]
                stack[top] =
                    switch op {
                    case .add: left + right
                    case .subtract: left - right
                    case .multiply: left * right
                    case .divide: right == 0 ? .nan : left / right
                    case .less: left < right ? 1 : 0
                    case .lessOrEqual: left <= right ? 1 : 0
                    case .greater: left > right ? 1 : 0
                    case .greaterOrEqual: left >= right ? 1 : 0
                    case .equal: left == right ? 1 : 0
                    case .notEqual: left < right || left > right ? 1 : 0
                    case .and: (left != 0 && right != 0) ? 1 : 0
                    case .or: (left != 0 || right != 0) ? 1 : 0
                    default: 0
                    }
            }
        }
        return top >= 0 ? stack[0] : 0
    }

    /// The value with the given fact values (for code off the hot path).
    public func evaluate(facts values: [Double]) -> Double {
        var stack = [Double](repeating: 0, count: max(1, depth))
        return evaluate(facts: values, stack: &stack)
    }
}

/// Resolves the names of a rule expression: which facts exist is a matter of where the rule
/// is used (live MES facts in a rule, end-of-run KPIs in an assertion).
public protocol RuleVocabulary {
    /// The slot and type of the fact a name, dotted path, call or phrase stands for.
    mutating func fact(_ syntax: RuleSyntax) throws(RuleError) -> (slot: Int32, type: RuleType)
}

/// Type-checks a parsed expression and compiles it to a ``RuleProgram``.
public enum RuleCompiler {
    /// Seconds per duration unit.
    public static func seconds(per unit: String) -> Double? {
        switch unit {
        case "ms": 0.001
        case "s": 1
        case "m", "min": 60
        case "h": 3_600
        case "d": 86_400
        case "w": 604_800
        default: nil
        }
    }

    /// Compiles `syntax`, asking `vocabulary` for every fact.
    public static func compile<Vocabulary: RuleVocabulary>(
        _ syntax: RuleSyntax, vocabulary: inout Vocabulary
    ) throws(RuleError) -> RuleProgram {
        var ops: [RuleOp] = []
        var facts: [Int32] = []
        var depth = 0
        var maximum = 0
        let type = try emit(syntax, into: &ops, facts: &facts, depth: &depth, maximum: &maximum, &vocabulary)
        return RuleProgram(ops: ops, type: type, facts: facts, depth: maximum)
    }

    /// Compiles a condition: the expression must be true or false.
    public static func condition<Vocabulary: RuleVocabulary>(
        _ syntax: RuleSyntax, vocabulary: inout Vocabulary
    ) throws(RuleError) -> RuleProgram {
        let program = try compile(syntax, vocabulary: &vocabulary)
        guard program.type == .boolean else {
            throw RuleError(
                "a condition must be true or false; this is \(program.type) — compare it, e.g. `… > 0.02`",
                at: syntax.span)
        }
        return program
    }

    static func emit<Vocabulary: RuleVocabulary>(
        _ syntax: RuleSyntax, into ops: inout [RuleOp], facts: inout [Int32], depth: inout Int, maximum: inout Int,
        _ vocabulary: inout Vocabulary
    ) throws(RuleError) -> RuleType {
        func push() {
            depth += 1
            maximum = max(maximum, depth)
        }
        switch syntax {
        case .number(let value, let unit, let span):
            push()
            guard let unit else {
                ops.append(.constant(value))
                return .number
            }
            if unit == "%" {
                ops.append(.constant(value / 100))
                return .number
            }
            guard let factor = seconds(per: unit) else { throw RuleError("unknown unit `\(unit)`", at: span) }
            ops.append(.constant(value * factor))
            return .duration
        case .boolean(let value, _):
            push()
            ops.append(.constant(value ? 1 : 0))
            return .boolean
        case .path, .call, .phrase, .text:
            let (slot, type) = try vocabulary.fact(syntax)
            push()
            ops.append(.fact(slot))
            if !facts.contains(slot) { facts.append(slot) }
            return type
        case .unary(let name, let operand, let span):
            let type = try emit(operand, into: &ops, facts: &facts, depth: &depth, maximum: &maximum, &vocabulary)
            if name == "not" {
                guard type == .boolean else {
                    throw RuleError("`not` needs a condition; found \(type)", at: span)
                }
                ops.append(.not)
                return .boolean
            }
            guard type != .boolean else { throw RuleError("cannot negate a condition; use `not`", at: span) }
            ops.append(.negate)
            return type
        case .binary(let name, let left, let right, _):
            let leftType = try emit(left, into: &ops, facts: &facts, depth: &depth, maximum: &maximum, &vocabulary)
            let rightType = try emit(right, into: &ops, facts: &facts, depth: &depth, maximum: &maximum, &vocabulary)
            depth -= 1
            return try combine(name, leftType, rightType, left: left, right: right, ops: &ops)
        }
    }

    public static func combine(
        _ name: String, _ a: RuleType, _ b: RuleType, left: RuleSyntax, right: RuleSyntax, ops: inout [RuleOp]
    ) throws(RuleError) -> RuleType {
        let span = left.span.joined(right.span)
        func mismatch(_ verb: String) -> RuleError {
            if a == .boolean || b == .boolean {
                return RuleError("cannot \(verb) \(a) and \(b)", at: (a == .boolean ? left : right).span)
            }
            return RuleError(
                "cannot \(verb) \(a) and \(b); give the number a unit, e.g. `30h`",
                at: (a == .number ? left : right).span)
        }
        switch name {
        case "and", "or":
            guard a == .boolean, b == .boolean else {
                throw RuleError(
                    "`\(name)` joins conditions; found \(a == .boolean ? b : a)",
                    at: a == .boolean ? right.span : left.span)
            }
            ops.append(name == "and" ? .and : .or)
            return .boolean
        case "<", "<=", ">", ">=", "==", "!=":
            if a == .boolean || b == .boolean {
                guard a == b, name == "==" || name == "!=" else {
                    throw RuleError(
                        "a condition cannot be compared with `\(name)`; found \(a) and \(b)", at: span)
                }
            } else if a != b {
                throw mismatch("compare")
            }
            let op: RuleOp =
                switch name {
                case "<": .less
                case "<=": .lessOrEqual
                case ">": .greater
                case ">=": .greaterOrEqual
                case "==": .equal
                default: .notEqual
                }
            ops.append(op)
            return .boolean
        case "+", "-":
            guard a != .boolean, b != .boolean else { throw mismatch(name == "+" ? "add" : "subtract") }
            guard a == b else { throw mismatch(name == "+" ? "add" : "subtract") }
            ops.append(name == "+" ? .add : .subtract)
            return a
        case "*":
            guard a != .boolean, b != .boolean, !(a == .duration && b == .duration) else {
                throw RuleError("cannot multiply \(a) by \(b)", at: span)
            }
            ops.append(.multiply)
            return a == .duration || b == .duration ? .duration : .number
        default:
            guard a != .boolean, b != .boolean, !(a == .number && b == .duration) else {
                throw RuleError("cannot divide \(a) by \(b)", at: span)
            }
            if case .number(0, _, let zero) = right {
                throw RuleError("division by zero", at: zero)
            }
            ops.append(.divide)
            return a == .duration && b == .number ? .duration : .number
        }
    }
}
