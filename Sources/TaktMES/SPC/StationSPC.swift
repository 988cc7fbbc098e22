import TaktKernel

/// What the MES does when a control chart signals.
public enum SPCReaction: Sendable, Equatable, Codable {
    /// Record the signal only (someone is told).
    case notify
    /// Adjust the process: the drift is reset.
    case adjust
    /// Stop the station's machines (after their current unit) for an investigation of this
    /// length, then let them run again.
    case holdStation(seconds: Double)
    /// Hold the units measured since the last subgroup without a signal; after a review of
    /// this length, scrap those measured outside the specification and release the rest.
    case holdUnits(reviewSeconds: Double)
}

/// SPC on one measured station: the chart, its rules and the reactions, as the scenario
/// asks for them.
public struct SPCPlan: Sendable {
    /// The station whose measurement is charted.
    public var station: Int
    public var chart: ControlChartKind
    /// Subgroups measured first, to set the limits (no signals before).
    public var baselineSubgroups: Int
    public var rules: [ControlRule]
    public var reactions: [SPCReaction]
    /// Where held units measured outside the specification are reworked; `nil` scraps them.
    public var reworkStation: Int?
    /// How far off nominal an adjustment leaves the mean (`adjust: { error: normal(0um, 0.5um) }`);
    /// `nil` adjusts exactly.
    public var adjustmentError: Distribution?

    /// A plan for `station`.
    public init(
        station: Int, chart: ControlChartKind, baselineSubgroups: Int, rules: [ControlRule], reactions: [SPCReaction],
        reworkStation: Int? = nil
    ) {
        self.reworkStation = reworkStation
        self.station = station
        self.chart = chart
        self.baselineSubgroups = baselineSubgroups
        self.rules = rules
        self.reactions = reactions
    }
}

/// One signal of a control chart, with what the MES did about it.
public struct SPCSignal: Sendable, Equatable, Codable {
    /// When the subgroup was complete, seconds since time 0.
    public var time: Double
    public var station: Int
    /// The subgroup's number after the baseline (1, 2, …) and its plotted value.
    public var subgroup: Int
    public var value: Double
    /// The rules that fired on it.
    public var rules: [ControlRule]
    public var reactions: [SPCReaction]
    /// The units measured since the last subgroup without a signal, with their values.
    public var suspects: [SuspectUnit] = []
    /// A point of the dispersion chart (R, S or moving range) beyond its limits, when that
    /// is what signalled (`rules` then names only location-chart rules, possibly none).
    public var dispersion: DispersionSignal?

    /// The rules as the audit trail writes them: location rules, then `r-chart above UCL`.
    public var description: String {
        (rules.map(\.rawValue) + (dispersion.map { [$0.description] } ?? [])).joined(separator: ", ")
    }
}

/// A dispersion-chart point outside its control limits.
public struct DispersionSignal: Sendable, Equatable, Codable {
    /// `R`, `S` or `MR`.
    public var chart: String
    /// The plotted range, standard deviation or moving range, and the limits it broke.
    public var value: Double
    public var lower: Double
    public var upper: Double

    /// `R 9.2 above UCL 8.4` or `S 0.1 below LCL 0.3`.
    public var description: String {
        value > upper ? "\(chart) \(value) above UCL \(upper)" : "\(chart) \(value) below LCL \(lower)"
    }
}

/// A unit measured since the last good subgroup, and its measurement.
public struct SuspectUnit: Sendable, Equatable, Codable {
    public var serial: Int
    public var value: Double
}

/// The running SPC of one station: subgroups forming, the chart once the baseline is in,
/// recent points for the run rules, and the record of points and signals.
public struct StationSPC: Sendable {
    public let plan: SPCPlan
    /// The chart, once the baseline subgroups are measured.
    public private(set) var chart: ControlChart?
    /// Every plotted point after the baseline: (time, location, dispersion).
    public private(set) var points: [(time: Double, location: Double, dispersion: Double)] = []
    /// Every signal and its reactions.
    public private(set) var signals: [SPCSignal] = []
    /// Measurements in the observation window, and those outside the specification.
    public private(set) var measured = 0
    public private(set) var outOfSpecification = 0
    /// Every value measured in the observation window, for the overall (long-term) sigma of
    /// Pp and Ppk.
    public private(set) var window = Tally()
    /// Units held on signals, and those scrapped at their review (observation window).
    public internal(set) var heldUnits = 0
    public internal(set) var scrappedUnits = 0
    public internal(set) var reworkedUnits = 0
    /// Units measured since the last subgroup without a signal.
    var suspects: [SuspectUnit] = []
    /// The measurement's specification limits, when given.
    public let lowerSpecification: Double?
    public let upperSpecification: Double?
    var subgroup: [Double] = []
    var baseline: [[Double]] = []
    /// Recent points in sigmas from the centre line, at most 15 (the longest rule).
    var recent: [Double] = []
    var previousValue: Double?

    /// SPC for `plan`, counting measurements outside `lower`…`upper` when given.
    public init(plan: SPCPlan, lower: Double?, upper: Double?) {
        self.plan = plan
        lowerSpecification = lower
        upperSpecification = upper
        subgroup.reserveCapacity(plan.chart.subgroupSize)
    }

    /// Restarts the window's counts at the end of the warm-up, and Phase I: the control
    /// limits (and Cp/Cpk) come from the first baseline subgroups after the warm-up, so they
    /// describe the process being observed, not its start-up.
    mutating func startObservation() {
        chart = nil
        baseline = []
        subgroup.removeAll(keepingCapacity: true)
        recent = []
        previousValue = nil
        suspects.removeAll(keepingCapacity: true)
        measured = 0
        outOfSpecification = 0
        window = Tally()
        heldUnits = 0
        scrappedUnits = 0
        reworkedUnits = 0
    }

    /// Performance indices over the observation window, from the overall standard deviation
    /// s of every value measured (not the within-subgroup sigma of Cp/Cpk; AIAG SPC manual):
    /// Pp = (USL − LSL) / 6s, Ppk = min(USL − x̄, x̄ − LSL) / 3s. `nil` without both limits or
    /// with fewer than two values.
    public var performance: (pp: Double, ppk: Double)? {
        guard let lower = lowerSpecification, let upper = upperSpecification, window.count >= 2,
            window.standardDeviation > 0
        else { return nil }
        let s = window.standardDeviation
        return ((upper - lower) / (6 * s), min(upper - window.mean, window.mean - lower) / (3 * s))
    }

    /// Whether `value` lies outside the specification limits.
    public func isOutOfSpecification(_ value: Double) -> Bool {
        (lowerSpecification.map { value < $0 } ?? false) || (upperSpecification.map { value > $0 } ?? false)
    }

    /// Takes one measurement; returns the signal when it completes a subgroup that signals.
    public mutating func measure(_ value: Double, serial: Int, at time: Double) -> SPCSignal? {
        measured += 1
        window.add(value)
        suspects.append(SuspectUnit(serial: serial, value: value))
        if let lower = lowerSpecification, value < lower { outOfSpecification += 1 }
        if let upper = upperSpecification, value > upper { outOfSpecification += 1 }
        subgroup.append(value)
        guard subgroup.count == plan.chart.subgroupSize else { return nil }
        defer { subgroup.removeAll(keepingCapacity: true) }
        guard let chart else {
            baseline.append(subgroup)
            if baseline.count >= plan.baselineSubgroups {
                chart = try? ControlChart(plan.chart, baseline: baseline)
                baseline = []
            }
            previousValue = subgroup.last
            suspects.removeAll(keepingCapacity: true)
            return nil
        }
        let location = chart.locationStatistic(subgroup)
        let dispersion = chart.dispersionStatistic(subgroup, previous: previousValue)
        previousValue = subgroup.last
        points.append((time, location, dispersion))
        let sigma = chart.location.sigma
        recent.append(sigma > 0 ? (location - chart.location.centre) / sigma : 0)
        if recent.count > 15 { recent.removeFirst() }
        let fired = plan.rules.filter { $0.signals(recent[...]) }
        // The dispersion chart's own rule 1: a point beyond its upper limit, or below its
        // lower limit where there is one (R for n ≥ 7, S for n ≥ 6: D3, B3 > 0).
        var dispersionSignal: DispersionSignal?
        let limits = chart.dispersion
        if plan.chart != .individuals || points.count > 1,
            dispersion > limits.upper || (limits.lower > 0 && dispersion < limits.lower)
        {
            let name =
                switch plan.chart {
                case .xBarR: "R"
                case .xBarS: "S"
                case .individuals: "MR"
                }
            dispersionSignal = DispersionSignal(
                chart: name, value: dispersion, lower: limits.lower, upper: limits.upper)
        }
        guard !fired.isEmpty || dispersionSignal != nil else {
            suspects.removeAll(keepingCapacity: true)
            return nil
        }
        let signal = SPCSignal(
            time: time, station: plan.station, subgroup: points.count, value: location, rules: fired,
            reactions: plan.reactions, suspects: suspects, dispersion: dispersionSignal)
        suspects.removeAll(keepingCapacity: true)
        signals.append(signal)
        // The process is acted on: later points belong to a new run (an adjustment acts only
        // on a location signal: a spread signal says nothing about where the mean is).
        if plan.reactions.contains(where: { $0 != .notify && ($0 != .adjust || !fired.isEmpty) }) {
            recent.removeAll(keepingCapacity: true)
        }
        return signal
    }
}
