import TaktMES
import TaktScenario

/// What one station's SPC saw in one replication's observation window.
public struct SPCSummary: Sendable, Equatable {
    /// The charted station.
    public var station: Int
    /// Signals in the window.
    public var signals: Int
    /// Measurements in the window, and those outside the specification limits.
    public var measured: Int
    public var outOfSpecification: Int
    /// Capability from the baseline chart, when both specification limits are given.
    public var cp: Double?
    public var cpk: Double?
    /// Performance over the window, from the overall standard deviation of every value.
    public var pp: Double?
    public var ppk: Double?
    /// Units held on signals, and those scrapped at their review.
    public var held: Int
    public var scrapped: Int
    public var reworked: Int
    /// Adjustments and station holds its signals led to.
    public var adjustments: Int
    public var stationHolds: Int

    /// The summary of `spc` from `start` (the end of the warm-up) on.
    public init(_ spc: StationSPC, from start: Double) {
        station = spc.plan.station
        signals = spc.signals.filter { $0.time >= start }.count
        measured = spc.measured
        outOfSpecification = spc.outOfSpecification
        held = spc.heldUnits
        scrapped = spc.scrappedUnits
        reworked = spc.reworkedUnits
        adjustments = spc.adjustments
        stationHolds = spc.stationHolds
        if let chart = spc.chart, let lower = spc.lowerSpecification, let upper = spc.upperSpecification {
            (cp, cpk) = chart.capability(lower: lower, upper: upper)
        }
        if let performance = spc.performance { (pp, ppk) = performance }
    }
}

extension Experiment {
    /// Per charted station: signals, the share of measurements out of specification and,
    /// with both limits, Cp and Cpk from the baseline; per attribute chart its signals.
    static func spcKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        guard let plans = scenario.mes?.settings.spc else { return [] }
        var kpis: [KPIResult] = []
        for (index, plan) in plans.enumerated() {
            let name = scenario.layout.stations[plan.station].name
            let summaries = replications.map { $0.spc[index] }
            if plan.reactions.contains(where: { if case .holdStation = $0 { true } else { false } }) {
                let key = plan.chart.isAttribute ? "attribute_station_holds" : "spc_station_holds"
                kpis.append(
                    KPIResult(name: "\(key)[\(name)]", unit: "holds", values: summaries.map { Double($0.stationHolds) })
                )
            }
            if plan.chart.isAttribute {
                kpis.append(
                    KPIResult(
                        name: "attribute_signals[\(name)]", unit: "signals",
                        values: summaries.map { Double($0.signals) }))
                continue
            }
            if plan.reactions.contains(.adjust) {
                kpis.append(
                    KPIResult(
                        name: "spc_adjustments[\(name)]", unit: "adjustments",
                        values: summaries.map { Double($0.adjustments) }))
            }
            kpis.append(
                KPIResult(name: "spc_signals[\(name)]", unit: "signals", values: summaries.map { Double($0.signals) }))
            kpis.append(
                KPIResult(
                    name: "out_of_spec[\(name)]", unit: "share",
                    values: summaries.map { Double($0.outOfSpecification) / Double(max($0.measured, 1)) }))
            if plan.reactions.contains(where: { if case .holdUnits = $0 { true } else { false } }) {
                kpis.append(
                    KPIResult(name: "spc_held[\(name)]", unit: "units", values: summaries.map { Double($0.held) }))
                kpis.append(
                    KPIResult(
                        name: "spc_scrapped[\(name)]", unit: "units", values: summaries.map { Double($0.scrapped) }))
            }
            if summaries.contains(where: { $0.cpk != nil }) {
                kpis.append(KPIResult(name: "cp[\(name)]", unit: "index", values: summaries.map { $0.cp ?? .nan }))
                kpis.append(KPIResult(name: "cpk[\(name)]", unit: "index", values: summaries.map { $0.cpk ?? .nan }))
            }
            if summaries.contains(where: { $0.ppk != nil }) {
                kpis.append(KPIResult(name: "pp[\(name)]", unit: "index", values: summaries.map { $0.pp ?? .nan }))
                kpis.append(KPIResult(name: "ppk[\(name)]", unit: "index", values: summaries.map { $0.ppk ?? .nan }))
            }
        }
        return kpis
    }

    /// Per granularity: units a recall would take back and those already shipped (summed
    /// over the scenario's recalls), the units really affected, and what the MES held and
    /// scrapped.
    static func recallKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        guard let recalls = scenario.mes?.settings.traceability?.recalls, !recalls.isEmpty else { return [] }
        var kpis: [KPIResult] = []
        func add(_ name: String, _ unit: String, _ value: (Replication) -> Int) {
            kpis.append(KPIResult(name: name, unit: unit, values: replications.map { Double(value($0)) }))
        }
        for (index, granularity) in ["serial", "lot", "window"].enumerated() {
            add("recall_units[\(granularity)]", "units") {
                $0.recalls.reduce(0) { $0 + ($1.count > index ? $1[index].recalled : 0) }
            }
            add("recall_shipped[\(granularity)]", "units") {
                $0.recalls.reduce(0) { $0 + ($1.count > index ? $1[index].shipped : 0) }
            }
        }
        add("recall_affected", "units") { $0.recalls.reduce(0) { $0 + ($1.first?.affected ?? 0) } }
        // Of those, the units that really carry the lot's defect (lots given a quality).
        add("recall_defective", "units") { replication in
            recalls.reduce(0) { sum, recall in
                let lots = replication.plant.lotDefectiveUnits
                let (m, lot) = (Int(recall.material), Int(recall.lot))
                return sum + (m < lots.count && lot >= 0 && lot < lots[m].count ? lots[m][lot] : 0)
            }
        }
        add("recall_held", "units") { $0.recallHeld.reduce(0, +) }
        add("recall_scrapped", "units") { $0.recallScrapped.reduce(0, +) }
        return kpis
    }
}
