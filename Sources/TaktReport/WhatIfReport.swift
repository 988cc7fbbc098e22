import TaktExperiment
import TaktScenario

/// Reports of what-ifs: `takt compare` (two scenarios, paired differences) and `takt sweep`
/// (a KPI across a grid of values).
public enum WhatIfReport {
    /// The comparison of A and B: a chart of every difference with its interval, then a table.
    public static func comparison(
        a: ExperimentResults, b: ExperimentResults, differences: [KPIDifference], labels: (String, String),
        tool: String
    ) -> String {
        let headline = differences.filter { !$0.name.contains("[") }
        var body = "<h1>\(escaped(labels.0)) vs \(escaped(labels.1))</h1>"
        body +=
            "<p class=\"meta\">A: \(escaped(labels.0)) · B: \(escaped(labels.1)) · \(a.replications) paired replications with common random numbers, seed \(a.seed) · written by \(escaped(tool))</p>"
        body +=
            "<section id=\"differences\"><h2>Line KPIs: B − A</h2><figure>\(ComparisonCharts.differences(headline))<figcaption>Dot: mean paired difference B − A; bar: its 95% Student-t interval. A filled dot and * mean the interval excludes zero: a real difference, not noise.</figcaption></figure></section>"
        body +=
            "<section id=\"table\"><h2>Every KPI</h2><table><thead><tr><th>KPI</th><th class=\"number\">A</th><th class=\"number\">B</th><th class=\"number\">B − A ± 95% CI</th><th>unit</th></tr></thead><tbody>"
        for d in differences {
            let places = decimals(for: max(abs(d.meanA), abs(d.meanB)))
            body +=
                "<tr><td>\(escaped(d.name))</td><td class=\"number\" data-kpi=\"\(escaped(d.name))\" data-run=\"a\">\(number(d.meanA, decimals: places))</td><td class=\"number\" data-kpi=\"\(escaped(d.name))\" data-run=\"b\">\(number(d.meanB, decimals: places))</td><td class=\"number\">\(number(d.difference, decimals: places)) ± \(number(d.halfWidth, decimals: places))\(d.isSignificant ? " *" : "")</td><td>\(escaped(d.unit))</td></tr>"
        }
        body += "</tbody></table></section>"
        return HTMLPage.render(title: "Takt comparison: \(labels.0) vs \(labels.1)", body: body)
    }

    /// A sweep: one chart per shown KPI across the points, then a table.
    public static func sweep(
        file: String, points: [String], results: [ExperimentResults], kpis: [String], tool: String
    ) -> String {
        var body = "<h1>Sweep of \(escaped(file))</h1>"
        body +=
            "<p class=\"meta\">\(points.count) points × \(results.first?.replications ?? 0) replications, seed \(results.first?.seed ?? 0) · written by \(escaped(tool))</p>"
        body += "<section id=\"charts\"><h2>KPIs across the sweep</h2><div class=\"pair\">"
        for name in kpis {
            let values = results.compactMap { $0.kpi(name) }
            guard values.count == results.count, let unit = values.first?.unit else { continue }
            body += ComparisonCharts.acrossPoints(
                name: name, unit: unit, labels: points, means: values.map(\.mean), halfWidths: values.map(\.halfWidth))
        }
        body +=
            "</div><p class=\"note\">Each point: the mean over replications with its 95% confidence interval.</p></section>"
        body += "<section id=\"table\"><h2>Points</h2><table><thead><tr><th>point</th>"
        for name in kpis {
            body += "<th class=\"number\">\(escaped(name)) (\(escaped(results.first?.kpi(name)?.unit ?? "")))</th>"
        }
        body += "</tr></thead><tbody>"
        for (index, result) in results.enumerated() {
            body += "<tr><td>\(escaped(points[index]))</td>"
            for name in kpis {
                if let kpi = result.kpi(name) { body += RunReport.kpiCell(kpi) } else { body += "<td>–</td>" }
            }
            body += "</tr>"
        }
        body += "</tbody></table></section>"
        return HTMLPage.render(title: "Takt sweep: \(file)", body: body)
    }
}
