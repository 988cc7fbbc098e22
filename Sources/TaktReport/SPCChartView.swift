import TaktExperiment

/// A control chart as the report draws it over the observation window: the plotted points,
/// the centre line and the limits dashed (stepped where they vary from point to point), every
/// signal marked with a ring and its rules, and the R, S or MR chart below an X̄ or X chart.
public enum SPCChartView {
    /// Points a panel draws one by one; above this, each pixel column shows the range of its
    /// points and their mean, so a long run stays readable.
    public static let densityLimit = 300

    /// The chart of `spc`, values in `unit`.
    public static func svg(_ spc: RunTrace.SPCChart, unit: String = "") -> String {
        let width = 880.0
        let panel = 190.0
        let lowerPanel = spc.dispersion == nil ? 0.0 : 110.0
        let height = 30 + panel + lowerPanel + 26
        var chart = SVGChart(
            width: width, height: height, title: "\(spc.station): \(spc.chart) with limits and signals")
        let left = 56.0
        let right = width - 96
        chart.text("\(spc.station): \(spc.chart)", x: left, y: 14, weight: "bold")
        let start = spc.windowStart
        let end = max(spc.windowEnd, start + 1)
        func x(_ t: Double) -> Double { left + (min(max(t, start), end) - start) / (end - start) * (right - left) }
        let top = 26.0
        let bottom = top + panel - 20
        guard !spc.times.isEmpty else {
            chart.text("no point after the baseline in the observation window", x: left, y: top + 20)
            return chart.rendered()
        }
        let limitsLow = spc.lowerLimits.min() ?? spc.lower
        let limitsHigh = spc.upperLimits.max() ?? spc.upper
        let margin = max(limitsHigh - limitsLow, 1e-12) * 0.25
        let low = min(spc.values.min() ?? limitsLow, spc.secondValues.min() ?? limitsLow, limitsLow - margin)
        let high = max(spc.values.max() ?? limitsHigh, limitsHigh + margin)
        func y(_ v: Double) -> Double { bottom - (v - low) / max(high - low, 1e-300) * (bottom - top) }
        chart.text(spc.statistic, x: left - 6, y: top + 8, anchor: "end", size: 9)
        drawLimits(
            into: &chart, spc.lower, spc.centre, spc.upper, varying: (spc.lowerLimits, spc.upperLimits),
            times: spc.times, x: x, y: y, left: left, right: right, unit: unit)
        series(into: &chart, spc.times, spc.values, x: x, y: y, stroke: "#1565c0", left: left, right: right)
        if !spc.secondValues.isEmpty {
            series(into: &chart, spc.times, spc.secondValues, x: x, y: y, stroke: "#e65100", left: left, right: right)
        }
        for index in spc.signalTimes.indices {
            chart.body.append(
                "<circle cx=\"\(px(x(spc.signalTimes[index])))\" cy=\"\(px(y(spc.signalValues[index])))\" r=\"3.5\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"1.5\"><title>\(escaped("signal at \(TimelineChart.hours(spc.signalTimes[index])): \(number(spc.signalValues[index], decimals: 3)) (\(spc.signalRules[index]))"))</title></circle>"
            )
        }
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        var axis = bottom
        if let dispersion = spc.dispersion {
            let top2 = bottom + 24
            let bottom2 = top2 + lowerPanel - 24
            let margin2 = max(dispersion.upper - dispersion.lower, 1e-12) * 0.2
            let low2 = min(dispersion.values.min() ?? 0, max(0, dispersion.lower - margin2))
            let high2 = max(dispersion.values.max() ?? dispersion.upper, dispersion.upper + margin2)
            func y2(_ v: Double) -> Double { bottom2 - (v - low2) / max(high2 - low2, 1e-300) * (bottom2 - top2) }
            chart.text(dispersion.statistic, x: left - 6, y: top2 + 8, anchor: "end", size: 9)
            drawLimits(
                into: &chart, dispersion.lower, dispersion.centre, dispersion.upper, varying: ([], []), times: [],
                x: x, y: y2, left: left, right: right, unit: unit)
            series(into: &chart, spc.times, dispersion.values, x: x, y: y2, stroke: "#2e7d32", left: left, right: right)
            chart.line(x1: left, y1: bottom2, x2: right, y2: bottom2)
            axis = bottom2
        }
        chart.text(TimelineChart.hours(start), x: left, y: axis + 14, size: 9)
        chart.text(TimelineChart.hours(end), x: right, y: axis + 14, anchor: "end", size: 9)
        chart.text(
            "\(spc.times.count) points, \(spc.signalTimes.count) signals (rings) in the observation window",
            x: (left + right) / 2, y: axis + 14, anchor: "middle", size: 9)
        return chart.rendered()
    }

    /// Centre line and limits, labelled at the right; stepped lines where the limits vary.
    static func drawLimits(
        into chart: inout SVGChart, _ lower: Double, _ centre: Double, _ upper: Double,
        varying: ([Double], [Double]), times: [Double], x: (Double) -> Double, y: (Double) -> Double, left: Double,
        right: Double, unit: String
    ) {
        let suffix = unit.isEmpty ? "" : " " + unit
        chart.line(x1: left, y1: y(centre), x2: right, y2: y(centre), stroke: "#b71c1c", width: 1, dash: "2 2")
        chart.text(
            "centre \(number(centre, decimals: decimals(for: centre)))\(suffix)", x: right + 4, y: y(centre) + 3,
            size: 9)
        if varying.0.count == times.count, !times.isEmpty {
            for (limits, label) in [(varying.0, "LCL"), (varying.1, "UCL")] {
                var steps: [(Double, Double)] = []
                for (index, time) in times.enumerated() {
                    let from = index == 0 ? left : x(times[index - 1])
                    steps.append((from, y(limits[index])))
                    steps.append((x(time), y(limits[index])))
                }
                chart.body.append(
                    "<polyline points=\"\(steps.map { "\(px($0.0)),\(px($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"1\" stroke-dasharray=\"5 3\"/>"
                )
                chart.text("\(label) (varies)", x: right + 4, y: y(limits.last ?? centre) + 3, size: 9)
            }
            return
        }
        for (label, value) in [("UCL", upper), ("LCL", lower)] {
            chart.line(x1: left, y1: y(value), x2: right, y2: y(value), stroke: "#b71c1c", width: 1, dash: "5 3")
            chart.text(
                "\(label) \(number(value, decimals: decimals(for: value)))\(suffix)", x: right + 4, y: y(value) + 3,
                size: 9)
        }
    }

    /// A series as a line through its points, or, past ``densityLimit`` points, one bar per
    /// pixel column from its lowest to its highest point with a line through the column means.
    static func series(
        into chart: inout SVGChart, _ times: [Double], _ values: [Double], x: (Double) -> Double,
        y: (Double) -> Double, stroke: String, left: Double, right: Double
    ) {
        guard values.count > densityLimit else {
            chart.polyline(zip(times, values).map { (x($0), y($1)) }, stroke: stroke, width: 0.9)
            return
        }
        let columns = Int(right - left)
        var lowest = [Double](repeating: .infinity, count: columns)
        var highest = [Double](repeating: -.infinity, count: columns)
        var sum = [Double](repeating: 0, count: columns)
        var count = [Int](repeating: 0, count: columns)
        for (time, value) in zip(times, values) {
            let column = min(columns - 1, max(0, Int(x(time) - left)))
            lowest[column] = min(lowest[column], value)
            highest[column] = max(highest[column], value)
            sum[column] += value
            count[column] += 1
        }
        var bars = ""
        var means: [(Double, Double)] = []
        for column in 0..<columns where count[column] > 0 {
            let at = left + Double(column) + 0.5
            bars += "M\(px(at)) \(px(y(lowest[column])))V\(px(y(highest[column])))"
            means.append((at, y(sum[column] / Double(count[column]))))
        }
        chart.body.append(
            "<path d=\"\(bars)\" stroke=\"\(stroke)\" stroke-opacity=\"0.35\" stroke-width=\"1\" fill=\"none\"/>")
        chart.polyline(means, stroke: stroke, width: 0.9)
    }
}
