import TaktExperiment

/// The MES's decisions over the timeline window: one row per kind of actor (SPC, recall,
/// rules, maintenance, material supply, incidents, order tracking), a tick per decision with its audit entry as
/// tooltip, on the same time axis as the machine timeline above it.
public enum MESEventChart {
    /// The rows, in order, and which actors each holds.
    static let rows: [(label: String, colour: String, matches: @Sendable (String) -> Bool)] = [
        ("SPC", "#b71c1c", { $0 == "spc" }),
        ("recall", "#6a1b9a", { $0 == "recall" }),
        ("rules", "#e65100", { $0.hasPrefix("rule ") }),
        ("maintenance", "#2e7d32", { $0 == "maintenance" }),
        ("material", "#00838f", { $0 == "material" }),
        ("incidents", "#ad1457", { $0 == "incident" }),
        ("orders", "#1565c0", { $0 == "order-tracking" }),
    ]

    /// The row an actor's decisions go in (the last, "other", when none matches).
    static func row(of actor: String) -> Int { rows.firstIndex { $0.matches(actor) } ?? rows.count }

    /// The chart of `trace.events`, or a note when the window holds none.
    public static func svg(_ trace: RunTrace) -> String {
        let labelWidth = 110.0
        let plotWidth = 760.0
        let rowHeight = 16.0
        let top = 8.0
        let labels = rows.map(\.label) + ["other"]
        var chart = SVGChart(
            width: labelWidth + plotWidth + 10, height: top + Double(labels.count) * rowHeight + 28,
            title:
                "MES decisions from \(TimelineChart.hours(trace.timelineStart)) to \(TimelineChart.hours(trace.timelineEnd))"
        )
        let span = max(trace.timelineEnd - trace.timelineStart, 1e-9)
        func x(_ t: Double) -> Double { labelWidth + (t - trace.timelineStart) / span * plotWidth }
        var counts = [Int](repeating: 0, count: labels.count)
        var ticks = [[String]](repeating: [], count: labels.count)
        for event in trace.events {
            let r = row(of: event.actor)
            counts[r] += 1
            let y = top + Double(r) * rowHeight
            ticks[r].append(
                "<line x1=\"\(px(x(event.time)))\" y1=\"\(px(y + 2))\" x2=\"\(px(x(event.time)))\" y2=\"\(px(y + rowHeight - 2))\" stroke=\"\(r < rows.count ? rows[r].colour : "#555")\" stroke-width=\"1.5\"><title>\(escaped("\(TimelineChart.hours(event.time)) \(event.actor): \(event.action) \(event.subject) — \(event.reason)"))</title></line>"
            )
        }
        for (r, label) in labels.enumerated() {
            let y = top + Double(r) * rowHeight
            chart.text("\(label) (\(counts[r]))", x: labelWidth - 6, y: y + rowHeight * 0.7, anchor: "end", size: 10)
            chart.line(
                x1: labelWidth, y1: y + rowHeight / 2, x2: labelWidth + plotWidth, y2: y + rowHeight / 2,
                stroke: "#e0e0e0")
            chart.body += ticks[r]
        }
        let axisY = top + Double(labels.count) * rowHeight + 2
        chart.line(x1: labelWidth, y1: axisY, x2: labelWidth + plotWidth, y2: axisY)
        chart.text(TimelineChart.hours(trace.timelineStart), x: labelWidth, y: axisY + 14, size: 9)
        chart.text(
            TimelineChart.hours(trace.timelineEnd), x: labelWidth + plotWidth, y: axisY + 14, anchor: "end", size: 9)
        return chart.rendered()
    }

    /// The first `limit` decisions as a table: time, actor, action, subject, old → new is in
    /// the audit trail; here the reason, so a trainer can say why.
    public static func table(_ trace: RunTrace, limit: Int = 40) -> String {
        guard !trace.events.isEmpty else {
            return
                "<p class=\"note\">The MES made no decision in this window (dispatching and unit releases aside).</p>"
        }
        var out =
            "<table><thead><tr><th class=\"number\">time</th><th>actor</th><th>action</th><th>subject</th><th>reason</th></tr></thead><tbody>"
        for event in trace.events.prefix(limit) {
            out +=
                "<tr><td class=\"number\">\(escaped(TimelineChart.hours(event.time)))</td><td>\(escaped(event.actor))</td><td>\(escaped(event.action))</td><td>\(escaped(event.subject))</td><td>\(escaped(event.reason))</td></tr>"
        }
        out += "</tbody></table>"
        let shown = min(limit, trace.events.count)
        if trace.eventsInWindow > shown {
            out +=
                "<p class=\"note\">The first \(shown) of \(trace.eventsInWindow) decisions in the window; the whole trail is in the trace store (<code>takt run --trace</code>).</p>"
        }
        return out
    }
}
