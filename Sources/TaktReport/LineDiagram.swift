import TaktExperiment

/// The line as stations and buffers, with each station's utilisation, blocked and starved
/// shares and how often it was the bottleneck (active-period method).
public enum LineDiagram {
    /// One station's figures.
    public struct Station: Sendable {
        public var name: String
        public var machines: Int
        public var busy: Double
        public var blocked: Double
        public var starved: Double
        public var meanBuffer: Double
        public var bottleneck: RunTrace.BottleneckShare

        public init(
            name: String, machines: Int, busy: Double, blocked: Double, starved: Double, meanBuffer: Double,
            bottleneck: RunTrace.BottleneckShare
        ) {
            self.name = name
            self.machines = machines
            self.busy = busy
            self.blocked = blocked
            self.starved = starved
            self.meanBuffer = meanBuffer
            self.bottleneck = bottleneck
        }
    }

    /// Stations left to right in layout order, each preceded by its buffer.
    /// `bottleneck` names the station to mark (none when the line is demand-limited).
    public static func svg(_ stations: [Station], bottleneck: String?) -> String {
        let slot = 112.0
        let width = max(880, slot * Double(stations.count) + 20)
        let height = 190.0
        var chart = SVGChart(
            width: width, height: height, title: "The line: buffers, stations and the bottleneck")
        chart.defs = StatePalette.definitions
        let leader = stations.firstIndex { $0.name == bottleneck }
        for (index, station) in stations.enumerated() {
            let x = 10 + Double(index) * slot
            // Buffer: a triangle with its mean level.
            let bx = x + 6
            chart.body.append(
                "<polygon points=\"\(px(bx)),40 \(px(bx + 18)),40 \(px(bx + 9)),56\" fill=\"#fff\" stroke=\"#555\"><title>\(escaped("buffer of \(station.name): \(number(station.meanBuffer, decimals: 2)) units on average"))</title></polygon>"
            )
            chart.text(number(station.meanBuffer, decimals: 1), x: bx + 9, y: 68, anchor: "middle", size: 9)
            chart.text("units", x: bx + 9, y: 77, anchor: "middle", size: 7)
            chart.line(x1: bx + 20, y1: 48, x2: x + 30, y2: 48, stroke: "#555")
            let isLeader = index == leader
            chart.rect(
                x: x + 30, y: 22, width: 76, height: 52, fill: isLeader ? "#ffebee" : "#f5f5f5",
                tooltip:
                    "\(station.name): busy \(percent(station.busy)), blocked \(percent(station.blocked)), starved \(percent(station.starved)); bottleneck \(percent(station.bottleneck.sole)) sole, \(percent(station.bottleneck.shifting)) shifting",
                extra: "stroke=\"\(isLeader ? "#c62828" : "#555")\" stroke-width=\"\(isLeader ? 2.5 : 1)\"")
            chart.text(station.name, x: x + 68, y: 36, anchor: "middle", size: 10, weight: "bold")
            chart.text(
                station.machines > 1 ? "\(station.machines) machines" : "1 machine", x: x + 68, y: 48, anchor: "middle",
                size: 8)
            chart.text("busy \(percent(station.busy))", x: x + 68, y: 62, anchor: "middle", size: 9)
            // Stacked shares: busy, blocked, starved.
            var offset = 0.0
            for (share, state) in [(station.busy, 0), (station.blocked, 3), (station.starved, 2)] {
                chart.rect(
                    x: x + 30 + offset * 76, y: 80, width: share * 76, height: 8,
                    fill: StatePalette.fill(.init(rawValue: state)!))
                offset += share
            }
            chart.text("blocked \(percent(station.blocked))", x: x + 30, y: 100, size: 8)
            chart.text("starved \(percent(station.starved))", x: x + 30, y: 110, size: 8)
            // Bottleneck shares.
            let bar = 76.0
            chart.rect(x: x + 30, y: 120, width: bar, height: 8, fill: "#eeeeee")
            chart.rect(x: x + 30, y: 120, width: station.bottleneck.sole * bar, height: 8, fill: "#b71c1c")
            chart.rect(
                x: x + 30 + station.bottleneck.sole * bar, y: 120, width: station.bottleneck.shifting * bar, height: 8,
                fill: "#e57373", extra: "stroke=\"#b71c1c\" stroke-width=\"0.5\" stroke-dasharray=\"2 1\"")
            chart.text("sole \(percent(station.bottleneck.sole))", x: x + 30, y: 140, size: 8)
            chart.text("shifting \(percent(station.bottleneck.shifting))", x: x + 30, y: 150, size: 8)
            if isLeader {
                chart.text(
                    "▲ bottleneck", x: x + 68, y: 166, anchor: "middle", size: 10, weight: "bold", fill: "#b71c1c")
            }
        }
        StatePalette.legend(into: &chart, x: 10, y: 184)
        return chart.rendered()
    }

    static func percent(_ share: Double) -> String { "\(number(share * 100, decimals: 1))%" }
}
