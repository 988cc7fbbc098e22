import Foundation
import TaktPlant

/// Text made safe for XML (element content and attribute values).
func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}

/// A coordinate or length for SVG: at most two decimals, no trailing zeros, POSIX locale.
func px(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    // Far beyond any drawing; clamping keeps the integer conversion below in range.
    let rounded = (min(max(value, -1e12), 1e12) * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(format: "%.2f", locale: Locale(identifier: "en_US_POSIX"), rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

/// A number for people: fixed decimals, POSIX locale.
func number(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
    return String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), value)
}

/// Decimals that show `value` to about four significant digits.
func decimals(for value: Double) -> Int {
    let magnitude = abs(value)
    return magnitude >= 1_000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 4
}

/// An SVG chart under construction: a fixed coordinate box, scaled to the page width.
struct SVGChart {
    let width: Double
    let height: Double
    /// One line of text read by screen readers and shown as the chart's tooltip.
    let title: String
    var defs: [String] = []
    var body: [String] = []

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, tooltip: String? = nil,
        extra: String = ""
    ) {
        let open =
            "<rect x=\"\(px(x))\" y=\"\(px(y))\" width=\"\(px(max(0, width)))\" height=\"\(px(max(0, height)))\" fill=\"\(fill)\"\(extra.isEmpty ? "" : " " + extra)"
        if let tooltip {
            body.append(open + "><title>\(escaped(tooltip))</title></rect>")
        } else {
            body.append(open + "/>")
        }
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#444", width: Double = 1, dash: String? = nil
    ) {
        body.append(
            "<line x1=\"\(px(x1))\" y1=\"\(px(y1))\" x2=\"\(px(x2))\" y2=\"\(px(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(px(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"
        )
    }

    mutating func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 11, weight: String? = nil,
        fill: String = "#222"
    ) {
        body.append(
            "<text x=\"\(px(x))\" y=\"\(px(y))\" font-size=\"\(px(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(weight.map { " font-weight=\"\($0)\"" } ?? "")>\(escaped(content))</text>"
        )
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5) {
        let list = points.map { "\(px($0.0)),\(px($0.1))" }.joined(separator: " ")
        body.append(
            "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(px(width))\" stroke-linejoin=\"round\"/>"
        )
    }

    /// The finished `<svg>` element.
    func rendered() -> String {
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(px(width)) \(px(height))\" width=\"\(px(width))\" height=\"\(px(height))\" role=\"img\" aria-label=\"\(escaped(title))\" font-family=\"sans-serif\">"
        out += "<title>\(escaped(title))</title>"
        if !defs.isEmpty { out += "<defs>" + defs.joined() + "</defs>" }
        out += body.joined()
        out += "</svg>"
        return out
    }
}

/// The colours and patterns of the machine states, the same in every chart, readable without
/// colour: each state has its own pattern and its name in the legend.
enum StatePalette {
    /// Fill colour per ``MachineState`` raw value.
    static func colour(_ state: MachineState) -> String {
        switch state {
        case .busy: "#2e7d32"
        case .setup: "#1565c0"
        case .idle: "#cfd8dc"
        case .blocked: "#ef6c00"
        case .down: "#c62828"
        case .plannedStop: "#757575"
        }
    }

    /// Names people read: idle is shown as starved.
    static func label(_ state: MachineState) -> String {
        switch state {
        case .busy: "busy"
        case .setup: "setup"
        case .idle: "idle (starved)"
        case .blocked: "blocked"
        case .down: "down"
        case .plannedStop: "planned stop"
        }
    }

    /// The pattern id used as the state's fill.
    static func fill(_ state: MachineState) -> String { "url(#state-\(state.rawValue))" }

    /// Pattern definitions: the state colour with its own marks (solid, stripes, dots, grid).
    static var definitions: [String] {
        MachineState.allCases.map { state in
            let colour = colour(state)
            let marks: String =
                switch state {
                case .busy: ""
                case .setup: "<path d=\"M0,6 L6,0\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
                case .idle: "<circle cx=\"3\" cy=\"3\" r=\"0.9\" fill=\"#607d8b\"/>"
                case .blocked: "<path d=\"M0,0 L6,6 M6,0 L0,6\" stroke=\"#fff\" stroke-width=\"1\"/>"
                case .down: "<path d=\"M0,3 L6,3\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
                case .plannedStop: "<path d=\"M3,0 L3,6\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
                }
            return
                "<pattern id=\"state-\(state.rawValue)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"\(colour)\"/>\(marks)</pattern>"
        }
    }

    /// A legend row of every state at `y`, starting at `x`.
    static func legend(into chart: inout SVGChart, x: Double, y: Double) {
        var position = x
        for state in MachineState.allCases {
            chart.rect(
                x: position, y: y - 9, width: 12, height: 12, fill: fill(state),
                extra: "stroke=\"#333\" stroke-width=\"0.5\"")
            chart.text(label(state), x: position + 16, y: y + 1)
            position += 16 + Double(label(state).count) * 6.2 + 14
        }
    }
}

/// The colours and patterns of the ISO 22400-2 time elements in the timeline, readable
/// without colour: each has its own pattern and its name in the legend. MES holds have their
/// own colour, never the grey of planned down time.
enum ElementPalette {
    /// Fill colour per ``TimeElement``.
    static func colour(_ element: TimeElement) -> String {
        switch element {
        case .production: "#2e7d32"
        case .setup: "#1565c0"
        case .breakdown: "#c62828"
        case .mesHold: "#6a1b9a"
        case .unplannedMaintenance: "#ad1457"
        case .waitingForOperator: "#f9a825"
        case .starved: "#cfd8dc"
        case .blocked: "#ef6c00"
        case .noWorkReleased: "#eceff1"
        case .plannedMaintenance: "#8d6e63"
        case .offShift: "#757575"
        case .waitingForMaterial: "#00838f"
        }
    }

    /// The pattern id used as the element's fill.
    static func fill(_ element: TimeElement) -> String { "url(#element-\(element.rawValue))" }

    /// Pattern definitions: the colour with its own marks.
    static var definitions: [String] {
        TimeElement.allCases.map { element in
            let marks: String =
                switch element {
                case .production: ""
                case .setup: "<path d=\"M0,6 L6,0\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
                case .breakdown: "<path d=\"M0,3 L6,3\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
                case .mesHold: "<path d=\"M0,0 L6,6\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
                case .unplannedMaintenance: "<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#fff\"/>"
                case .waitingForOperator: "<path d=\"M0,3 L6,3 M3,0 L3,6\" stroke=\"#fff\" stroke-width=\"0.8\"/>"
                case .starved: "<circle cx=\"3\" cy=\"3\" r=\"0.9\" fill=\"#607d8b\"/>"
                case .blocked: "<path d=\"M0,0 L6,6 M6,0 L0,6\" stroke=\"#fff\" stroke-width=\"1\"/>"
                case .noWorkReleased: "<path d=\"M0,6 L6,0\" stroke=\"#b0bec5\" stroke-width=\"0.6\"/>"
                case .plannedMaintenance:
                    "<path d=\"M1.5,0 L1.5,6 M4.5,0 L4.5,6\" stroke=\"#fff\" stroke-width=\"0.8\"/>"
                case .offShift: "<path d=\"M3,0 L3,6\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
                case .waitingForMaterial: "<rect x=\"1.5\" y=\"1.5\" width=\"3\" height=\"3\" fill=\"#fff\"/>"
                }
            return
                "<pattern id=\"element-\(element.rawValue)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"\(colour(element))\"/>\(marks)</pattern>"
        }
    }

    /// Legend rows of every element from `y`, starting at `x`, wrapping at `width`; returns
    /// the height used.
    @discardableResult
    static func legend(into chart: inout SVGChart, x: Double, y: Double, width: Double) -> Double {
        var position = x
        var row = y
        for element in TimeElement.allCases {
            let label = element.description
            let advance = 16 + Double(label.count) * 6.2 + 14
            if position + advance > x + width {
                position = x
                row += 18
            }
            chart.rect(
                x: position, y: row - 9, width: 12, height: 12, fill: fill(element),
                extra: "stroke=\"#333\" stroke-width=\"0.5\"")
            chart.text(label, x: position + 16, y: row + 1)
            position += advance
        }
        return row - y + 18
    }
}
