import TaktKernel

/// The running SPC of one station: subgroups forming, the chart once the baseline is in (or
/// from the start when the scenario gives the process values), recent points for the run
/// rules, and the record of points and signals.
public struct StationSPC: Sendable {
    public let plan: SPCPlan
    /// The variables chart, once the baseline subgroups are measured.
    public private(set) var chart: ControlChart?
    /// The attribute chart, once its baseline subgroups are inspected.
    public internal(set) var attributeChart: AttributeChart?
    /// Every plotted point after the baseline.
    public internal(set) var points: [SPCPoint] = []
    /// Every signal and its reactions.
    public internal(set) var signals: [SPCSignal] = []
    /// Measurements in the observation window, and those outside the specification.
    public private(set) var measured = 0
    public private(set) var outOfSpecification = 0
    /// Every value measured in the observation window, for the overall (long-term) sigma of
    /// Pp and Ppk.
    public private(set) var window = Tally()
    /// Units held on signals, and those scrapped at their review (observation window).
    public internal(set) var heldUnits = 0
    /// Adjustments and station holds the chart's signals led to (observation window).
    public internal(set) var adjustments = 0
    public internal(set) var stationHolds = 0
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
    /// EWMA: z and the points since it was (re)started; CUSUM: C⁺ and C⁻.
    var ewma = (value: 0.0, count: 0)
    var cusum = (high: 0.0, low: 0.0)
    /// The attribute subgroup forming: units inspected, rejected, nonconformities found,
    /// and for a period subgroup the period it belongs to.
    var tally = (inspected: 0, rejected: 0, found: 0, period: 0)
    var attributeBaseline: [(inspected: Int, rejected: Int, found: Int)] = []

    /// SPC for `plan`, counting measurements outside `lower`…`upper` when given.
    public init(plan: SPCPlan, lower: Double?, upper: Double?) {
        self.plan = plan
        lowerSpecification = lower
        upperSpecification = upper
        subgroup.reserveCapacity(plan.chart.subgroupSize)
        setStandardLimits()
    }

    /// Limits from the scenario's process values, when it gives them.
    mutating func setStandardLimits() {
        switch plan.standard {
        case .process(let mean, let sigma):
            chart = try? ControlChart(plan.chart, mean: mean, sigma: sigma)
            restartTimeWeighted()
        case .attribute(let centre):
            attributeChart = AttributeChart(plan.chart, centre: centre)
        case nil:
            break
        }
    }

    /// Restarts the window's counts at the end of the warm-up, and Phase I: the control
    /// limits (and Cp/Cpk) come from the first baseline subgroups after the warm-up, so they
    /// describe the process being observed, not its start-up. Limits the scenario gives stay.
    public mutating func startObservation(at time: Double) {
        chart = nil
        attributeChart = nil
        baseline = []
        attributeBaseline = []
        subgroup.removeAll(keepingCapacity: true)
        recent = []
        previousValue = nil
        suspects.removeAll(keepingCapacity: true)
        measured = 0
        outOfSpecification = 0
        window = Tally()
        heldUnits = 0
        adjustments = 0
        stationHolds = 0
        scrappedUnits = 0
        reworkedUnits = 0
        tally = (0, 0, 0, period(of: time))
        setStandardLimits()
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
        takeMeasurement(value, serial: serial, at: time) ? signals.last : nil
    }

    /// ``measure(_:serial:at:)`` for the MES's per-unit path: whether the measurement
    /// signalled (the signal is then the last of ``signals``). A signal is a large value, and
    /// returning it as an optional cost the MES two copies of it on every measured unit.
    public mutating func takeMeasurement(_ value: Double, serial: Int, at time: Double) -> Bool {
        measured += 1
        window.add(value)
        suspects.append(SuspectUnit(serial: serial, value: value))
        if let lower = lowerSpecification, value < lower { outOfSpecification += 1 }
        if let upper = upperSpecification, value > upper { outOfSpecification += 1 }
        subgroup.append(value)
        guard subgroup.count == plan.chart.subgroupSize else { return false }
        defer { subgroup.removeAll(keepingCapacity: true) }
        guard let chart else {
            baseline.append(subgroup)
            if baseline.count >= plan.baselineSubgroups {
                chart = try? ControlChart(plan.chart, baseline: baseline)
                baseline = []
                restartTimeWeighted()
            }
            previousValue = subgroup.last
            suspects.removeAll(keepingCapacity: true)
            return false
        }
        let location = chart.locationStatistic(subgroup)
        let dispersion = chart.dispersionStatistic(subgroup, previous: previousValue)
        previousValue = subgroup.last
        if plan.chart.isTimeWeighted {
            return timeWeighted(location, chart: chart, at: time) != nil
        }
        let limits = chart.location
        points.append(
            SPCPoint(time: time, location: location, dispersion: dispersion, lower: limits.lower, upper: limits.upper))
        let sigma = limits.sigma
        recent.append(sigma > 0 ? (location - limits.centre) / sigma : 0)
        if recent.count > 15 { recent.removeFirst() }
        let fired = plan.rules.filter { $0.signals(recent[...]) }
        // The dispersion chart's own rule 1: a point beyond its upper limit, or below its
        // lower limit where there is one (R for n ≥ 7, S for n ≥ 6: D3, B3 > 0).
        var dispersionSignal: LimitSignal?
        let spread = chart.dispersion
        if plan.chart != .individuals || points.count > 1,
            dispersion > spread.upper || (spread.lower > 0 && dispersion < spread.lower)
        {
            let name =
                switch plan.chart {
                case .xBarS: "S"
                case .individuals: "MR"
                default: "R"
                }
            dispersionSignal = LimitSignal(chart: name, value: dispersion, lower: spread.lower, upper: spread.upper)
        }
        guard !fired.isEmpty || dispersionSignal != nil else {
            suspects.removeAll(keepingCapacity: true)
            return false
        }
        _ = record(
            SPCSignal(
                time: time, station: plan.station, subgroup: points.count, value: location, rules: fired,
                reactions: plan.reactions, suspects: suspects, dispersion: dispersionSignal))
        return true
    }

    /// Files a signal; once the process is acted on, later points belong to a new run (an
    /// adjustment acts only on a signal that locates the mean: a spread signal says nothing
    /// about where the mean is).
    mutating func record(_ signal: SPCSignal) -> SPCSignal {
        suspects.removeAll(keepingCapacity: true)
        signals.append(signal)
        if plan.reactions.contains(where: { $0 != .notify && ($0 != .adjust || signal.locatesMean) }) {
            recent.removeAll(keepingCapacity: true)
            restartTimeWeighted()
        }
        return signal
    }

    /// EWMA starts again at μ₀ (with its narrow start-up limits), CUSUM at zero.
    mutating func restartTimeWeighted() {
        ewma = (chart?.location.centre ?? 0, 0)
        cusum = (0, 0)
    }

    /// One subgroup mean on an EWMA or CUSUM chart (Montgomery §9.1.2 and §9.2.1).
    mutating func timeWeighted(_ mean: Double, chart: ControlChart, at time: Double) -> SPCSignal? {
        let target = chart.location.centre
        let sigma = chart.location.sigma
        var signal: LimitSignal?
        switch plan.chart {
        case .ewma(_, let lambda, let width):
            ewma.value = lambda * mean + (1 - lambda) * ewma.value
            ewma.count += 1
            let decay = 1 - pow1p(-lambda, 2 * ewma.count)
            let half = width * sigma * (lambda / (2 - lambda) * decay).squareRoot()
            let (lower, upper) = (target - half, target + half)
            points.append(SPCPoint(time: time, location: ewma.value, dispersion: mean, lower: lower, upper: upper))
            if ewma.value > upper || ewma.value < lower {
                signal = LimitSignal(chart: "EWMA", value: ewma.value, lower: lower, upper: upper)
            }
        case .cusum(_, let k, let h):
            let reference = k * sigma
            let interval = h * sigma
            cusum.high = max(0, mean - (target + reference) + cusum.high)
            cusum.low = max(0, (target - reference) - mean + cusum.low)
            points.append(
                SPCPoint(time: time, location: cusum.high, dispersion: cusum.low, lower: -interval, upper: interval))
            if cusum.high > interval {
                signal = LimitSignal(chart: "CUSUM+", value: cusum.high, lower: 0, upper: interval)
            } else if cusum.low > interval {
                signal = LimitSignal(chart: "CUSUM−", value: cusum.low, lower: 0, upper: interval)
            }
        default:
            break
        }
        guard let signal else {
            suspects.removeAll(keepingCapacity: true)
            return nil
        }
        return record(
            SPCSignal(
                time: time, station: plan.station, subgroup: points.count, value: signal.value, rules: [],
                reactions: plan.reactions, suspects: suspects, timeWeighted: signal))
    }

    /// (1 + x)ⁿ for a whole n ≥ 0.
    func pow1p(_ x: Double, _ n: Int) -> Double {
        var result = 1.0
        var base = 1 + x
        var exponent = n
        while exponent > 0 {
            if exponent & 1 == 1 { result *= base }
            base *= base
            exponent >>= 1
        }
        return result
    }
}
