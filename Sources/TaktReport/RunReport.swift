import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

/// The self-contained HTML report of one run: a summary first (what was run, headline KPIs
/// with intervals, warnings), then the line and its bottleneck, OEE, timelines and
/// distributions. Every number carries its unit.
public enum RunReport {
    /// The KPIs of the summary, in order, when the run has them.
    static let headline = [
        "throughput", "shipped", "work_in_process", "lead_time", "yield", "scrap_rate", "oee", "availability",
        "effectiveness", "quality_ratio", "teep", "equipment_oee", "orders_completed", "orders_closed_short",
        "orders_due", "open_orders_late", "order_lead_time", "order_flow_time", "order_tardiness", "on_time_delivery",
        "otif", "fill_rate",
    ]

    /// The report of `results`; `tool` names the program and version that wrote it.
    public static func html(_ results: ExperimentResults, tool: String) -> String {
        var body: [String] = []
        body.append("<h1>\(escaped(results.scenario))</h1>")
        body.append(
            "<p class=\"meta\">\(escaped(results.file)) · \(results.replications) replications of \(escaped(Format.duration(results.horizon - results.warmup))) after a warm-up of \(escaped(Format.duration(results.warmup))) · seed \(results.seed) · generator \(escaped(results.generator)) (GSL \(escaped(results.gslVersion))) · written by \(escaped(tool))</p>"
        )
        body.append(summary(results))
        if let trace = results.trace {
            body.append(lineSection(results, trace))
        }
        body.append(oeeSection(results))
        if let trace = results.trace {
            body.append(timelineSection(trace))
            body.append(flowSection(results, trace))
            if !trace.spc.isEmpty { body.append(spcSection(results, trace)) }
        } else {
            body.append(
                "<p class=\"note\">These results carry no trace, so the timeline, bottleneck, WIP, lead-time and per-shift charts are left out. Write the report with <code>takt run --report</code>, or save results with <code>takt run --out</code>, which records the trace.</p>"
            )
        }
        body.append(recallSection(results))
        body.append(stationTable(results))
        body.append(productTable(results))
        body.append(lateOrderTable(results))
        body.append(definitions())
        return HTMLPage.render(title: "Takt report: \(results.scenario)", body: body.joined(separator: "\n"))
    }

    /// A KPI as `mean ± half-width`, in a cell that names the KPI for tools and tests.
    static func kpiCell(_ kpi: KPIResult) -> String {
        guard kpi.isDefined else {
            return
                "<td class=\"number\" data-kpi=\"\(escaped(kpi.name))\" title=\"no replication defines it\">undefined</td>"
        }
        let places = decimals(for: max(abs(kpi.mean), kpi.halfWidth))
        let spread = kpi.hasInterval ? number(kpi.halfWidth, decimals: places) : "n/a"
        let coverage = kpi.defined < kpi.values.count ? " (\(kpi.defined) of \(kpi.values.count))" : ""
        return
            "<td class=\"number\" data-kpi=\"\(escaped(kpi.name))\">\(number(kpi.mean, decimals: places)) ± \(spread)\(coverage)</td>"
    }

    /// A share as a percentage cell naming its KPI (means over replications).
    static func shareCell(_ kpi: KPIResult?) -> String {
        guard let kpi else { return "<td class=\"number\">–</td>" }
        return
            "<td class=\"number\" data-kpi=\"\(escaped(kpi.name))\" data-scale=\"100\">\(number(kpi.mean * 100, decimals: 1))%</td>"
    }

    static func summary(_ results: ExperimentResults) -> String {
        var rows: [String] = []
        for name in headline {
            guard let kpi = results.kpi(name) else { continue }
            rows.append("<tr><th>\(escaped(name))</th>\(kpiCell(kpi))<td>\(escaped(kpi.unit))</td></tr>")
        }
        var out = "<section id=\"summary\"><h2>Summary</h2>"
        for warning in warnings(results) { out += "<p class=\"warning\">\(escaped(warning))</p>" }
        out += "<table><thead><tr><th>KPI</th><th class=\"number\">mean ± 95% CI</th><th>unit</th></tr></thead><tbody>"
        out += rows.joined() + "</tbody></table>"
        out +=
            "<p class=\"note\">Each figure is the mean over \(results.replications) independent replications with the half-width of its Student-t 95% confidence interval. Charts show replication \(results.trace?.replication ?? 0).</p></section>"
        return out
    }

    /// What a careful reader should know before trusting the numbers.
    static func warnings(_ results: ExperimentResults) -> [String] {
        var list: [String] = []
        if let trace = results.trace {
            if let suggested = trace.suggestedWarmup, trace.suggestedWarmupIsReliable, suggested > results.warmup {
                list.append(
                    "Warm-up looks too short (MSER-5 on the hourly WIP of replication \(trace.replication) suggests \(Format.duration(suggested)); the scenario discards \(Format.duration(results.warmup)))."
                )
            } else if trace.suggestedWarmup != nil, !trace.suggestedWarmupIsReliable {
                list.append(
                    "WIP had not settled by the middle of replication \(trace.replication) (MSER-5 found no truncation point in the first half): run longer, or look for a queue that keeps growing."
                )
            }
        }
        if results.replications < 5 {
            list.append(
                "Only \(results.replications) replications: the confidence intervals are wide and rest on few values.")
        }
        return list
    }

    static func lineSection(_ results: ExperimentResults, _ trace: RunTrace) -> String {
        let stations = trace.stations.enumerated().map { s, name in
            LineDiagram.Station(
                name: name, machines: trace.stationOfMachine.filter { $0 == s }.count,
                busy: results.kpi("busy[\(name)]")?.mean ?? 0, blocked: results.kpi("blocked[\(name)]")?.mean ?? 0,
                starved: results.kpi("idle[\(name)]")?.mean ?? 0, meanBuffer: results.kpi("buffer[\(name)]")?.mean ?? 0,
                bottleneck: trace.bottleneck[s])
        }
        let finding = Bottleneck.finding(results)
        var marked: String?
        if case .station(let name, _) = finding { marked = name }
        let statement = Bottleneck.statement(results).map { "<p class=\"bottleneck\">\(escaped($0)).</p>" } ?? ""
        return """
            <section id="line"><h2>The line and its bottleneck</h2>
            \(statement)
            <figure>\(LineDiagram.svg(stations, bottleneck: marked))<figcaption>Stations in layout order, each after its input buffer (mean units waiting). Bars: shares of machine time busy, blocked and starved (means over replications). The marked bottleneck is the station most active (producing, in setup, broken down or in unplanned maintenance) as a share of its planned busy time; none is marked when the line is demand-limited (every station waits for work at least \(Int(Bottleneck.demandLimitedWaiting * 100))% of its planned busy time). The red bars show how it shifts, by the active-period method (Roser et al.) on replication \(trace.replication), sampled every \(Format.duration(trace.bottleneckStep)): the station whose current active period is longest; where its period overlaps the next or previous one's, both are shifting bottlenecks.</figcaption></figure>
            </section>
            """
    }

    /// The losses in waterfall steps, from their KPIs (`suffix` `[station]` for a station).
    static func lossSteps(_ results: ExperimentResults, suffix: String = "") -> [WaterfallChart.Step] {
        func share(_ key: String) -> Double { results.kpi("loss_\(key)\(suffix)")?.mean ?? 0 }
        func parts(_ keys: [String]) -> [(String, Double)] {
            keys.map { (String($0.map { $0 == "_" ? " " : $0 }), share($0)) }
        }
        return [
            .init(
                name: "availability",
                parts: parts([
                    "breakdowns", "setups_and_adjustments", "mes_holds", "unplanned_maintenance",
                    "waiting_for_operator",
                    "starved", "blocked", "no_work_released",
                ])),
            .init(name: "performance", parts: parts(["small_stops", "reduced_speed"])),
            .init(name: "quality", parts: parts(["startup_rejects", "production_rejects"])),
        ]
    }

    static func oeeSection(_ results: ExperimentResults) -> String {
        func share(_ name: String) -> Double { results.kpi(name)?.mean ?? 0 }
        let line = WaterfallChart.svg(
            title: "Line: losses of planned busy time by cause (line OEE \(number(share("oee") * 100, decimals: 1))%)",
            steps: lossSteps(results), width: 880, height: 240)
        var out =
            "<section id=\"oee\"><h2>OEE</h2><figure>\(line)<figcaption>The line's OEE follows its output (OEEML / OTE): good units leaving the line, each once, at the line's ideal cycle, over the planned busy time of its constraint. The bars are the constraint's losses by cause (a stop shorter than the minor-stop threshold is a small stop), then the units it produced that did not leave the line good; they add up to the planned busy time. Hover a bar for each loss.</figcaption></figure>"
        out += "<table><thead><tr><th>loss</th><th class=\"number\">share of planned busy time</th></tr></thead><tbody>"
        for key in Losses.keys {
            let label = String(key.map { $0 == "_" ? " " : $0 })
            out += "<tr><td>\(label)</td>\(shareCell(results.kpi("loss_\(key)")))</tr>"
        }
        out += "</tbody></table>"
        out += "<div class=\"small-multiples\">"
        for name in stationNames(results) {
            out += WaterfallChart.svg(
                title: "\(name): OEE \(number(share("oee[\(name)]") * 100, decimals: 1))%",
                steps: lossSteps(results, suffix: "[\(name)]"), width: 290, height: 200)
        }
        out +=
            "</div><p class=\"note\">Stations follow ISO 22400-2 with one time model: availability = actual production time / planned busy time, effectiveness = planned runtime per unit × units / actual production time, quality ratio = good / produced (rejects the MES detected); OEE is their product. Each station's bars are its own losses by cause and add up to its planned busy time. Effectiveness above 100% (faster than planned) shows as a negative reduced-speed loss.</p>"
        out +=
            "<table><thead><tr><th>station</th><th class=\"number\">OEE</th><th class=\"number\">availability</th><th class=\"number\">effectiveness</th><th class=\"number\">quality ratio</th><th class=\"number\">technical efficiency</th></tr></thead><tbody>"
        for name in stationNames(results) {
            out +=
                "<tr><td>\(escaped(name))</td>\(shareCell(results.kpi("oee[\(name)]")))\(shareCell(results.kpi("availability[\(name)]")))\(shareCell(results.kpi("effectiveness[\(name)]")))\(shareCell(results.kpi("quality_ratio[\(name)]")))\(shareCell(results.kpi("technical_efficiency[\(name)]")))</tr>"
        }
        out +=
            "<tr><th>line (output)</th>\(shareCell(results.kpi("oee")))\(shareCell(results.kpi("availability")))\(shareCell(results.kpi("effectiveness")))\(shareCell(results.kpi("quality_ratio")))<td class=\"number\">–</td></tr>"
        out += "</tbody></table>"
        if let equipment = results.kpi("equipment_oee") {
            out +=
                "<p class=\"note\">Equipment roll-up (every machine's ISO 22400-2 account summed, time-weighted, inspection and rework included): OEE <span data-kpi=\"equipment_oee\" data-scale=\"100\">\(number(equipment.mean * 100, decimals: 1))%</span>. It is not the line's OEE: a unit counts once per station there.</p>"
        }
        out += "</section>"
        return out
    }

    static func timelineSection(_ trace: RunTrace) -> String {
        """
        <section id="timeline"><h2>Machine states</h2>
        <figure>\(TimelineChart.svg(trace))<figcaption>Replication \(trace.replication), \(TimelineChart.hours(trace.timelineStart)) to \(TimelineChart.hours(trace.timelineEnd)) since the start of the run (choose the window with <code>--timeline-start</code> and <code>--timeline-length</code>). Downsampled: each of the 1,000 columns (\(Format.duration(trace.timelineResolution.rounded())) each) shows the time element that took most of it, so stops shorter than that may not show. Colours follow the ISO 22400-2 time model: MES holds have their own colour, apart from the grey of planned down time.</figcaption></figure>
        <h3>MES decisions</h3>
        <figure>\(MESEventChart.svg(trace))<figcaption>The same window: each tick is one decision of the MES from its audit trail (SPC signals and reactions, recalls and holds, rule firings, maintenance, incidents, order state changes); hover one for its entry. Dispatching and unit releases, one per unit, are left out.</figcaption></figure>
        \(MESEventChart.table(trace))
        </section>
        """
    }

    static func flowSection(_ results: ExperimentResults, _ trace: RunTrace) -> String {
        var out = "<section id=\"flow\"><h2>Work in process, lead time and output</h2>"
        out +=
            "<figure>\(SeriesCharts.levelOverTime(trace.workInProcess, title: "Units in the plant", unit: "units", warmup: results.warmup))<figcaption>Replication \(trace.replication), sampled on the hour from time 0; the warm-up is shaded.</figcaption></figure>"
        out += "<div class=\"small-multiples\">"
        for (s, name) in trace.stations.enumerated() where trace.buffers[s].values.contains(where: { $0 > 0 }) {
            out += SeriesCharts.levelOverTime(
                trace.buffers[s], title: "buffer of \(name)", unit: "units", warmup: results.warmup, width: 290,
                height: 130)
        }
        out +=
            "</div><p class=\"note\">Buffer levels on the hour; stations whose buffer was always empty at those instants are left out.</p>"
        out += "<div class=\"pair\">"
        out += SeriesCharts.histogram(
            edges: trace.leadTimeEdges, counts: trace.leadTimeCounts,
            title: "Lead time of units shipped (replication \(trace.replication))", unit: "h")
        out += SeriesCharts.perShift(
            trace.shifts,
            title: trace.shiftsFromCalendar ? "Good units per shift" : "Good units per 8-hour period")
        out += "</div></section>"
        return out
    }

    static func spcSection(_ results: ExperimentResults, _ trace: RunTrace) -> String {
        var out = "<section id=\"spc\"><h2>Statistical process control</h2>"
        for chart in trace.spc {
            out +=
                "<figure>\(SPCChartView.svg(chart))<figcaption>Replication \(trace.replication), the observation window: \(escaped(chart.statistic)) per subgroup after the baseline\(chart.dispersion.map { ", and its \($0.statistic) chart below" } ?? ""), with the limits set from the baseline (or the process values the scenario gives). Rings mark signals; hover one for its rules. Past \(SPCChartView.densityLimit) points each pixel column shows the range of its points and a line their mean.</figcaption></figure>"
            out +=
                "<table><thead><tr><th>station</th><th class=\"number\">signals (per replication)</th><th class=\"number\">out of specification</th><th class=\"number\">Cp</th><th class=\"number\">Cpk</th><th class=\"number\">Pp</th><th class=\"number\">Ppk</th></tr></thead><tbody><tr><td>\(escaped(chart.station))</td>"
            // An attribute chart counts an inspection's calls: no specification, no capability.
            let keys =
                chart.isAttribute
                ? ["attribute_signals", "", "", "", "", ""] : ["spc_signals", "out_of_spec", "cp", "cpk", "pp", "ppk"]
            for key in keys {
                if let kpi = results.kpi("\(key)[\(chart.station)]") {
                    out += kpiCell(kpi)
                } else {
                    out += "<td>–</td>"
                }
            }
            out += "</tr></tbody></table>"
            if !chart.isAttribute, let signals = results.kpi("spc_signals[\(chart.station)]"), signals.mean > 0 {
                out +=
                    "<p class=\"note\">The chart signalled in the observation window: the process was not in statistical control, so Cp and Cpk describe the Phase I baseline only; Pp and Ppk describe what was made.</p>"
            }
        }
        return out + "</section>"
    }

    /// The recall scope of the scenario's bad lots under each traceability granularity.
    static func recallSection(_ results: ExperimentResults) -> String {
        guard results.kpi("recall_affected") != nil else { return "" }
        var out =
            "<section id=\"recall\"><h2>Recall scope</h2><table><thead><tr><th>granularity</th><th class=\"number\">units recalled</th><th class=\"number\">really affected</th><th class=\"number\">already shipped</th></tr></thead><tbody>"
        for (granularity, label) in [
            ("serial", "serial number"), ("lot", "work order (lot)"), ("window", "time window"),
        ] {
            out += "<tr><td>\(label)</td>"
            for key in ["recall_units[\(granularity)]", "recall_affected", "recall_shipped[\(granularity)]"] {
                if let kpi = results.kpi(key) { out += kpiCell(kpi) } else { out += "<td>–</td>" }
            }
            out += "</tr>"
        }
        out +=
            "</tbody></table><p class=\"note\">Units (means ± 95% CI over replications) that a recall of the bad lot must take back when the MES knows the material of each serial number, only of each work order, or only the time window in which a lot was loaded; how many of them really drew from the bad lot, and how many had already shipped at the time of the recall.</p>"
        if let defective = results.kpi("recall_defective"), defective.mean > 0 {
            out +=
                "<p>Of the units that drew from the bad lot, <span data-kpi=\"recall_defective\">\(number(defective.mean, decimals: decimals(for: defective.mean)))</span> really carry its defect (the quality the scenario gives the lot: ground truth, found or not).</p>"
        }
        if let held = results.kpi("recall_held"), let scrapped = results.kpi("recall_scrapped") {
            out +=
                "<p>Held by the MES: <span data-kpi=\"recall_held\">\(number(held.mean, decimals: decimals(for: held.mean)))</span> units; scrapped after the investigation: <span data-kpi=\"recall_scrapped\">\(number(scrapped.mean, decimals: decimals(for: scrapped.mean)))</span> units.</p>"
        }
        return out + "</section>"
    }

    static func stationTable(_ results: ExperimentResults) -> String {
        var out =
            "<section id=\"stations\"><h2>Stations</h2><table><thead><tr><th>station</th>"
        for state in MachineState.allCases { out += "<th class=\"number\">\(StatePalette.label(state))</th>" }
        out += "<th class=\"number\">mean buffer (units)</th><th class=\"number\">energy (kWh)</th></tr></thead><tbody>"
        for name in stationNames(results) {
            out += "<tr><td>\(escaped(name))</td>"
            for state in MachineState.allCases {
                out += shareCell(results.kpi("\(Experiment.stateKey(state))[\(name)]"))
            }
            for key in ["buffer[\(name)]", "energy[\(name)]"] {
                if let kpi = results.kpi(key) {
                    out += "<td class=\"number\" data-kpi=\"\(escaped(key))\">\(number(kpi.mean, decimals: 2))</td>"
                } else {
                    out += "<td class=\"number\">–</td>"
                }
            }
            out += "</tr>"
        }
        out += "</tbody></table><p class=\"note\">Shares of machine time, means over replications.</p></section>"
        return out
    }

    static func productTable(_ results: ExperimentResults) -> String {
        let products = results.products.map(\.name).filter { results.kpi("order_lead_time[\($0)]") != nil }
        guard !products.isEmpty else { return "" }
        let columns = [
            ("orders_completed", "orders completed", "orders"), ("orders_closed_short", "closed short", "orders"),
            ("order_lead_time", "lead time", "h"), ("order_flow_time", "flow time", "h"),
            ("order_lateness", "lateness", "h"), ("order_tardiness", "tardiness", "h"),
            ("on_time_delivery", "on time", "share"), ("otif", "OTIF", "share"), ("fill_rate", "fill rate", "share"),
            ("work_in_process", "WIP", "units"),
        ]
        var out = "<section id=\"products\"><h2>Orders per product</h2><table><thead><tr><th>product</th>"
        for (_, label, unit) in columns { out += "<th class=\"number\">\(label) (\(unit))</th>" }
        out += "</tr></thead><tbody>"
        for product in products {
            out += "<tr><td>\(escaped(product))</td>"
            for (key, _, _) in columns {
                if let kpi = results.kpi("\(key)[\(product)]") { out += kpiCell(kpi) } else { out += "<td>–</td>" }
            }
            out += "</tr>"
        }
        return out
            + "</tbody></table><p class=\"note\">Lead and flow times over orders that ended in the observation window; on-time delivery, OTIF, fill rate, lateness and tardiness over the orders due for delivery (ended in the window, or open past their due date at its end).</p></section>"
    }

    /// The latest orders of replication 0 by name: those open past their due date at the end
    /// and the tardiest that ended, so a planner can look each one up.
    static func lateOrderTable(_ results: ExperimentResults) -> String {
        let end = results.horizon
        let late = results.orders.filter { $0.replication == 0 }.compactMap {
            order -> (OrderRecord, Double)? in
            let open = order.completed == nil && !["aborted"].contains(order.state)
            let tardiness = open ? end - order.due : (order.completed.map { $0 - order.due } ?? 0)
            guard tardiness > 0, open || (order.completed ?? 0) >= results.warmup else { return nil }
            return (order, tardiness)
        }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0.order < $1.0.order) }
        guard !late.isEmpty else { return "" }
        var out =
            "<section id=\"late-orders\"><h2>Late orders</h2><table><thead><tr><th>order</th><th>product</th><th class=\"number\">quantity</th><th class=\"number\">shipped</th><th>state</th><th class=\"number\">due (h)</th><th class=\"number\">tardiness (h)</th></tr></thead><tbody>"
        for (order, tardiness) in late.prefix(20) {
            out +=
                "<tr><td>\(escaped(order.order))</td><td>\(escaped(order.product))</td><td class=\"number\">\(order.quantity)</td><td class=\"number\">\(order.shipped)</td><td>\(escaped(order.state))</td><td class=\"number\">\(number(order.due / 3_600, decimals: 2))</td><td class=\"number\">\(number(tardiness / 3_600, decimals: 2))</td></tr>"
        }
        return out
            + "</tbody></table><p class=\"note\">Replication 0: the \(min(20, late.count)) tardiest of \(late.count) late orders, by the order book's id; an order still open at the end of the run counts its tardiness so far.</p></section>"
    }

    static func definitions() -> String {
        """
        <section id="definitions"><h2>How to read this report</h2>
        <p class="note">States are drawn in the same colours and patterns everywhere: busy (solid green), setup (blue, diagonal stripes), idle or starved (light grey, dots), blocked (orange, crosses), down (red, horizontal stripes), planned stop (grey, vertical stripes). Hover a chart element for its value. Definitions of every KPI: docs/commands.md and docs/oee.md in the Takt repository.</p>
        </section>
        """
    }

    /// The stations, in layout order.
    static func stationNames(_ results: ExperimentResults) -> [String] {
        if let equipment = results.equipment { return equipment.workUnits.map(\.name) }
        return results.kpis.compactMap { kpi in
            kpi.name.hasPrefix("busy[") ? String(kpi.name.dropFirst(5).dropLast()) : nil
        }
    }
}
