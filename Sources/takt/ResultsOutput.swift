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
        "energy_per_good_unit", "lost_arrivals", "makespan", "orders_completed", "order_lead_time", "order_lateness",
        "order_tardiness", "on_time_delivery", "open_orders",
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
        for plan in scenario.mes?.settings.spc ?? [] {
            let name = scenario.layout.stations[plan.station].name
            var line = "SPC \(name): signals \(results.kpi("spc_signals[\(name)]").map(interval) ?? "–")"
            if let kpi = results.kpi("out_of_spec[\(name)]") { line += ", out of specification \(interval(kpi))" }
            if let cp = results.kpi("cp[\(name)]"), let cpk = results.kpi("cpk[\(name)]") {
                line += ", Cp \(interval(cp)), Cpk \(interval(cpk))"
            }
            lines.append(line)
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
            ("order_lateness", "lateness h", 3), ("order_tardiness", "tardiness h", 3),
            ("on_time_delivery", "on time", 3), ("work_in_process", "WIP units", 2),
        ]
        var lines = ["", "Per product (orders completed in the window, means over replications):"]
        lines.append(pad("product", 18) + columns.map { pad($0.1, 14) }.joined())
        for product in products {
            lines.append(
                pad(product, 18)
                    + columns.map { key, _, decimals in
                        pad(Format.number(results.kpi("\(key)[\(product)]")?.mean ?? 0, decimals: decimals), 14)
                    }.joined())
        }
        return lines
    }

    static func interval(_ kpi: KPIResult) -> String {
        let magnitude = max(abs(kpi.mean), kpi.halfWidth)
        let decimals = magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 4
        return "\(Format.number(kpi.mean, decimals: decimals)) ± \(Format.number(kpi.halfWidth, decimals: decimals))"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

/// The files `--out` writes; written to a temporary directory first and moved into place, so
/// a failure leaves nothing half-written.
enum ResultsFiles {
    static func write(_ results: ExperimentResults, scenario: Scenario, to directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staging = (directory as NSString).appendingPathComponent(
            ".takt-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: staging) }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var files: [(String, Data)] = [
            ("results.json", try encoder.encode(results)),
            ("stations.csv", Data(stationsCSV(results, scenario: scenario).utf8)),
            ("buffers.csv", Data(buffersCSV(results, scenario: scenario).utf8)),
        ]
        if scenario.mes != nil { files.append(("orders.csv", Data(ordersCSV(results).utf8))) }
        if !results.operations.isEmpty {
            files.append(("operations.csv", Data(operationsCSV(results, scenario: scenario).utf8)))
        }
        for (name, data) in files {
            try data.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(name)))
        }
        for (name, _) in files {
            let target = (directory as NSString).appendingPathComponent(name)
            try? manager.removeItem(atPath: target)
            try manager.moveItem(atPath: (staging as NSString).appendingPathComponent(name), toPath: target)
        }
    }

    static func stationsCSV(_ results: ExperimentResults, scenario: Scenario) -> String {
        let states = MachineState.allCases.map(Experiment.stateKey)
        var header = ["station"]
        for state in states { header += [state, "\(state)_ci"] }
        header += ["energy_kwh", "energy_kwh_ci"]
        var rows = [header.joined(separator: ",")]
        for station in scenario.layout.stations {
            var row = [station.name]
            for key in states.map({ "\($0)[\(station.name)]" }) + ["energy[\(station.name)]"] {
                let kpi = results.kpi(key)
                row += [Format.number(kpi?.mean ?? 0, decimals: 6), Format.number(kpi?.halfWidth ?? 0, decimals: 6)]
            }
            rows.append(row.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// One row per work order and replication: times in hours, empty until they happen.
    static func ordersCSV(_ results: ExperimentResults) -> String {
        func hours(_ seconds: Double?) -> String { seconds.map { Format.number($0 / 3_600, decimals: 4) } ?? "" }
        var rows = [
            "replication,order,product,quantity,arrival_h,due_h,released_h,completed_h,lead_time_h,lateness_h,state,shipped,scrapped"
        ]
        for o in results.orders {
            let lead = o.completed.flatMap { end in o.released.map { end - $0 } }
            rows.append(
                [
                    "\(o.replication)", "\(o.order)", o.product, "\(o.quantity)", hours(o.arrival), hours(o.due),
                    hours(o.released),
                    hours(o.completed), hours(lead), hours(o.completed.map { $0 - o.due }), o.state, "\(o.shipped)",
                    "\(o.scrapped)",
                ].joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// One row per operation of a unit and replication: the as-built route with times in seconds.
    static func operationsCSV(_ results: ExperimentResults, scenario: Scenario) -> String {
        let units = scenario.equipment.machineNames
        var rows = [
            "replication,serial,order,product,work_centre,work_unit,start_s,end_s,batch,setup,rework,operator_pool"
        ]
        for (replication, operations) in results.operations.enumerated() {
            for o in operations {
                rows.append(
                    [
                        "\(replication)", "\(o.serial)", o.order >= 0 ? "\(o.order)" : "",
                        o.product >= 0 ? scenario.layout.products[Int(o.product)].name : "",
                        scenario.layout.stations[Int(o.station)].name, units[Int(o.machine)],
                        Format.number(o.start, decimals: 3), Format.number(o.end, decimals: 3),
                        o.batch >= 0 ? "\(o.batch)" : "", o.setup ? "1" : "0", o.rework ? "1" : "0",
                        o.operatorPool >= 0 ? scenario.layout.operatorPools[Int(o.operatorPool)].name : "",
                    ].joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func buffersCSV(_ results: ExperimentResults, scenario: Scenario) -> String {
        var rows = ["station,places,mean_level,mean_level_ci"]
        for station in scenario.layout.stations {
            let kpi = results.kpi("buffer[\(station.name)]")
            rows.append(
                [
                    station.name, station.inputCapacity.map(String.init) ?? "unlimited",
                    Format.number(kpi?.mean ?? 0, decimals: 6), Format.number(kpi?.halfWidth ?? 0, decimals: 6),
                ].joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
