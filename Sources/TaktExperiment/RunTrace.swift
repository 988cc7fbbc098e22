import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// What one replication looked like over time, for the report's charts: machine state
/// timelines, WIP and buffer levels, lead times, output per shift, the bottleneck and a
/// warm-up check. Recorded for replication 0 only, when a report is asked for.
public struct RunTrace: Sendable, Codable, Equatable {
    /// One stretch of a machine's timeline in one state.
    public struct Span: Sendable, Codable, Equatable {
        /// Seconds since time 0.
        public var start: Double
        public var end: Double
        /// The ``TimeElement`` raw value: what the machine's time counted as.
        public var state: Int
    }

    /// Values at equal steps: `values[i]` is the level at `start + i × step` seconds.
    public struct Series: Sendable, Codable, Equatable {
        public var start: Double
        public var step: Double
        public var values: [Double]
    }

    /// Output of one shift (or one 8-hour period when the line has no shifts).
    public struct ShiftOutput: Sendable, Codable, Equatable {
        /// E.g. `day 2 early`.
        public var label: String
        /// Seconds since time 0.
        public var start: Double
        public var end: Double
        /// Good units shipped in it.
        public var good: Int
    }

    /// One station's control chart: limits, the points after the baseline, and the signals.
    public struct SPCChart: Sendable, Codable, Equatable {
        public var station: String
        /// `X̄–R (subgroups of 5)`, `EWMA (…)`, `p chart (…)`.
        public var chart: String
        /// Whether it is a p, np, c or u chart of an inspection's calls.
        public var isAttribute: Bool
        /// What the location panel plots: `X̄`, `X`, `EWMA z`, `CUSUM C⁺ / −C⁻`, `p`, `np`, `c`, `u`.
        public var statistic: String
        /// The observation window the time axis covers, seconds since time 0.
        public var windowStart: Double
        public var windowEnd: Double
        /// Centre line and limits; for a chart whose limits vary (EWMA, attribute charts with
        /// variable subgroups) the limits of each point are in `lowerLimits`/`upperLimits`.
        public var lower: Double
        public var centre: Double
        public var upper: Double
        /// Plotted (time, value) pairs, seconds since time 0, and each point's limits.
        public var times: [Double]
        public var values: [Double]
        public var lowerLimits: [Double]
        public var upperLimits: [Double]
        /// A CUSUM's lower side (−C⁻), drawn in the same panel; empty otherwise.
        public var secondValues: [Double]
        /// The dispersion chart below it (R, S or MR) with its limits; `nil` where there is none.
        public var dispersion: DispersionPanel?
        /// Where signals were: (time, value) and the rules that fired.
        public var signalTimes: [Double]
        public var signalValues: [Double]
        public var signalRules: [String]
    }

    /// One MES decision in the timeline window, from the audit trail (dispatching and unit
    /// releases, which happen for every unit, are left out).
    public struct MESEvent: Sendable, Codable, Equatable {
        public var time: Double
        /// `spc`, `recall`, `rule scrap-watch`, `maintenance`, `order-tracking`, `incident`.
        public var actor: String
        public var action: String
        public var subject: String
        public var reason: String
    }

    /// At most this many MES events are kept for the timeline (the first ones in its window).
    public static let eventLimit = 1_000

    /// An R, S or moving-range chart drawn below its X̄ or X chart.
    public struct DispersionPanel: Sendable, Codable, Equatable {
        /// `R`, `S` or `MR`.
        public var statistic: String
        public var lower: Double
        public var centre: Double
        public var upper: Double
        public var values: [Double]
    }

    /// How often a station was the bottleneck (active-period method, Roser et al.).
    public struct BottleneckShare: Sendable, Codable, Equatable {
        /// Share of the observed time it was the sole bottleneck, and a shifting one.
        public var sole: Double
        public var shifting: Double
    }

    /// The replication recorded.
    public var replication: Int
    /// Machine names (`place-2`) and each machine's station; station names.
    public var machines: [String]
    public var stationOfMachine: [Int]
    public var stations: [String]
    /// The timeline window, seconds since time 0, and the length one drawn column stands for.
    public var timelineStart: Double
    public var timelineEnd: Double
    public var timelineResolution: Double
    /// Per machine: its timeline in the window, downsampled to the resolution (each column
    /// shows the state that took most of it).
    public var timeline: [[Span]]
    /// Units in the plant and per-station buffer levels, sampled every hour from time 0.
    public var workInProcess: Series
    public var buffers: [Series]
    /// Lead times (hours) of units shipped in the observation window: bin edges and counts.
    public var leadTimeEdges: [Double]
    public var leadTimeCounts: [Int]
    /// Output per shift in the observation window.
    public var shifts: [ShiftOutput]
    /// Whether `shifts` are the calendar's shifts (else 8-hour periods).
    public var shiftsFromCalendar: Bool
    /// Per station: bottleneck shares over the observation window.
    public var bottleneck: [BottleneckShare]
    /// The bottleneck sampling step, seconds.
    public var bottleneckStep: Double
    /// MSER-5 on the hourly WIP samples: the warm-up it suggests (seconds), and whether the
    /// minimum fell in the first half of the run (else the run looks too short to settle).
    public var suggestedWarmup: Double?
    public var suggestedWarmupIsReliable: Bool
    /// The control charts the MES kept.
    public var spc: [SPCChart] = []
    /// MES decisions in the timeline window, in time order (at most ``eventLimit``), and how
    /// many there were in all.
    public var events: [MESEvent] = []
    public var eventsInWindow = 0
}

/// What to record for a report: the window of the state timeline.
public struct TraceSettings: Sendable, Equatable {
    /// Where the timeline starts, seconds since time 0; `nil` starts it at the end of the warm-up.
    public var timelineStart: Double?
    /// How long it is (clipped to the horizon), seconds.
    public var timelineLength: Double

    /// The first `timelineLength` seconds (a day by default) from `timelineStart`.
    public init(timelineStart: Double? = nil, timelineLength: Double = TimeUnit.day) {
        self.timelineStart = timelineStart
        self.timelineLength = timelineLength
    }
}

extension RunTrace {
    /// Builds the trace from a recorder's logs and the hourly samples.
    static func build(
        scenario: Scenario, replication: Int,
        stateChanges: [(time: Double, machine: Int32, element: TimeElement)],
        shipments: [(time: Double, leadTime: Double, good: Bool)],
        workInProcess: [Double], buffers: [[Double]], settings: TraceSettings = TraceSettings(),
        spc: [StationSPC] = [], audit: [AuditEntry] = []
    ) -> RunTrace {
        let layout = scenario.layout
        var stationOfMachine: [Int] = []
        for (s, station) in layout.stations.enumerated() {
            stationOfMachine += Array(repeating: s, count: station.machines)
        }
        let window = (start: scenario.warmup, end: scenario.horizon)
        let timelineStart = min(max(0, settings.timelineStart ?? window.start), window.end)
        let timelineEnd = min(window.end, timelineStart + max(settings.timelineLength, 1))
        let resolution = max(timelineEnd - timelineStart, 1e-9) / 1_000
        let timeline = Self.timelines(
            stateChanges, machines: stationOfMachine.count, from: timelineStart, to: timelineEnd, resolution: resolution
        )
        let (edges, counts) = Self.histogram(shipments.filter { $0.time >= window.start }.map { $0.leadTime / 3_600 })
        let (shifts, fromCalendar) = Self.shiftOutput(shipments, layout: layout, from: window.start, to: window.end)
        let step = 60.0
        let bottleneck = ActivePeriodBottleneck.shares(
            stateChanges, stationOfMachine: stationOfMachine, stations: layout.stations.count, from: window.start,
            to: window.end, step: step)
        let truncation = try? WarmupTruncation(mser5: workInProcess)
        let charts = spc.compactMap { Self.chart(of: $0, layout: layout, window: window) }
        let events = audit.filter { $0.time >= timelineStart && $0.time <= timelineEnd }.map {
            MESEvent(time: $0.time, actor: $0.actor, action: $0.action, subject: $0.subject, reason: $0.reason)
        }
        return RunTrace(
            replication: replication, machines: scenario.equipment.machineNames, stationOfMachine: stationOfMachine,
            stations: layout.stations.map(\.name), timelineStart: timelineStart, timelineEnd: timelineEnd,
            timelineResolution: resolution, timeline: timeline,
            workInProcess: Series(start: 0, step: 3_600, values: workInProcess),
            buffers: buffers.map { Series(start: 0, step: 3_600, values: $0) }, leadTimeEdges: edges,
            leadTimeCounts: counts, shifts: shifts, shiftsFromCalendar: fromCalendar, bottleneck: bottleneck,
            bottleneckStep: step, suggestedWarmup: truncation.map { Double($0.truncatedObservations) * 3_600 },
            suggestedWarmupIsReliable: truncation?.isReliable ?? false, spc: charts,
            events: Array(events.prefix(eventLimit)), eventsInWindow: events.count)
    }

    /// The drawing data of one station's chart, once its limits are set.
    static func chart(of station: StationSPC, layout: PlantLayout, window: (start: Double, end: Double)) -> SPCChart? {
        let kind = station.plan.chart
        let points = station.points.filter { $0.time >= window.start }
        let signals = station.signals.filter { $0.time >= window.start }
        let limits: ControlChart.Limits
        var dispersion: DispersionPanel?
        if let attribute = station.attributeChart {
            let typical = points.map { Int($0.dispersion) }.sorted()
            limits = attribute.limits(inspected: typical.isEmpty ? 1 : typical[typical.count / 2])
        } else if let chart = station.chart {
            limits = chart.location
            if !kind.isTimeWeighted {
                let name =
                    switch kind {
                    case .xBarS: "S"
                    case .individuals: "MR"
                    default: "R"
                    }
                dispersion = DispersionPanel(
                    statistic: name, lower: chart.dispersion.lower, centre: chart.dispersion.centre,
                    upper: chart.dispersion.upper, values: points.map(\.dispersion))
            }
        } else {
            return nil
        }
        let statistic: String
        var centre = limits.centre
        var (lower, upper) = (limits.lower, limits.upper)
        var second: [Double] = []
        switch kind {
        case .xBarR, .xBarS: statistic = "X̄"
        case .individuals: statistic = "X"
        case .ewma: statistic = "EWMA z"
        case .cusum:
            statistic = "CUSUM C⁺ and −C⁻"
            second = points.map { -$0.dispersion }
            centre = 0
            lower = points.first?.lower ?? 0
            upper = points.first?.upper ?? 0
        case .p: statistic = "p"
        case .np: statistic = "np"
        case .c: statistic = "c"
        case .u: statistic = "u"
        }
        let varying: Bool =
            switch kind {
            case .ewma, .p(.period), .u(.period): true
            default: false
            }
        return SPCChart(
            station: layout.stations[station.plan.station].name, chart: kind.title, isAttribute: kind.isAttribute,
            statistic: statistic,
            windowStart: window.start, windowEnd: window.end, lower: lower, centre: centre, upper: upper,
            times: points.map(\.time), values: points.map(\.location),
            lowerLimits: varying ? points.map(\.lower) : [], upperLimits: varying ? points.map(\.upper) : [],
            secondValues: second, dispersion: dispersion, signalTimes: signals.map(\.time),
            // A CUSUM's lower side is drawn as −C⁻.
            signalValues: signals.map { $0.timeWeighted?.chart == "CUSUM−" ? -$0.value : $0.value },
            signalRules: signals.map(\.description))
    }

    /// Per machine, its time elements from `start` to `end` in columns of `resolution` seconds; each
    /// column takes the element that filled most of it, and equal neighbours merge.
    public static func timelines(
        _ changes: [(time: Double, machine: Int32, element: TimeElement)], machines: Int, from start: Double,
        to end: Double, resolution: Double
    ) -> [[Span]] {
        let columns = max(1, Int(((end - start) / resolution).rounded()))
        var perMachine = [[(time: Double, element: TimeElement)]](repeating: [(0, .noWorkReleased)], count: machines)
        for change in changes where Int(change.machine) < machines {
            perMachine[Int(change.machine)].append((change.time, change.element))
        }
        return perMachine.map { log in
            var occupancy = [[Double]](repeating: [Double](repeating: 0, count: TimeElement.count), count: columns)
            for (index, entry) in log.enumerated() {
                let from = max(entry.time, start)
                let to = min(index + 1 < log.count ? log[index + 1].time : end, end)
                guard to > from else { continue }
                var t = from
                var column = min(columns - 1, max(0, Int((from - start) / resolution)))
                while t < to, column < columns {
                    let columnEnd = column == columns - 1 ? to : min(to, start + Double(column + 1) * resolution)
                    if columnEnd > t {
                        occupancy[column][entry.element.rawValue] += columnEnd - t
                        t = columnEnd
                    }
                    column += 1
                }
            }
            var spans: [Span] = []
            for column in 0..<columns {
                let state = occupancy[column].indices.max { occupancy[column][$0] < occupancy[column][$1] } ?? 0
                // Column edges computed one way only, so that neighbours meet exactly and merge.
                let from = start + Double(column) * resolution
                let to = column == columns - 1 ? end : min(end, start + Double(column + 1) * resolution)
                if let last = spans.last, last.state == state, last.end == from {
                    spans[spans.count - 1].end = to
                } else {
                    spans.append(Span(start: from, end: to, state: state))
                }
            }
            return spans
        }
    }

    /// Up to 24 equal bins from 0 to the largest value.
    static func histogram(_ values: [Double]) -> (edges: [Double], counts: [Int]) {
        guard let largest = values.max(), largest > 0 else { return ([0, 1], [values.count]) }
        let bins = 24
        let width = largest / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for value in values { counts[min(bins - 1, max(0, Int(value / width)))] += 1 }
        return ((0...bins).map { Double($0) * width }, counts)
    }

    /// Good units shipped per shift of the first station's calendar, or per 8-hour period.
    static func shiftOutput(
        _ shipments: [(time: Double, leadTime: Double, good: Bool)], layout: PlantLayout, from start: Double,
        to end: Double
    ) -> ([ShiftOutput], Bool) {
        var periods: [ShiftOutput] = []
        let calendar = layout.stations.first?.calendar.map { layout.calendars[$0] }
        if let calendar, !calendar.shifts.isEmpty {
            let firstCycle = Int((start / calendar.cycle).rounded(.down)) - 1
            let lastCycle = Int((end / calendar.cycle).rounded(.up))
            for cycle in max(0, firstCycle)...max(0, lastCycle) {
                for shift in calendar.shifts {
                    let from = Double(cycle) * calendar.cycle + shift.start
                    let to = from + shift.length
                    guard from >= start, to <= end else { continue }
                    let label =
                        calendar.cycle == TimeUnit.day ? "day \(cycle + 1) \(shift.name)" : "\(shift.name) \(cycle + 1)"
                    periods.append(ShiftOutput(label: label, start: from, end: to, good: 0))
                }
            }
            periods.sort { $0.start < $1.start }
        }
        let fromCalendar = !periods.isEmpty
        if periods.isEmpty {
            var from = start
            var index = 1
            while from + 8 * 3_600 <= end + 1e-9 {
                periods.append(ShiftOutput(label: "period \(index)", start: from, end: from + 8 * 3_600, good: 0))
                from += 8 * 3_600
                index += 1
            }
        }
        for shipment in shipments where shipment.good {
            if let index = periods.firstIndex(where: { shipment.time >= $0.start && shipment.time < $0.end }) {
                periods[index].good += 1
            }
        }
        return (periods, fromCalendar)
    }
}
