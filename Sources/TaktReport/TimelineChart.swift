import TaktExperiment
import TaktPlant

/// The timeline (Gantt) of every machine over the trace's window, by ISO 22400-2 time element
/// and cause: the same classification as the OEE and its losses.
public enum TimelineChart {
    /// One row per machine, coloured and patterned by time element, with hour ticks and a legend.
    public static func svg(_ trace: RunTrace) -> String {
        let labelWidth = 110.0
        let plotWidth = 760.0
        let rowHeight = 18.0
        let top = 10.0
        let rows = Double(trace.machines.count)
        var chart = SVGChart(
            width: labelWidth + plotWidth + 10, height: top + rows * rowHeight + 86,
            title: "Machine time from \(hours(trace.timelineStart)) to \(hours(trace.timelineEnd))")
        chart.defs = ElementPalette.definitions
        let span = max(trace.timelineEnd - trace.timelineStart, 1e-9)
        func x(_ t: Double) -> Double { labelWidth + (t - trace.timelineStart) / span * plotWidth }
        // One path per machine and element (not one rectangle per span): a pattern fill per
        // path keeps the file small and printing fast.
        for (m, spans) in trace.timeline.enumerated() {
            let y = top + Double(m) * rowHeight
            chart.text(trace.machines[m], x: labelWidth - 6, y: y + rowHeight * 0.7, anchor: "end")
            var outlines = [String](repeating: "", count: TimeElement.count)
            var seconds = [Double](repeating: 0, count: TimeElement.count)
            for piece in spans {
                let from = x(piece.start)
                outlines[piece.state] +=
                    "M\(px(from)) \(px(y + 2))h\(px(x(piece.end) - from))v\(px(rowHeight - 4))H\(px(from))z"
                seconds[piece.state] += piece.end - piece.start
            }
            for element in TimeElement.allCases where !outlines[element.rawValue].isEmpty {
                chart.body.append(
                    "<path d=\"\(outlines[element.rawValue])\" fill=\"\(ElementPalette.fill(element))\" shape-rendering=\"crispEdges\"><title>\(escaped("\(trace.machines[m]): \(element) \(number(seconds[element.rawValue] / span * 100, decimals: 1))% of the window"))</title></path>"
                )
            }
        }
        let axisY = top + rows * rowHeight + 2
        chart.line(x1: labelWidth, y1: axisY, x2: labelWidth + plotWidth, y2: axisY)
        let step = span > 2 * 86_400 ? 86_400.0 : span > 12 * 3_600 ? 4 * 3_600 : 3_600
        var tick = (trace.timelineStart / step).rounded(.up) * step
        while tick <= trace.timelineEnd + 1e-9 {
            chart.line(x1: x(tick), y1: axisY, x2: x(tick), y2: axisY + 4)
            chart.text(hours(tick), x: x(tick), y: axisY + 15, anchor: "middle", size: 10)
            tick += step
        }
        ElementPalette.legend(into: &chart, x: labelWidth, y: axisY + 36, width: plotWidth)
        return chart.rendered()
    }

    /// Seconds since time 0 as `26 h`.
    static func hours(_ seconds: Double) -> String {
        let h = seconds / 3_600
        if h == h.rounded(), let whole = Int(exactly: h) { return "\(whole) h" }
        // Beyond any run (only a damaged file has such a time): exponent notation, not 300 digits.
        return abs(h) < 1e15 ? "\(number(h, decimals: 1)) h" : "\(h) h"
    }
}
