/// OEE as a loss waterfall: planned time, minus availability, performance and quality losses,
/// leaves fully productive time. All values are shares of planned time.
public enum WaterfallChart {
    /// One loss step: its name, its share of planned time and its parts (the big losses).
    public struct Step: Sendable {
        public var name: String
        public var parts: [(name: String, share: Double)]

        public init(name: String, parts: [(name: String, share: Double)]) {
            self.name = name
            self.parts = parts
        }

        var total: Double { parts.reduce(0) { $0 + $1.share } }
    }

    /// One colour per loss, in the order of ``Losses/keys``.
    static let colours = [
        "#c62828", "#ef9a9a", "#6a1b9a", "#ad1457", "#f9a825", "#78909c", "#ef6c00", "#b0bec5", "#ffcc80",
        "#ffe0b2", "#4527a0", "#9575cd",
    ]

    /// The waterfall of `steps` under `title`; the last bar is what remains.
    public static func svg(title: String, steps: [Step], width: Double = 420, height: Double = 230) -> String {
        var chart = SVGChart(width: width, height: height, title: title)
        let left = 40.0
        let bottom = height - 48
        let top = 24.0
        let bars = Double(steps.count + 2)
        let slot = (width - left - 10) / bars
        let barWidth = slot * 0.62
        func y(_ share: Double) -> Double { bottom - share * (bottom - top) }
        chart.text(title, x: left, y: 14, weight: "bold")
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            chart.line(x1: left - 3, y1: y(tick), x2: width - 10, y2: y(tick), stroke: "#ddd", width: 0.5)
            chart.text("\(Int(tick * 100))%", x: left - 5, y: y(tick) + 3, anchor: "end", size: 9)
        }
        func label(_ text: String, _ value: Double, at index: Int) {
            let centre = left + slot * (Double(index) + 0.5)
            chart.text(text, x: centre, y: bottom + 13, anchor: "middle", size: 9)
            chart.text("\(number(value * 100, decimals: 1))%", x: centre, y: bottom + 25, anchor: "middle", size: 9)
        }
        chart.rect(
            x: left + slot * 0.19, y: y(1), width: barWidth, height: y(0) - y(1), fill: "#90a4ae",
            tooltip: "planned time 100%")
        label("planned", 1, at: 0)
        var level = 1.0
        var colourIndex = 0
        for (index, step) in steps.enumerated() {
            var partTop = level
            for part in step.parts {
                defer { colourIndex += 1 }
                guard part.share > 0 else { continue }
                let share = max(0, min(part.share, partTop))
                chart.rect(
                    x: left + slot * (Double(index + 1) + 0.19), y: y(partTop), width: barWidth,
                    height: y(partTop - share) - y(partTop), fill: colours[colourIndex % colours.count],
                    tooltip: "\(part.name): \(number(part.share * 100, decimals: 1))% of planned time",
                    extra: "stroke=\"#fff\" stroke-width=\"0.5\"")
                // Named inside the bar when there is room, so the chart reads without colour.
                let barHeight = y(partTop - share) - y(partTop)
                if step.parts.count > 1, barHeight >= 12, barWidth >= 60 {
                    chart.text(
                        part.name, x: left + slot * (Double(index + 1) + 0.19) + barWidth / 2,
                        y: y(partTop) + barHeight / 2 + 3, anchor: "middle", size: 9, fill: "#fff")
                }
                partTop -= share
            }
            label(step.name, step.total, at: index + 1)
            level -= step.total
        }
        let remaining = max(0, level)
        chart.rect(
            x: left + slot * (Double(steps.count + 1) + 0.19), y: y(remaining), width: barWidth,
            height: y(0) - y(remaining), fill: "#2e7d32",
            tooltip: "fully productive time \(number(remaining * 100, decimals: 1))%")
        label("productive", remaining, at: steps.count + 1)
        chart.line(x1: left, y1: bottom, x2: width - 10, y2: bottom)
        return chart.rendered()
    }
}
