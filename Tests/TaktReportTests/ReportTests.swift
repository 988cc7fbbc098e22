import Foundation
import Testing
import TaktExperiment
import TaktPlant
import TaktReport
import TaktScenario

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Results of a bundled scenario, short, with the trace the report draws.
func shortRun(_ name: String, overrides: [String] = []) async throws -> ExperimentResults {
    let shorter = ["smt-router-line": ["horizon=3d"], "transfer-line": ["horizon=2d"]][name] ?? []
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/\(name).yaml", overrides: ["replications=3"] + shorter + overrides)
    return try await Experiment.run(scenario, trace: TraceSettings())
}

@Suite("The HTML report")
struct ReportTests {
    @Test(
        "the report of each bundled scenario is well-formed XHTML with its charts",
        arguments: ["smt-router-line", "transfer-line", "ft06-job-shop", "first-line"])
    func wellFormed(_ name: String) async throws {
        let html = RunReport.html(try await shortRun(name), tool: "takt test")
        let document = XHTMLDocument(html)
        #expect(document.isWellFormed, "\(String(describing: document.parseError))")
        #expect(document.elements.filter { $0 == "svg" }.count >= 5)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    @Test("every number shown with a KPI name equals that KPI in the results, to its last digit")
    func numbersMatchResults() async throws {
        let results = try await shortRun("smt-router-line")
        let data = try JSONEncoder().encode(results)
        let saved = try JSONDecoder().decode(ExperimentResults.self, from: data)
        let document = XHTMLDocument(RunReport.html(saved, tool: "takt test"))
        #expect(document.kpiCells.count > 40)
        for cell in document.kpiCells {
            let name = try #require(cell.attributes["data-kpi"])
            let kpi = try #require(saved.kpi(name), "\(name) is not in results.json")
            let scale = Double(cell.attributes["data-scale"] ?? "1") ?? 1
            if cell.text == "undefined" {
                #expect(!kpi.isDefined, "\(name) is shown undefined")
                continue
            }
            let text = cell.text.replacingOccurrences(of: "%", with: "")
            let shown = (text.components(separatedBy: " (").first ?? text).components(separatedBy: " ± ")
            let mean = try #require(Double(shown[0]), "\(name): \(cell.text)")
            // Shown rounded to its last digit: within half a unit of it.
            let digits = shown[0].split(separator: ".").dropFirst().first?.count ?? 0
            let halfUnit = 0.5 * pow(10, -Double(digits)) + 1e-12
            #expect(abs(mean - kpi.mean * scale) <= halfUnit, "\(name): shown \(cell.text), results \(kpi.mean)")
            if shown.count == 2, shown[1] == "n/a" {
                #expect(!kpi.hasInterval, "\(name) has an interval but shows n/a")
            } else if shown.count == 2 {
                let halfWidth = try #require(Double(shown[1]))
                #expect(abs(halfWidth - kpi.halfWidth * scale) <= halfUnit, "\(name) half-width")
            }
        }
    }

    @Test("every pattern a chart fills with is defined in the report, and the loss table names each loss in words")
    func patternsAreDefinedAndLossesNamed() async throws {
        let html = RunReport.html(try await shortRun("smt-router-line"), tool: "takt test")
        let used = Set(html.matches(of: /url\(#([a-z0-9-]+)\)/).map { String($0.output.1) })
        let defined = Set(html.matches(of: /<pattern id="([a-z0-9-]+)"/).map { String($0.output.1) })
        #expect(!used.isEmpty)
        #expect(used.subtracting(defined).isEmpty, "undefined: \(used.subtracting(defined).sorted())")
        #expect(html.contains("<tr><td>no work released</td>"))
        #expect(html.contains("<tr><td>setups and adjustments</td>"))
    }

    @Test("a results file without a trace still gives a report, saying which charts are left out")
    func withoutTrace() async throws {
        var results = try await shortRun("first-line")
        results.trace = nil
        let html = RunReport.html(results, tool: "takt test")
        #expect(XHTMLDocument(html).isWellFormed)
        #expect(html.contains("carry no trace"))
    }

    @Test("a warm-up shorter than MSER-5 suggests is flagged in the summary")
    func shortWarmupWarning() async throws {
        var results = try await shortRun("first-line")
        let trace = try #require(results.trace)
        results.warmup = 0
        results.trace?.suggestedWarmup = 7_200
        results.trace?.suggestedWarmupIsReliable = true
        #expect(
            RunReport.html(results, tool: "t").contains(
                "Warm-up looks too short (MSER-5 on the hourly WIP of replication \(trace.replication) suggests 2h"))
    }

    @Test("the comparison and sweep reports are well-formed")
    func whatIfReports() async throws {
        let a = try await shortRun("first-line")
        let b = try await shortRun("first-line", overrides: ["stations[weld].buffer=6"])
        let comparison = WhatIfReport.comparison(
            a: a, b: b, differences: Comparison.compare(a, b), labels: ("A", "B"), tool: "t")
        #expect(XHTMLDocument(comparison).isWellFormed)
        let sweep = WhatIfReport.sweep(
            file: "first-line.yaml", points: ["buffer=3", "buffer=6"], results: [a, b],
            kpis: ["throughput", "lead_time"], tool: "t")
        let document = XHTMLDocument(sweep)
        #expect(document.isWellFormed)
        #expect(document.elements.filter { $0 == "svg" }.count == 2)
    }
}
