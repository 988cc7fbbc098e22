import Foundation
import Testing
import TaktExperiment
import TaktReport

/// A small chart with fixed numbers, compared with its stored SVG. `scripts/update-golden`
/// rewrites the file deliberately (it sets TAKT_WRITE_GOLDEN_SVG); tests never do otherwise.
@Suite("Golden SVG")
struct GoldenChartTests {
    static let path = "\(repositoryRoot)/Tests/TaktReportTests/Golden/waterfall.svg"

    static var chart: String {
        WaterfallChart.svg(
            title: "OEE 60%",
            steps: [
                .init(name: "availability", parts: [("breakdowns", 0.1), ("setups", 0.05)]),
                .init(name: "performance", parts: [("small stops", 0.15)]),
                .init(name: "quality", parts: [("rejects", 0.1)]),
            ])
    }

    @Test("the waterfall of fixed losses matches its golden SVG")
    func waterfall() throws {
        if ProcessInfo.processInfo.environment["TAKT_WRITE_GOLDEN_SVG"] == "1" {
            try Self.chart.write(toFile: Self.path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(Self.chart == golden)
        #expect(XHTMLDocument(Self.chart).isWellFormed)
        // What remains after losses of 0.15 + 0.15 + 0.1 of planned time: 60%.
        #expect(golden.contains("60.0%"))
    }
}
