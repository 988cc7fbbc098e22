import TaktExperiment

/// A control chart as the report draws it: the plotted points over time, the centre line and
/// the 3σ limits dashed, and every signal marked with a ring and its rules.
public enum SPCChartView {
    /// The chart of `spc`, values in `unit`.
    public static func svg(_ spc: RunTrace.SPCChart, unit: String = "") -> String {
        let width = 880.0
        let height = 230.0
        var chart = SVGChart(
            width: width, height: height, title: "\(spc.station): \(spc.chart) with limits and signals")
        let left = 56.0
        let right = width - 80
        let top = 22.0
        let bottom = height - 30
        chart.text("\(spc.station): \(spc.chart)", x: left, y: 14, weight: "bold")
        guard let first = spc.times.first, let last = spc.times.last, last > first else {
            chart.text("no point after the baseline", x: left, y: top + 20)
            return chart.rendered()
        }
        let margin = (spc.upper - spc.lower) * 0.25
        let low = min(spc.values.min() ?? spc.lower, spc.lower - margin)
        let high = max(spc.values.max() ?? spc.upper, spc.upper + margin)
        func x(_ t: Double) -> Double { left + (t - first) / (last - first) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (v - low) / max(high - low, 1e-300) * (bottom - top) }
        for (label, value, dash) in [
            ("UCL", spc.upper, "5 3"), ("centre", spc.centre, "2 2"), ("LCL", spc.lower, "5 3"),
        ] {
            chart.line(x1: left, y1: y(value), x2: right, y2: y(value), stroke: "#b71c1c", width: 1, dash: dash)
            chart.text(
                "\(label) \(number(value, decimals: decimals(for: value)))\(unit.isEmpty ? "" : " " + unit)",
                x: right + 4, y: y(value) + 3, size: 9)
        }
        chart.polyline(zip(spc.times, spc.values).map { (x($0), y($1)) }, stroke: "#1565c0", width: 0.8)
        for index in spc.signalTimes.indices {
            chart.body.append(
                "<circle cx=\"\(px(x(spc.signalTimes[index])))\" cy=\"\(px(y(spc.signalValues[index])))\" r=\"3.5\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"1.5\"><title>\(escaped("signal at \(TimelineChart.hours(spc.signalTimes[index])): \(number(spc.signalValues[index], decimals: 2)) (\(spc.signalRules[index]))"))</title></circle>"
            )
        }
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        chart.text(TimelineChart.hours(first), x: left, y: bottom + 14, size: 9)
        chart.text(TimelineChart.hours(last), x: right, y: bottom + 14, anchor: "end", size: 9)
        chart.text(
            "\(spc.signalTimes.count) signals (rings)", x: (left + right) / 2, y: bottom + 14, anchor: "middle",
            size: 9)
        return chart.rendered()
    }
}
