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

    /// Whether the reaction holds the units measured since the last good subgroup.
    public var holdsUnits: Bool { if case .holdUnits = self { true } else { false } }
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
    /// Known process values to set the limits from instead of a Phase I baseline.
    public var standard: SPCStandard?

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
    public var dispersion: LimitSignal?
    /// The EWMA or CUSUM statistic beyond its limit (such a chart has no run rules).
    public var timeWeighted: LimitSignal?

    /// Whether the signal says where the mean is (a location rule, EWMA or CUSUM), so an
    /// adjustment can act on it; a spread signal alone does not.
    public var locatesMean: Bool { !rules.isEmpty || timeWeighted != nil }

    /// An adjustment's old and new value as the MES sees them, for the audit trail: the
    /// process level it estimates (the mean of the values measured since the last good
    /// subgroup) against the chart's `centre` line, and the level it sets (the centre, off by
    /// the adjustment's error `offset`, if any).
    public func adjustment(centre: Double?, offset: Double) -> (old: String, new: String) {
        let target = centre.map { " (centre line \(MESRule.shown($0)))" } ?? ""
        let old =
            suspects.isEmpty
            ? "off target\(target)"
            : "mean \(MESRule.shown(suspects.reduce(0) { $0 + $1.value } / Double(suspects.count))) of the \(suspects.count) values since the last good subgroup\(target)"
        let error = offset == 0 ? "" : ", off by the adjustment error \(MESRule.shown(offset))"
        return (old, (centre.map { "centre line \(MESRule.shown($0))" } ?? "nominal") + error)
    }

    /// Why the audit trail says the MES reacted: the signal, its subgroup and the values
    /// behind it, e.g. `nelson-1 on subgroup 15 (plotted 124.8022; measured since the last
    /// good subgroup: 124.1, 125.3, 124.9, 125, 124.7)` (at most the last 12 values).
    public var auditReason: String {
        let shown = suspects.suffix(12).map { MESRule.shown($0.value) }
        let more = suspects.count > 12 ? "\(suspects.count - 12) more, " : ""
        let measured =
            shown.isEmpty ? "" : "; measured since the last good subgroup: \(more)\(shown.joined(separator: ", "))"
        return
            "\(description.isEmpty ? "signal" : description) on subgroup \(subgroup) (plotted \(MESRule.shown(value))\(measured))"
    }

    /// The rules as the audit trail writes them: location rules, then `R 6.0 above UCL 4.2`.
    public var description: String {
        (rules.map(\.rawValue) + [timeWeighted, dispersion].compactMap { $0?.description }).joined(separator: ", ")
    }
}

/// Known process values a chart's limits are set from (Phase II from the start).
public enum SPCStandard: Sendable, Equatable, Codable {
    /// Mean and standard deviation of the measured characteristic.
    case process(mean: Double, sigma: Double)
    /// p (fraction nonconforming) for p and np charts, c (nonconformities per inspection
    /// unit) for c charts, u (per unit) for u charts.
    case attribute(centre: Double)
}

/// A point of a chart (R, S, MR, EWMA, CUSUM) outside its control limits.
public struct LimitSignal: Sendable, Equatable, Codable {
    /// `R`, `S`, `MR`, `EWMA`, `CUSUM+` or `CUSUM−`.
    public var chart: String
    /// The plotted range, standard deviation or moving range, and the limits it broke.
    public var value: Double
    public var lower: Double
    public var upper: Double

    /// `R 9.2 above UCL 8.4`, `S 0.1 below LCL 0.3` or `CUSUM+ 5.2 above H 5`.
    public var description: String {
        let limit = chart.hasPrefix("CUSUM") ? "H" : value > upper ? "UCL" : "LCL"
        return value > upper ? "\(chart) \(value) above \(limit) \(upper)" : "\(chart) \(value) below \(limit) \(lower)"
    }
}

/// A unit measured since the last good subgroup, and its measurement.
public struct SuspectUnit: Sendable, Equatable, Codable {
    public var serial: Int
    public var value: Double
}

/// One plotted point: the location statistic (X̄, X, EWMA z, CUSUM C⁺, or p, np, c, u), the
/// dispersion statistic (R, S, MR; C⁻ for a CUSUM), and the location limits at that point,
/// which vary for EWMA and for attribute charts with variable subgroups.
public struct SPCPoint: Sendable, Equatable, Codable {
    public var time: Double
    public var location: Double
    public var dispersion: Double
    public var lower: Double
    public var upper: Double
}
