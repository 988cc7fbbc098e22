import Testing

import TaktMES

/// A vocabulary with two facts, `a` and `b` (numbers), `t` (a duration), `ok` (a condition).
struct TestVocabulary: RuleVocabulary {
    mutating func fact(_ syntax: RuleSyntax) throws(RuleError) -> (slot: Int32, type: RuleType) {
        guard case .path(let path, let span) = syntax, path.count == 1 else {
            throw RuleError("not a test fact", at: syntax.span)
        }
        switch path[0] {
        case "a": return (0, .number)
        case "b": return (1, .number)
        case "t": return (2, .duration)
        case "ok": return (3, .boolean)
        default: throw RuleError("unknown name `\(path[0])`", at: span)
        }
    }
}

/// Evaluates `text` with a = 2, b = 3, t = 7200 s, ok = true.
func value(_ text: String) throws -> Double {
    var vocabulary = TestVocabulary()
    let program = try RuleCompiler.compile(try RuleParser.expression(text), vocabulary: &vocabulary)
    return program.evaluate(facts: [2, 3, 7_200, 1])
}

/// The message and caret line of the error `text` raises.
func ruleError(_ text: String) -> String {
    var vocabulary = TestVocabulary()
    do {
        _ = try RuleCompiler.compile(try RuleParser.expression(text), vocabulary: &vocabulary)
        return "no error"
    } catch {
        return error.message + "\n" + error.excerpt(of: text)
    }
}

@Suite struct RuleParserPrecedence {
    @Test func multiplicationBindsTighterThanAddition() throws {
        #expect(try value("1 + a * b") == 7)
        #expect(try value("(1 + a) * b") == 9)
    }

    @Test func subtractionAndDivisionAssociateLeft() throws {
        #expect(try value("10 - a - b") == 5)
        #expect(try value("12 / a / b") == 2)
    }

    @Test func unaryMinusBindsTighterThanMultiplication() throws {
        #expect(try value("-a * b") == -6)
        #expect(try value("- (a + b)") == -5)
    }

    @Test func comparisonBindsLooserThanArithmetic() throws {
        #expect(try value("a + 1 > b - 1") == 1)
        #expect(try value("a * b == 6") == 1)
    }

    @Test func andBindsTighterThanOr() throws {
        // true or (false and false) is true; (true or false) and false would be false.
        #expect(try value("a > 1 or a > 5 and b > 5") == 1)
        #expect(try value("(a > 1 or a > 5) and b > 5") == 0)
    }

    @Test func notBindsLooserThanComparison() throws {
        #expect(try value("not a > 5") == 1)
        #expect(try value("!ok || a == 2") == 1)
        #expect(try value("not ok and a == 2") == 0)
    }
}

@Suite struct RuleUnits {
    @Test func durationsAreHeldInSeconds() throws {
        #expect(try value("t == 2h") == 1)
        #expect(try value("t == 120min") == 1)
        #expect(try value("t > 7199s and t < 7201s") == 1)
        #expect(try value("t / 2 == 1h") == 1)
        #expect(try value("t / 30m") == 4)
    }

    @Test func aPercentageIsAShare() throws {
        #expect(try value("0.02 == 2%") == 1)
    }

    @Test func aDurationCannotBeComparedWithAPlainNumber() {
        #expect(
            ruleError("t > 30") == """
                cannot compare a duration and a number; give the number a unit, e.g. `30h`
                    t > 30
                        ^^
                """)
    }

    @Test func durationsCannotBeMultiplied() {
        #expect(ruleError("t * t > 1h").hasPrefix("cannot multiply a duration by a duration"))
    }

    @Test func anUnknownUnitIsNamedWithASuggestion() {
        var vocabulary = TestVocabulary()
        do {
            _ = try RuleCompiler.compile(try RuleParser.expression("t > 3hr"), vocabulary: &vocabulary)
            Issue.record("no error")
        } catch {
            #expect(error.message == "unknown unit `hr`; expected ms, s, min, h, d, w or %")
            #expect(error.suggestion == "h")
            #expect(error.span == RuleSpan(5, 7))
        }
    }
}

@Suite struct RuleErrors {
    @Test func anUnexpectedCharacterIsMarked() {
        #expect(
            ruleError("a > 1 # comment") == """
                unexpected character `#`
                    a > 1 # comment
                          ^
                """)
    }

    @Test func aMissingOperandIsReportedAtTheEnd() {
        #expect(
            ruleError("a >") == """
                the rule ends where a value was expected
                    a >
                       ^
                """)
    }

    @Test func anUnclosedParenthesisIsReported() {
        #expect(ruleError("(a + b").hasPrefix("expected `)` to close the `(`; found the end of the rule"))
    }

    @Test func twoValuesSideBySideAreReported() {
        #expect(
            ruleError("a b") == """
                expected an operator or the end of the rule; found `b`
                    a b
                      ^
                """)
    }

    @Test func comparisonsDoNotChain() {
        #expect(ruleError("1 < a < 3").hasPrefix("comparisons do not chain"))
    }

    @Test func aSingleEqualsSignIsNotAComparison() {
        #expect(
            ruleError("a = 2") == """
                `=` assigns; to compare, write `==`
                    a = 2
                      ^
                """)
    }

    @Test func andNeedsConditions() {
        #expect(
            ruleError("a and ok") == """
                `and` joins conditions; found a number
                    a and ok
                    ^
                """)
    }

    @Test func anUnclosedTextIsReported() {
        #expect(ruleError("\"abc").hasPrefix("a text started here is never closed"))
    }

    @Test func anUnknownNameComesFromTheVocabularyWithItsSpan() {
        #expect(
            ruleError("a + zz > 1") == """
                unknown name `zz`
                    a + zz > 1
                        ^^
                """)
    }

    @Test func aConditionMustBeTrueOrFalse() {
        var vocabulary = TestVocabulary()
        #expect(throws: RuleError.self) {
            _ = try RuleCompiler.condition(try RuleParser.expression("a + b"), vocabulary: &vocabulary)
        }
    }
}

@Suite struct RuleFuzzing {
    /// A small deterministic generator (SplitMix64), so a failing stream can be replayed.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [
        "a", "b", "t", "ok", "1", "2.5", "30h", "5%", "(", ")", "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=",
        "=", "and", "or", "not", "!", "&&", "||", ",", ":", ".", "f(", "last:", "\"x\"", "\"", "#", "wip", "3d",
        "x.y", " ", "",
    ]

    @Test func randomTokenStreamsNeverCrashTheParser() {
        var random = SplitMix(state: 2026)
        var parsed = 0
        var rejected = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 12)
            let text = (0..<length).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
                .joined(separator: random.next() % 2 == 0 ? " " : "")
            var vocabulary = TestVocabulary()
            do {
                let program = try RuleCompiler.compile(try RuleParser.expression(text), vocabulary: &vocabulary)
                _ = program.evaluate(facts: [2, 3, 7_200, 1])
                parsed += 1
            } catch {
                // Every error points inside (or just past) the text.
                #expect(error.span.start <= text.count)
                #expect(!error.message.isEmpty)
                rejected += 1
            }
            _ = try? RuleParser.command(text)
        }
        // The generator must exercise both paths, or the test proves little.
        #expect(parsed > 200)
        #expect(rejected > 5_000)
    }
}

@Suite struct RuleLanguageLimits {
    @Test func aLiteralZeroDivisorIsAnErrorAtTheZero() {
        #expect(ruleError("0 / 0 == 0") == "division by zero\n    0 / 0 == 0\n        ^")
        #expect(ruleError("a / 0 > 1") == "division by zero\n    a / 0 > 1\n        ^")
    }

    @Test func aDivisionByAFactThatIsZeroHasNoValueAndEveryComparisonWithItIsFalse() throws {
        // a = 2, b = 3: `a / (b - 3)` divides by zero.
        for comparison in ["<", "<=", ">", ">=", "==", "!="] {
            #expect(try value("a / (b - 3) \(comparison) 1") == 0, "\(comparison)")
        }
        #expect(try value("a / (b - 3) > 1 or ok") == 1, "the rest of the condition still counts")
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() {
        let depth = RuleParser.maximumNesting + 1
        let text = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth) + " > 1"
        #expect(ruleError(text).hasPrefix("nested more than \(RuleParser.maximumNesting) levels deep"))
        let nots = String(repeating: "not ", count: 9_400) + "ok"
        #expect(ruleError(nots).hasPrefix("more than \(RuleLexer.maximumTokens) tokens"))
    }

    @Test func nestingAtTheLimitStillParses() throws {
        let depth = RuleParser.maximumNesting - 1
        let text = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth) + " > 1"
        #expect(try value(text) == 1)
    }

    @Test func aRuleOfMoreThanTheTokenLimitIsAnErrorWithAShortExcerpt() {
        let text = Array(repeating: "1", count: 5_000).joined(separator: " + ") + " > 0"
        let message = ruleError(text)
        #expect(message.hasPrefix("more than \(RuleLexer.maximumTokens) tokens"))
        #expect(message.count < 250, "the excerpt shows the tokens around the culprit, not the whole text")
    }

    @Test func aLongChainWithinTheTokenLimitEvaluates() throws {
        let text = Array(repeating: "1", count: 190).joined(separator: " + ") + " == 190"
        #expect(try value(text) == 1)
    }

    @Test func aControlCharacterIsNamedByItsCodePoint() {
        #expect(ruleError("a > 1 \u{1}").hasPrefix("unexpected character `U+0001`"))
    }
}
