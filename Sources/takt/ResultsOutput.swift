import Foundation
import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

/// The terminal tables of a run.
enum ResultsTable {
    static let lineKPIs = [
        "throughput", "shipped", "work_in_process", "lead_time", "yield", "scrap_rate", "escape_rate",
        "reworks_per_unit",
        "energy_per_good_unit", "lost_arrivals", "makespan", "orders_completed",
        "orders_closed_short", "orders_aborted", "orders_due", "open_orders", "open_orders_late", "order_lead_time",
        "order_flow_time", "order_lateness", "order_tardiness", "on_time_delivery", "otif", "fill_rate",
    ]

    static func render(_ results: ExperimentResults, scenario: Scenario) -> String {
        var lines: [String] = []
        lines.append(
            "\(results.scenario): \(results.replications) replications × \(Format.duration(results.horizon - results.warmup)) after a warm-up of \(Format.duration(results.warmup)); seed \(results.seed); generator \(results.generator) (GSL \(results.gslVersion))"
        )
        lines.append("")
        lines.append(pad("KPI", 24) + pad("mean ± 95% CI", 30) + "unit")
        for name in lineKPIs {
            guard let kpi = results.kpi(name) else { continue }
            lines.append(pad(name, 24) + pad(interval(kpi), 30) + kpi.unit)
        }
        if results.kpi("orders_due") != nil {
            lines.append(
                "(delivery figures over the orders due: ended in the window, or open past their due date at its end)")
        }
        lines.append("")
        lines.append("Per station (shares of machine time, means over replications):")
        let states = MachineState.allCases.map(Experiment.stateKey)
        lines.append(pad("station", 16) + states.map { pad($0, 13) }.joined() + pad("buffer", 10) + "kWh")
        for station in scenario.layout.stations {
            var row = pad(station.name, 16)
            for state in states {
                row += pad(Format.number(results.kpi("\(state)[\(station.name)]")?.mean ?? 0, decimals: 3), 13)
            }
            row += pad(Format.number(results.kpi("buffer[\(station.name)]")?.mean ?? 0, decimals: 2), 10)
            row += Format.number(results.kpi("energy[\(station.name)]")?.mean ?? 0, decimals: 1)
            lines.append(row)
        }
        lines.append("")
        lines.append(
            "Per station queue (means over replications; a unit waits from arrival at the station to the start of its processing):"
        )
        lines.append(
            pad("station", 16) + pad("units", 12) + pad("wait s", 12) + pad("P(wait)", 12) + pad("in station s", 14)
                + "waiting (time-average)")
        for station in scenario.layout.stations {
            func cell(_ key: String, _ decimals: Int) -> String {
                results.kpi("\(key)[\(station.name)]").map { $0.cells(decimals: decimals)[0] } ?? ""
            }
            lines.append(
                pad(station.name, 16) + pad(cell("units_completed", 1), 12) + pad(cell("queue_wait", 1), 12)
                    + pad(cell("probability_of_wait", 3), 12) + pad(cell("time_in_station", 1), 14)
                    + cell("buffer", 2))
        }
        lines.append("")
        lines.append("OEE (ISO 22400-2 per station; the line's from its output, each unit once, at its constraint):")
        lines.append(pad("", 16) + pad("OEE", 22) + pad("availability", 15) + pad("effectiveness", 15) + "quality")
        func oeeRow(_ label: String, _ suffix: String) -> String {
            pad(label, 16) + pad(results.kpi("oee\(suffix)").map(interval) ?? "", 22)
                + ["availability", "effectiveness", "quality_ratio"].map {
                    pad(Format.number(results.kpi("\($0)\(suffix)")?.mean ?? 0, decimals: 3), 15)
                }.joined()
        }
        for station in scenario.layout.stations { lines.append(oeeRow(station.name, "[\(station.name)]")) }
        lines.append(oeeRow("line", ""))
        let equipment = scenario.equipment
        let constraint =
            scenario.layout.stations.isEmpty ? "" : scenario.layout.stations[scenario.constraintStation].name
        lines.append(
            "line = \(equipment.enterprise) / \(equipment.site) / \(equipment.area) / \(equipment.line) (ISA-95 enterprise / site / area / work centre; stations are its work units); "
                + "constraint \(constraint) (longest ideal cycle per machine)")
        if let rollup = results.kpi("equipment_oee") {
            lines.append("equipment roll-up OEE (every machine, time-weighted): \(interval(rollup))")
        }
        let losses = Losses.keys.compactMap { key -> String? in
            let share = results.kpi("loss_\(key)")?.mean ?? 0
            guard share != 0 else { return nil }
            return "\(key.replacingOccurrences(of: "_", with: " ")) \(Format.number(share, decimals: 3))"
        }
        lines.append(
            "line losses (share of planned busy time): " + (losses.isEmpty ? "none" : losses.joined(separator: ", ")))
        if let bottleneck = Bottleneck.statement(results) { lines.append(bottleneck) }
        for pool in scenario.layout.operatorPools {
            if let kpi = results.kpi("operator_utilisation[\(pool.name)]") {
                lines.append("operators \(pool.name): utilisation \(interval(kpi))")
            }
        }
        for material in scenario.layout.materials where material.supply != nil {
            // A finite supply: deliveries, and what waiting for it cost each station using it.
            var line =
                "material \(material.name): lots delivered \(results.kpi("lots_delivered[\(material.name)]").map(interval) ?? "–")"
            let m = scenario.layout.materials.firstIndex { $0.name == material.name } ?? 0
            for (s, station) in scenario.layout.stations.enumerated()
            where scenario.layout.products.contains(where: {
                $0.billOfMaterials.contains { $0.material == m && $0.station == s }
            }) {
                if let kpi = results.kpi("loss_waiting_for_material[\(station.name)]") {
                    line += ", \(station.name) waits for material \(interval(kpi)) of planned busy time"
                }
            }
            lines.append(line)
        }
        for plan in scenario.mes?.settings.spc ?? [] {
            let name = scenario.layout.stations[plan.station].name
            // The reactions the signals led to, as the MES carried them out.
            var reactions = ""
            for (key, label) in [
                ("spc_adjustments", "adjusted"), ("spc_station_holds", "station held"),
                ("attribute_station_holds", "station held"), ("spc_held", "units held"),
            ] {
                if let kpi = results.kpi("\(key)[\(name)]") { reactions += ", \(label) \(interval(kpi))" }
            }
            if plan.chart.isAttribute {
                lines.append(
                    "SPC \(name), \(plan.chart.title): signals \(results.kpi("attribute_signals[\(name)]").map(interval) ?? "–")\(reactions)"
                )
                continue
            }
            var line = "SPC \(name): signals \(results.kpi("spc_signals[\(name)]").map(interval) ?? "–")\(reactions)"
            if let kpi = results.kpi("out_of_spec[\(name)]") { line += ", out of specification \(interval(kpi))" }
            if let cp = results.kpi("cp[\(name)]"), let cpk = results.kpi("cpk[\(name)]") {
                line += ", Cp \(interval(cp)), Cpk \(interval(cpk))"
            }
            if let pp = results.kpi("pp[\(name)]"), let ppk = results.kpi("ppk[\(name)]") {
                line += ", Pp \(interval(pp)), Ppk \(interval(ppk))"
            }
            if let signals = results.kpi("spc_signals[\(name)]"), signals.mean > 0 {
                line +=
                    "; out of statistical control in the window (signals), so Cp/Cpk describe the Phase I baseline only; Pp/Ppk describe what was made"
            }
            lines.append(line)
        }
        if let held = results.kpi("units_held") {
            // What the MES decided, in the window: holds, rule firings, maintenance, pages.
            var decisions = ["units held \(interval(held))"]
            if let open = results.kpi("shipped_with_open_hold"), open.mean > 0 {
                decisions.append("shipped with an open hold \(interval(open))")
            }
            for kpi in results.kpis
            where kpi.name.hasPrefix("rule_firings[") || kpi.name == "maintenance_orders"
                || kpi.name.hasPrefix("pages[")
            {
                decisions.append("\(kpi.name) \(interval(kpi))")
            }
            lines.append("MES decisions in the window: " + decisions.joined(separator: ", "))
        }
        if let traceability = scenario.mes?.settings.traceability, !traceability.recalls.isEmpty {
            let recalls = traceability.recalls.map { recall in
                "\(scenario.layout.materials[Int(recall.material)].name) lot \(recall.lot) at \(Format.duration(recall.time))"
            }
            lines.append("")
            lines.append(
                "Recall scope (\(recalls.joined(separator: "; ")); means over replications; the MES traces by \(traceability.granularity)):"
            )
            lines.append(
                pad("granularity", 18) + pad("units recalled", 18) + pad("really affected", 18) + "already shipped")
            for granularity in ["serial", "lot", "window"] {
                let label = granularity == "window" ? "window (\(Format.duration(traceability.window)))" : granularity
                lines.append(
                    pad(label, 18)
                        + pad(Format.number(results.kpi("recall_units[\(granularity)]")?.mean ?? 0, decimals: 1), 18)
                        + pad(Format.number(results.kpi("recall_affected")?.mean ?? 0, decimals: 1), 18)
                        + Format.number(results.kpi("recall_shipped[\(granularity)]")?.mean ?? 0, decimals: 1))
            }
            if let defective = results.kpi("recall_defective"), defective.mean > 0 {
                lines.append(
                    "of the units that drew from the lot, \(Format.number(defective.mean, decimals: 1)) really carry its defect (the lot's quality; ground truth)"
                )
            }
            if let held = results.kpi("recall_held"), let scrapped = results.kpi("recall_scrapped") {
                lines.append(
                    "held by the MES: \(Format.number(held.mean, decimals: 1)) units; scrapped after investigation: \(Format.number(scrapped.mean, decimals: 1))"
                )
            }
        }
        lines += productTable(results, scenario: scenario)
        // Padded columns leave trailing spaces; drop them.
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    /// Orders per product, when the MES reports them per product.
    static func productTable(_ results: ExperimentResults, scenario: Scenario) -> [String] {
        let products = scenario.layout.products.map(\.name)
        guard products.contains(where: { results.kpi("order_lead_time[\($0)]") != nil }) else { return [] }
        let columns = [
            ("orders_completed", "orders", 1), ("order_lead_time", "lead time h", 3),
            ("order_flow_time", "flow time h", 3), ("order_tardiness", "tardiness h", 3),
            ("on_time_delivery", "on time", 3), ("otif", "OTIF", 3), ("work_in_process", "WIP units", 2),
        ]
        var lines = [
            "",
            "Per product (means over replications; times over orders ended in the window, delivery over orders due):",
        ]
        lines.append(pad("product", 18) + columns.map { pad($0.1, 14) }.joined())
        for product in products {
            lines.append(
                pad(product, 18)
                    + columns.map { key, _, decimals in
                        pad(results.kpi("\(key)[\(product)]").map { $0.cells(decimals: decimals)[0] } ?? "", 14)
                    }.joined())
        }
        return lines
    }

    static func interval(_ kpi: KPIResult) -> String { kpi.formatted() }

    /// The KPIs whose names match any of `patterns` (`*` any run of characters, `?` one;
    /// brackets are literal, so `queue_wait[*]` is every station's wait), in results order.
    static func selected(_ results: ExperimentResults, patterns: [String]) -> String {
        let chosen = results.kpis.filter { kpi in patterns.contains { Glob.matches(kpi.name, $0) } }
        guard !chosen.isEmpty else {
            return "no KPI matches \(patterns.map { "`\($0)`" }.joined(separator: ", "))"
        }
        let width = max(24, (chosen.map(\.name.count).max() ?? 0) + 2)
        var lines = [pad("KPI", width) + pad("mean ± 95% CI", 30) + "unit"]
        for kpi in chosen { lines.append(pad(kpi.name, width) + pad(interval(kpi), 30) + kpi.unit) }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

/// Shell-style name patterns: `*` matches any run of characters, `?` one; all else is literal.
enum Glob {
    static func matches(_ name: String, _ pattern: String) -> Bool {
        let text = Array(name)
        let glob = Array(pattern)
        var memo = [Int: Bool]()
        func match(_ t: Int, _ g: Int) -> Bool {
            if let known = memo[t * (glob.count + 1) + g] { return known }
            let result: Bool
            if g == glob.count {
                result = t == text.count
            } else if glob[g] == "*" {
                result = match(t, g + 1) || (t < text.count && match(t + 1, g))
            } else {
                result = t < text.count && (glob[g] == "?" || glob[g] == text[t]) && match(t + 1, g + 1)
            }
            memo[t * (glob.count + 1) + g] = result
            return result
        }
        return match(0, 0)
    }
}
