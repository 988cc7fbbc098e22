import Foundation
import TaktExperiment
import TaktScenario

/// The outcome of `takt check` for one scenario: its assertions and its KPIs against the
/// baseline.
public struct ScenarioCheck: Sendable {
    public var scenario: String
    public var file: String
    public var assertions: [AssertionVerdict]
    public var regressions: [RegressionVerdict]
    /// Wall-clock seconds the scenario's run took.
    public var seconds: Double
    /// KPIs tested against the baseline (Holm's family), and those `check:` left out.
    public var family = 0
    public var leftOut = 0
    /// Patterns of `check:`, `--kpi` or `--ignore-kpi` that match no KPI: errors.
    public var unmatched: [KPIPattern] = []
    /// With a baseline given: why this scenario was not compared with it (nil when it was).
    public var notCompared: String?
    /// Whether `--strict` turns what could not be judged into failures.
    public var strict = false

    /// A scenario's outcome.
    public init(
        scenario: String, file: String, assertions: [AssertionVerdict], regressions: [RegressionVerdict],
        seconds: Double
    ) {
        self.scenario = scenario
        self.file = file
        self.assertions = assertions
        self.regressions = regressions
        self.seconds = seconds
    }

    /// Every verdict, with what `--strict` makes of one that could not be judged.
    public var verdicts: [CheckVerdict] {
        var all = assertions.map(\.verdict) + regressions.map(\.verdict)
        if !unmatched.isEmpty { all.append(.error) }
        if notCompared != nil { all.append(.inconclusive) }
        return strict ? all.map { $0 == .inconclusive ? .fail : $0 } : all
    }
}

/// JUnit XML, as CI servers (Jenkins, GitLab, GitHub actions) read it: one test suite per
/// scenario, one test case per assertion and per KPI compared with the baseline (its message
/// gives both runs' means and intervals). A failed assertion or a regression is a
/// `<failure>`, an inconclusive assertion or a KPI in only one of the runs `<skipped>` (a
/// `<failure>` with `--strict`), an assertion naming a KPI the run lacks or a `check:`
/// pattern matching none an `<error>`.
public enum JUnitReport {
    /// The document for `checks`.
    public static func xml(_ checks: [ScenarioCheck]) -> String {
        var suites = ""
        var total = (tests: 0, failures: 0, errors: 0)
        for check in checks {
            var cases = ""
            var counts = (tests: 0, failures: 0, errors: 0, skipped: 0)
            func testCase(_ classname: String, _ name: String, _ verdict: CheckVerdict, _ message: String) {
                counts.tests += 1
                let head = "    <testcase classname=\"\(escaped(classname))\" name=\"\(escaped(name))\" time=\"0\""
                switch verdict {
                case .pass:
                    cases += "\(head)>\n      <system-out>\(escaped(message))</system-out>\n    </testcase>\n"
                case .fail:
                    counts.failures += 1
                    cases +=
                        "\(head)>\n      <failure type=\"\(classname.hasSuffix("baseline") ? "regression" : "assertion")\" message=\"\(escaped(message))\">\(escaped(message))</failure>\n    </testcase>\n"
                case .inconclusive where check.strict:
                    counts.failures += 1
                    cases +=
                        "\(head)>\n      <failure type=\"inconclusive\" message=\"\(escaped(message))\">--strict: \(escaped(message))</failure>\n    </testcase>\n"
                case .inconclusive:
                    counts.skipped += 1
                    cases +=
                        "\(head)>\n      <skipped message=\"inconclusive: \(escaped(message))\"/>\n    </testcase>\n"
                case .error:
                    counts.errors += 1
                    cases +=
                        "\(head)>\n      <error type=\"\(classname.hasSuffix(".check") ? "unmatched-kpi-pattern" : "missing-kpi")\" message=\"\(escaped(message))\"/>\n    </testcase>\n"
                }
            }
            for verdict in check.assertions {
                testCase("\(check.scenario).assert", verdict.assertion, verdict.verdict, verdict.message)
            }
            for verdict in check.regressions {
                testCase("\(check.scenario).baseline", verdict.kpi, verdict.verdict, verdict.message)
            }
            for pattern in check.unmatched {
                testCase(
                    "\(check.scenario).check", pattern.text, .error,
                    "\(pattern.source): `\(pattern.text)` matches no KPI of this run or its baseline")
            }
            if let why = check.notCompared {
                testCase("\(check.scenario).baseline", "baseline", check.strict ? .fail : .inconclusive, why)
            }
            total.tests += counts.tests
            total.failures += counts.failures
            total.errors += counts.errors
            suites +=
                "  <testsuite name=\"\(escaped(check.scenario))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(String(format: "%.3f", check.seconds))\" file=\"\(escaped(check.file))\">\n\(cases)  </testsuite>\n"
        }
        let time = checks.reduce(0) { $0 + $1.seconds }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="takt check" tests="\(total.tests)" failures="\(total.failures)" errors="\(total.errors)" time="\(String(format: "%.3f", time))">
            \(suites)</testsuites>

            """
    }

}
