/// Which way a KPI gets worse: what `takt check` calls a regression.
///
/// Every KPI a run can produce has one, declared in ``KPIDirection/table``; a KPI whose
/// direction is not declared is treated as two-sided (any change fails) and a test keeps the
/// table complete.
public enum KPIDirection: String, Sendable, Codable, CaseIterable {
    /// A fall is a regression (throughput, OEE, on-time delivery).
    case higherIsBetter = "higher-better"
    /// A rise is a regression (WIP, lead time, scrap, tardiness, losses).
    case lowerIsBetter = "lower-better"
    /// A change either way is a regression: counts of what the MES did (rule firings, holds,
    /// SPC signals) and shares that are neither good nor bad in themselves (busy, idle). A
    /// rule change that moves one on purpose updates the baseline deliberately.
    case twoSided = "two-sided"

    /// The direction of each KPI by its base name (the part before `[station]` or
    /// `[product]`), in the order results.json lists them.
    public static let table: [(base: String, direction: KPIDirection)] = [
        // The line
        ("throughput", .higherIsBetter), ("shipped", .higherIsBetter), ("work_in_process", .lowerIsBetter),
        ("lead_time", .lowerIsBetter), ("yield", .higherIsBetter), ("scrap_rate", .lowerIsBetter),
        ("escape_rate", .lowerIsBetter), ("reworks_per_unit", .lowerIsBetter),
        ("energy_per_good_unit", .lowerIsBetter), ("makespan", .lowerIsBetter), ("lost_arrivals", .lowerIsBetter),
        // Stations: state shares, buffers, flow
        ("busy", .twoSided), ("setup", .lowerIsBetter), ("idle", .twoSided), ("blocked", .lowerIsBetter),
        ("down", .lowerIsBetter), ("planned_stop", .twoSided), ("buffer", .lowerIsBetter),
        ("units_completed", .higherIsBetter), ("out_of_spec", .lowerIsBetter), ("false_rejects", .lowerIsBetter),
        ("queue_wait", .lowerIsBetter), ("probability_of_wait", .lowerIsBetter), ("time_in_station", .lowerIsBetter),
        ("energy", .lowerIsBetter),
        // OEE (ISO 22400-2) and its losses (Nakajima's six, refined)
        ("oee", .higherIsBetter), ("availability", .higherIsBetter), ("effectiveness", .higherIsBetter),
        ("quality_ratio", .higherIsBetter), ("teep", .higherIsBetter), ("equipment_oee", .higherIsBetter),
        ("technical_efficiency", .higherIsBetter), ("mtbf", .higherIsBetter), ("mttr", .lowerIsBetter),
        ("active", .twoSided), ("waiting_for_work", .twoSided), ("loss_*", .lowerIsBetter),
        // Delivery
        ("orders_completed", .higherIsBetter), ("orders_closed_short", .lowerIsBetter), ("orders_due", .twoSided),
        ("order_lead_time", .lowerIsBetter), ("order_flow_time", .lowerIsBetter), ("order_lateness", .lowerIsBetter),
        ("order_tardiness", .lowerIsBetter), ("on_time_delivery", .higherIsBetter), ("otif", .higherIsBetter),
        ("fill_rate", .higherIsBetter), ("open_orders", .lowerIsBetter), ("open_orders_late", .lowerIsBetter),
        ("orders_aborted", .lowerIsBetter),
        // What the MES did
        ("shipped_with_open_hold", .lowerIsBetter), ("units_held", .twoSided), ("maintenance_orders", .twoSided),
        ("pages", .twoSided), ("rule_firings", .twoSided),
        // SPC
        ("spc_signals", .twoSided), ("spc_adjustments", .twoSided), ("spc_station_holds", .twoSided),
        ("spc_held", .twoSided), ("spc_scrapped", .lowerIsBetter), ("attribute_signals", .twoSided),
        ("attribute_station_holds", .twoSided), ("cp", .higherIsBetter), ("cpk", .higherIsBetter),
        ("pp", .higherIsBetter), ("ppk", .higherIsBetter),
        // Traceability: how many units a recall takes back, and what the MES contained
        ("recall_units", .lowerIsBetter), ("recall_shipped", .lowerIsBetter), ("recall_affected", .twoSided),
        ("recall_defective", .twoSided), ("recall_held", .twoSided), ("recall_scrapped", .twoSided),
        // Resources and snapshots
        ("operator_utilisation", .twoSided), ("lots_delivered", .twoSided), ("wip_at_*", .lowerIsBetter),
    ]

    /// The declared direction of `kpi`, or nil when the table has none.
    public static func declared(for kpi: String) -> KPIDirection? {
        let base = kpi.firstIndex(of: "[").map { String(kpi[..<$0]) } ?? kpi
        for (name, direction) in table {
            if name.hasSuffix("*") ? base.hasPrefix(name.dropLast()) : base == name { return direction }
        }
        return nil
    }

    /// The direction `takt check` uses for `kpi`: the declared one, else two-sided.
    public static func of(_ kpi: String) -> KPIDirection { declared(for: kpi) ?? .twoSided }
}
