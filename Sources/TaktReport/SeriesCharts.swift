import Foundation
import TaktExperiment

/// Line, histogram and bar charts over the trace.
public enum SeriesCharts {
    /// A level over time (hours on the x axis), the warm-up shaded.
    public static func levelOverTime(
        _ series: RunTrace.Series, title: String, unit: String, warmup: Double, width: Double = 880,
        height: Double = 200
    ) -> String {
        var chart = SVGChart(width: width, height: height, title: title)
        let left = 46.0
        let right = width - 12
        let top = 22.0
        let bottom = height - 26
        let end = series.start + series.step * Double(max(series.values.count - 1, 1))
        let highest = max(series.values.max() ?? 1, 1e-9)
        let scale = niceCeiling(highest)
        func x(_ t: Double) -> Double { left + (t - series.start) / max(end - series.start, 1e-9) * (right - left) }
        func y(_ v: Double) -> Double { bottom - v / scale * (bottom - top) }
        chart.text(title, x: left, y: 14, weight: "bold")
        if warmup > series.start {
            chart.rect(
                x: x(series.start), y: top, width: x(min(warmup, end)) - x(series.start), height: bottom - top,
                fill: "#eceff1", tooltip: "warm-up (discarded)")
            chart.text("warm-up", x: x(series.start) + 4, y: top + 12, size: 9, fill: "#607d8b")
        }
        for fraction in [0.0, 0.5, 1.0] {
            chart.line(
                x1: left, y1: y(scale * fraction), x2: right, y2: y(scale * fraction), stroke: "#ddd", width: 0.5)
            chart.text(
                number(scale * fraction, decimals: scale >= 10 ? 0 : 1), x: left - 4, y: y(scale * fraction) + 3,
                anchor: "end", size: 9)
        }
        chart.text(unit, x: left - 4, y: top - 6, anchor: "end", size: 9)
        chart.polyline(
            series.values.enumerated().map { (x(series.start + Double($0.offset) * series.step), y($0.element)) },
            stroke: "#1565c0")
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        let dayStep = end > 10 * 86_400 ? 2 * 86_400.0 : 86_400
        var tick = 0.0
        while tick <= end + 1e-9 {
            if tick >= series.start {
                chart.line(x1: x(tick), y1: bottom, x2: x(tick), y2: bottom + 4)
                chart.text(TimelineChart.hours(tick), x: x(tick), y: bottom + 15, anchor: "middle", size: 9)
            }
            tick += end > 2 * 86_400 ? dayStep : 4 * 3_600
        }
        return chart.rendered()
    }

    /// A histogram of counts over bins with the given edges.
    public static func histogram(edges: [Double], counts: [Int], title: String, unit: String) -> String {
        let width = 430.0
        let height = 210.0
        var chart = SVGChart(width: width, height: height, title: title)
        let left = 40.0
        let right = width - 10
        let top = 22.0
        let bottom = height - 30
        let highest = Double(max(counts.max() ?? 1, 1))
        let scale = niceCeiling(highest)
        chart.text(title, x: left, y: 14, weight: "bold")
        let binWidth = (right - left) / Double(max(counts.count, 1))
        for (index, count) in counts.enumerated() {
            let h = Double(count) / scale * (bottom - top)
            chart.rect(
                x: left + Double(index) * binWidth, y: bottom - h, width: binWidth - 1, height: h, fill: "#5c6bc0",
                tooltip:
                    "\(number(edges[index], decimals: 2))–\(number(edges[index + 1], decimals: 2)) \(unit): \(count) units"
            )
        }
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        chart.text("0", x: left - 4, y: bottom + 3, anchor: "end", size: 9)
        chart.text(number(scale, decimals: 0), x: left - 4, y: top + 3, anchor: "end", size: 9)
        for index in stride(from: 0, through: counts.count, by: max(1, counts.count / 6)) {
            chart.text(
                number(edges[index], decimals: edges.last ?? 0 >= 10 ? 0 : 1), x: left + Double(index) * binWidth,
                y: bottom + 13, anchor: "middle", size: 9)
        }
        chart.text(unit, x: right, y: bottom + 26, anchor: "end", size: 9)
        return chart.rendered()
    }

    /// Good units per shift (or period), as bars in time order, with the mean as a line.
    public static func perShift(_ shifts: [RunTrace.ShiftOutput], title: String) -> String {
        let width = 430.0
        let height = 210.0
        var chart = SVGChart(width: width, height: height, title: title)
        let left = 40.0
        let right = width - 10
        let top = 22.0
        let bottom = height - 30
        chart.text(title, x: left, y: 14, weight: "bold")
        guard !shifts.isEmpty else {
            chart.text("no complete shift in the window", x: left, y: top + 20)
            return chart.rendered()
        }
        let highest = Double(max(shifts.map(\.good).max() ?? 1, 1))
        let scale = niceCeiling(highest)
        let slot = (right - left) / Double(shifts.count)
        for (index, shift) in shifts.enumerated() {
            let h = Double(shift.good) / scale * (bottom - top)
            chart.rect(
                x: left + Double(index) * slot, y: bottom - h, width: max(slot - 1, 0.5), height: h, fill: "#00897b",
                tooltip: "\(shift.label): \(shift.good) good units")
        }
        let mean = Double(shifts.reduce(0) { $0 + $1.good }) / Double(shifts.count)
        let meanY = bottom - mean / scale * (bottom - top)
        chart.line(x1: left, y1: meanY, x2: right, y2: meanY, stroke: "#222", width: 1, dash: "4 3")
        chart.text("mean \(number(mean, decimals: 1))", x: right, y: meanY - 4, anchor: "end", size: 9)
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        chart.text("0", x: left - 4, y: bottom + 3, anchor: "end", size: 9)
        chart.text(number(scale, decimals: 0), x: left - 4, y: top + 3, anchor: "end", size: 9)
        chart.text("\(shifts.first!.label) … \(shifts.last!.label)", x: left, y: bottom + 14, size: 9)
        return chart.rendered()
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow10(floor(log10(value)))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * power >= value * (1 - 1e-12) { return factor * power }
        return 10 * power
    }

    static func pow10(_ exponent: Double) -> Double {
        var result = 1.0
        let n = Int(exponent)
        if n >= 0 { for _ in 0..<n { result *= 10 } } else { for _ in 0..<(-n) { result /= 10 } }
        return result
    }
}
