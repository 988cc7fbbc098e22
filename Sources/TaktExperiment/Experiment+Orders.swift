import TaktMES
import TaktScenario

extension Experiment {
    /// The MES's order KPIs: for all orders, then per product when there are several.
    ///
    /// Delivery figures (on-time delivery, OTIF, fill rate, lateness, tardiness) are taken
    /// over the orders *due for delivery* in the window: those that ended (completed, or closed
    /// short) in it, and those still open at its end whose due date has passed, counted late
    /// with their tardiness so far. Orders open and not yet due are reported as open; aborted
    /// orders are counted, not measured. Lead and flow times are over orders that ended in the
    /// window. A figure over no orders is undefined in that replication (NaN), never 0.
    static func orderKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        var kpis: [KPIResult] = []
        let end = scenario.horizon
        func add(_ name: String, _ unit: String, _ value: (Replication) -> Double) {
            kpis.append(KPIResult(name: name, unit: unit, values: replications.map(value)))
        }
        func orders(_ r: Replication, _ product: Int32?) -> [WorkOrder] {
            product == nil ? r.orders : r.orders.filter { $0.product == product }
        }
        func ended(_ r: Replication, _ product: Int32?) -> [WorkOrder] {
            orders(r, product).filter { $0.completion.map { $0 >= scenario.warmup } ?? false }
        }
        func openLate(_ r: Replication, _ product: Int32?) -> [WorkOrder] {
            orders(r, product).filter { !$0.state.isEnded && $0.due <= end }
        }
        /// (order, lateness so far) for every order due for delivery.
        func due(_ r: Replication, _ product: Int32?) -> [(order: WorkOrder, lateness: Double)] {
            ended(r, product).map { ($0, $0.lateness ?? 0) } + openLate(r, product).map { ($0, end - $0.due) }
        }
        func mean(_ values: [Double]) -> Double {
            values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
        func share(_ orders: [(order: WorkOrder, lateness: Double)], _ counts: (WorkOrder, Double) -> Bool) -> Double {
            orders.isEmpty ? .nan : Double(orders.filter { counts($0.order, $0.lateness) }.count) / Double(orders.count)
        }
        func addOrderFigures(_ suffix: String, product: Int32?) {
            add("orders_completed\(suffix)", "orders") { r in
                Double(ended(r, product).filter { $0.state == .completed }.count)
            }
            add("orders_closed_short\(suffix)", "orders") { r in
                Double(ended(r, product).filter { $0.state == .closed }.count)
            }
            add("orders_due\(suffix)", "orders") { Double(due($0, product).count) }
            add("order_lead_time\(suffix)", "h") { mean(ended($0, product).compactMap(\.leadTime)) / 3_600 }
            add("order_flow_time\(suffix)", "h") { mean(ended($0, product).compactMap(\.flowTime)) / 3_600 }
            add("order_lateness\(suffix)", "h") { mean(due($0, product).map(\.lateness)) / 3_600 }
            add("order_tardiness\(suffix)", "h") { mean(due($0, product).map { max(0, $0.lateness) }) / 3_600 }
            add("on_time_delivery\(suffix)", "share") { r in
                share(due(r, product)) { order, lateness in order.state.isEnded && lateness <= 0 }
            }
            add("otif\(suffix)", "share") { r in
                share(due(r, product)) { order, lateness in order.state == .completed && lateness <= 0 }
            }
            add("fill_rate\(suffix)", "share") { r in
                let orders = due(r, product).map(\.order)
                let ordered = orders.reduce(0) { $0 + $1.quantity }
                return ordered == 0 ? .nan : Double(orders.reduce(0) { $0 + $1.shipped }) / Double(ordered)
            }
        }
        addOrderFigures("", product: nil)
        add("open_orders", "orders") { Double($0.orders.filter { !$0.state.isEnded }.count) }
        add("open_orders_late", "orders") { Double(openLate($0, nil).count) }
        add("orders_aborted", "orders") { Double($0.orders.filter { $0.state == .aborted }.count) }
        let sources = scenario.layout.sources
        let lineHasMakespan = !sources.isEmpty && sources.allSatisfy { $0.limit != nil }
        if scenario.mes?.settings.generation == nil, !lineHasMakespan {
            // A finite order set: when its last order ended (undefined while any is open).
            add("makespan", "s") { r in
                r.orders.allSatisfy(\.state.isEnded) ? r.orders.compactMap(\.completion).max() ?? .nan : .nan
            }
        }
        let products = scenario.layout.products
        guard products.count > 1 else { return kpis }
        for (p, product) in products.enumerated() {
            addOrderFigures("[\(product.name)]", product: Int32(p))
            add("work_in_process[\(product.name)]", "units") { $0.workInProcessByProduct[p] }
        }
        return kpis
    }
}

extension Experiment {
    /// The MES's own checks and decisions: units held and shipped on hold, maintenance work orders,
    /// pages and rule firings, in the observation window.
    static func ruleKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        guard let settings = scenario.mes?.settings else { return [] }
        var kpis = [
            KPIResult(
                name: "shipped_with_open_hold", unit: "units",
                values: replications.map { Double($0.shippedWithOpenHold) }),
            KPIResult(name: "units_held", unit: "units", values: replications.map { Double($0.unitsHeld) }),
        ]
        if !settings.maintenance.isEmpty
            || settings.rules.rules.contains(where: {
                $0.actions.contains { if case .maintain = $0 { true } else { false } }
            })
        {
            kpis.append(
                KPIResult(
                    name: "maintenance_orders", unit: "orders",
                    values: replications.map { Double($0.maintenanceDone.reduce(0, +)) }))
            for (s, station) in scenario.layout.stations.enumerated()
            where replications.contains(where: { $0.maintenanceDone[s] > 0 }) {
                kpis.append(
                    KPIResult(
                        name: "maintenance_orders[\(station.name)]", unit: "orders",
                        values: replications.map { Double($0.maintenanceDone[s]) }))
            }
        }
        var roles: [String] = []
        for case .page(let role) in settings.rules.rules.flatMap(\.actions)
            + settings.rules.incidents.flatMap(\.actions)
        where !roles.contains(role) {
            roles.append(role)
        }
        for (index, role) in roles.enumerated() {
            kpis.append(
                KPIResult(name: "pages[\(role)]", unit: "pages", values: replications.map { Double($0.pages[index]) }))
        }
        for (index, rule) in settings.rules.rules.enumerated() {
            kpis.append(
                KPIResult(
                    name: "rule_firings[\(rule.name)]", unit: "firings",
                    values: replications.map { Double($0.firings[index]) }))
        }
        return kpis
    }
}
