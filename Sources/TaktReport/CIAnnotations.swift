import TaktExperiment

/// GitHub Actions workflow commands for `takt check --annotations github`: each failure an
/// `::error`, each verdict that could not be judged a `::warning`, at the scenario file and
/// line they concern, so that they show on the pull request's diff.
public enum GitHubAnnotations {
    /// One line per annotation, in the order of the check's output.
    public static func lines(_ checks: [ScenarioCheck]) -> [String] {
        var lines: [String] = []
        for check in checks {
            func annotate(_ level: String, line: Int?, title: String, _ message: String) {
                var properties = "file=\(property(check.file))"
                if let line { properties += ",line=\(line)" }
                properties += ",title=\(property(title))"
                lines.append("::\(level) \(properties)::\(data(message))")
            }
            func level(_ verdict: CheckVerdict) -> String? {
                switch verdict {
                case .pass: nil
                case .fail, .error: "error"
                case .inconclusive: check.strict ? "error" : "warning"
                }
            }
            for verdict in check.assertions {
                guard let level = level(verdict.verdict) else { continue }
                annotate(
                    level, line: verdict.line,
                    title: "takt check \(verdict.verdict.rawValue): assert \(verdict.assertion)",
                    verdict.message)
            }
            for verdict in check.regressions {
                guard let level = level(verdict.verdict) else { continue }
                let what = verdict.verdict == .fail ? "regression" : verdict.verdict.rawValue
                annotate(
                    level, line: verdict.line, title: "takt check \(what): \(verdict.kpi)",
                    "\(check.scenario): \(verdict.kpi): \(verdict.message)")
            }
            for pattern in check.unmatched {
                annotate(
                    "error", line: pattern.line, title: "takt check: unmatched KPI pattern",
                    "\(pattern.source): `\(pattern.text)` matches no KPI of this run or its baseline")
            }
            if let why = check.notCompared {
                annotate(check.strict ? "error" : "warning", line: 1, title: "takt check: no baseline", why)
            }
        }
        return lines
    }

    /// A message: `%`, CR and LF escaped as the runner expects.
    static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// A property value: also `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
