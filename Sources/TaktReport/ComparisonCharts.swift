import TaktExperiment

/// Charts of what-ifs: differences with their intervals, and KPIs across a sweep.
public enum ComparisonCharts {
    /// One row per KPI: the paired difference B − A with its 95% interval, each row on its
    /// own scale (KPIs have different units), zero marked. Significant rows are solid.
    public static func differences(_ rows: [KPIDifference]) -> String {
        let rowHeight = 22.0
        let width = 900.0
        let labelWidth = 200.0
        let valueWidth = 260.0
        let plotLeft = labelWidth
        let plotRight = width - valueWidth
        var chart = SVGChart(
            width: width, height: 30 + rowHeight * Double(rows.count) + 10,
            title: "Differences B − A with 95% confidence intervals")
        let centre = (plotLeft + plotRight) / 2
        chart.text("B − A (each row on its own scale; solid: the interval excludes 0)", x: plotLeft, y: 14, size: 10)
        for (index, row) in rows.enumerated() {
            let y = 30 + Double(index) * rowHeight
            chart.text(row.name, x: labelWidth - 8, y: y + 4, anchor: "end", size: 10)
            let reach = max(abs(row.difference) + row.halfWidth, 1e-300)
            func x(_ value: Double) -> Double { centre + value / reach * (plotRight - plotLeft) / 2 * 0.95 }
            chart.line(x1: centre, y1: y - 8, x2: centre, y2: y + 8, stroke: "#999")
            chart.line(
                x1: x(row.difference - row.halfWidth), y1: y, x2: x(row.difference + row.halfWidth), y2: y,
                stroke: "#1565c0", width: 2)
            for end in [row.difference - row.halfWidth, row.difference + row.halfWidth] {
                chart.line(x1: x(end), y1: y - 5, x2: x(end), y2: y + 5, stroke: "#1565c0", width: 2)
            }
            chart.body.append(
                "<circle cx=\"\(px(x(row.difference)))\" cy=\"\(px(y))\" r=\"4\" fill=\"\(row.isSignificant ? "#1565c0" : "#fff")\" stroke=\"#1565c0\" stroke-width=\"1.5\"><title>\(escaped("\(row.name): \(number(row.difference, decimals: decimals(for: row.difference))) ± \(number(row.halfWidth, decimals: decimals(for: row.difference))) \(row.unit)"))</title></circle>"
            )
            chart.text(
                "\(number(row.difference, decimals: decimals(for: row.difference))) ± \(number(row.halfWidth, decimals: decimals(for: row.difference))) \(row.unit)\(row.isSignificant ? " *" : "")",
                x: plotRight + 8, y: y + 4, size: 10)
        }
        return chart.rendered()
    }

    /// A KPI across the points of a sweep: mean and 95% interval per point.
    public static func acrossPoints(
        name: String, unit: String, labels: [String], means: [Double], halfWidths: [Double]
    ) -> String {
        let width = 430.0
        let height = 220.0
        var chart = SVGChart(width: width, height: height, title: "\(name) across the sweep")
        let left = 50.0
        let right = width - 12
        let top = 24.0
        let bottom = height - 50
        chart.text("\(name) (\(unit))", x: left, y: 14, weight: "bold")
        let lows = zip(means, halfWidths).map { $0 - $1 }
        let highs = zip(means, halfWidths).map { $0 + $1 }
        var low = min(lows.min() ?? 0, 0)
        let high = max(highs.max() ?? 1, low + 1e-9)
        if low > 0 { low = 0 }
        func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
        let slot = (right - left) / Double(max(labels.count, 1))
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
        chart.line(x1: left, y1: bottom, x2: right, y2: bottom)
        for value in [low, (low + high) / 2, high] {
            chart.line(x1: left, y1: y(value), x2: right, y2: y(value), stroke: "#ddd", width: 0.5)
            chart.text(
                number(value, decimals: decimals(for: high)), x: left - 4, y: y(value) + 3, anchor: "end", size: 9)
        }
        chart.polyline(means.indices.map { (x($0), y(means[$0])) }, stroke: "#1565c0")
        for i in means.indices {
            chart.line(x1: x(i), y1: y(lows[i]), x2: x(i), y2: y(highs[i]), stroke: "#1565c0", width: 1.5)
            chart.body.append(
                "<circle cx=\"\(px(x(i)))\" cy=\"\(px(y(means[i])))\" r=\"3.5\" fill=\"#1565c0\"><title>\(escaped("\(labels[i]): \(number(means[i], decimals: decimals(for: means[i]))) ± \(number(halfWidths[i], decimals: decimals(for: means[i]))) \(unit)"))</title></circle>"
            )
            chart.text(labels[i], x: x(i), y: bottom + 14 + Double(i % 2) * 11, anchor: "middle", size: 8)
        }
        return chart.rendered()
    }
}
