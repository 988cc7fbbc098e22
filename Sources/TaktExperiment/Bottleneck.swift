import TaktMES

/// Which station holds the line back, by one definition used by the terminal, the report and
/// the docs: the station most **active** — producing, in setup, broken down or in unplanned
/// maintenance — as a share of its planned busy time (means over replications).
///
/// No station is named when the line is **demand-limited**: every station on the routes waits
/// for work (starved, or no work released) at least ``demandLimitedWaiting`` of its planned
/// busy time, so more orders, not more capacity, would raise the output.
public enum Bottleneck {
    /// The least share of planned busy time every station must wait for work for the line to
    /// count as demand-limited.
    public static let demandLimitedWaiting = 0.05

    /// What the run says of its bottleneck.
    public enum Finding: Sendable, Equatable {
        /// The station and its active share.
        case station(String, active: Double)
        /// The line waits for work; the most active station and its share.
        case demandLimited(mostActive: String, active: Double)
    }

    /// The finding of `results` (nil when the run has no station KPIs).
    public static func finding(_ results: ExperimentResults) -> Finding? {
        var routed: [String] = []
        for product in results.products {
            for operation in product.operations where !routed.contains(operation.workCentre) {
                routed.append(operation.workCentre)
            }
        }
        var best: (name: String, active: Double)?
        var everyStationWaits = !routed.isEmpty
        for name in routed {
            guard let active = results.kpi("active[\(name)]")?.mean else { return nil }
            if best == nil || active > best!.active { best = (name, active) }
            if (results.kpi("waiting_for_work[\(name)]")?.mean ?? 0) < demandLimitedWaiting {
                everyStationWaits = false
            }
        }
        guard let best else { return nil }
        return everyStationWaits
            ? .demandLimited(mostActive: best.name, active: best.active) : .station(best.name, active: best.active)
    }

    /// The finding as one sentence.
    public static func statement(_ results: ExperimentResults) -> String? {
        switch finding(results) {
        case .station(let name, let active):
            "bottleneck: \(name), active \(percent(active)) of its planned busy time (the most active station)"
        case .demandLimited(let name, let active):
            "demand-limited: the most active station is \(name) at \(percent(active)) of planned time; every station waits for work at least \(percent(demandLimitedWaiting)) of it, so no station is the bottleneck"
        case nil:
            nil
        }
    }

    static func percent(_ share: Double) -> String {
        let value = (share * 1_000).rounded() / 10
        return "\(value)%"
    }
}
