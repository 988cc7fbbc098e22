import TaktExperiment
import TaktPlant

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
            let isLeader = index == leader
            drawStation(
                into: &chart, x: x, name: station.name, machines: station.machines,
                buffer: number(station.meanBuffer, decimals: 1),
                bufferTooltip: "buffer of \(station.name): \(number(station.meanBuffer, decimals: 2)) units on average",
                tooltip:
                    "\(station.name): busy \(percent(station.busy)), blocked \(percent(station.blocked)), starved \(percent(station.starved)); bottleneck \(percent(station.bottleneck.sole)) sole, \(percent(station.bottleneck.shifting)) shifting",
                highlighted: isLeader)
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

    /// One station as both diagrams draw it: its input buffer (a triangle with a level under
    /// it), an arrow, and its box with its name and machine count.
    static func drawStation(
        into chart: inout SVGChart, x: Double, name: String, machines: Int, buffer: String, bufferTooltip: String,
        tooltip: String, highlighted: Bool, ids: (buffer: String, box: String)? = nil
    ) {
        let bx = x + 6
        chart.body.append(
            "<polygon points=\"\(px(bx)),40 \(px(bx + 18)),40 \(px(bx + 9)),56\" fill=\"#fff\" stroke=\"#555\"><title>\(escaped(bufferTooltip))</title></polygon>"
        )
        if let ids {
            chart.body.append(
                "<text id=\"\(escaped(ids.buffer))\" x=\"\(px(bx + 9))\" y=\"68\" text-anchor=\"middle\" font-size=\"9\">\(escaped(buffer))</text>"
            )
        } else {
            chart.text(buffer, x: bx + 9, y: 68, anchor: "middle", size: 9)
        }
        chart.text("units", x: bx + 9, y: 77, anchor: "middle", size: 7)
        chart.line(x1: bx + 20, y1: 48, x2: x + 30, y2: 48, stroke: "#555")
        chart.rect(
            x: x + 30, y: 22, width: 76, height: 52, fill: highlighted ? "#ffebee" : "#f5f5f5", tooltip: tooltip,
            extra: "stroke=\"\(highlighted ? "#c62828" : "#555")\" stroke-width=\"\(highlighted ? 2.5 : 1)\""
                + (ids.map { " id=\"\(escaped($0.box))\"" } ?? ""))
        chart.text(name, x: x + 68, y: 36, anchor: "middle", size: 10, weight: "bold")
        chart.text(machines > 1 ? "\(machines) machines" : "1 machine", x: x + 68, y: 48, anchor: "middle", size: 8)
    }

    /// The line for a live view: the same stations and buffers, with one cell per machine
    /// coloured by its state and element ids a page updates — `buffer-STATION` (units
    /// waiting), `machine-MACHINE` (its cell, filled with the state's pattern),
    /// `units-MACHINE` (the units on it), `oee-STATION` (its OEE so far).
    public static func live(_ stations: [(name: String, machines: [String])]) -> String {
        let slot = 112.0
        let width = max(880, slot * Double(stations.count) + 20)
        var chart = SVGChart(width: width, height: 150, title: "The line now: buffers, machines and their states")
        chart.defs = StatePalette.definitions
        for (index, station) in stations.enumerated() {
            let x = 10 + Double(index) * slot
            drawStation(
                into: &chart, x: x, name: station.name, machines: station.machines.count, buffer: "0",
                bufferTooltip: "buffer of \(station.name): units waiting now", tooltip: station.name,
                highlighted: false,
                ids: ("buffer-\(station.name)", "station-\(station.name)"))
            let cell = min(76.0 / Double(max(station.machines.count, 1)), 38)
            for (k, machine) in station.machines.enumerated() {
                let cx = x + 30 + Double(k) * cell
                chart.body.append(
                    "<rect id=\"machine-\(escaped(machine))\" x=\"\(px(cx + 1))\" y=\"80\" width=\"\(px(cell - 2))\" height=\"30\" fill=\"\(StatePalette.fill(.idle))\" stroke=\"#333\" stroke-width=\"0.5\"><title>\(escaped(machine))</title></rect>"
                )
                chart.body.append(
                    "<text id=\"units-\(escaped(machine))\" x=\"\(px(cx + cell / 2))\" y=\"122\" text-anchor=\"middle\" font-size=\"8\"></text>"
                )
            }
            chart.body.append(
                "<text id=\"oee-\(escaped(station.name))\" x=\"\(px(x + 68))\" y=\"62\" text-anchor=\"middle\" font-size=\"9\">OEE –</text>"
            )
        }
        StatePalette.legend(into: &chart, x: 10, y: 144)
        return chart.rendered()
    }

    /// The pattern of a machine state's name as the live view sends it (`planned stop`),
    /// for a page that colours machines as the report does.
    public static var statePatterns: [String: String] {
        Dictionary(uniqueKeysWithValues: MachineState.allCases.map { ($0.description, StatePalette.fill($0)) })
    }
}
