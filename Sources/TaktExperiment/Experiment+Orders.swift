import TaktMES
import TaktScenario

extension Experiment {
    /// The MES's order KPIs: for all orders, then per product when there are several.
    ///
    /// Order figures count the orders completed in the observation window; WIP by product
    /// is the MES's time-weighted count of each product's units in the plant.
    static func orderKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        var kpis: [KPIResult] = []
        func add(_ name: String, _ unit: String, _ value: (Replication) -> Double) {
            kpis.append(KPIResult(name: name, unit: unit, values: replications.map(value)))
        }
        func finished(_ r: Replication, product: Int32?) -> [WorkOrder] {
            r.orders.filter { ($0.completion ?? -1) >= scenario.warmup && (product == nil || $0.product == product) }
        }
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        func addOrderFigures(_ suffix: String, product: Int32?) {
            add("orders_completed\(suffix)", "orders") { Double(finished($0, product: product).count) }
            add("order_lead_time\(suffix)", "h") { mean(finished($0, product: product).compactMap(\.leadTime)) / 3_600 }
            add("order_lateness\(suffix)", "h") { mean(finished($0, product: product).compactMap(\.lateness)) / 3_600 }
            add("order_tardiness\(suffix)", "h") {
                mean(finished($0, product: product).compactMap(\.tardiness)) / 3_600
            }
            add("on_time_delivery\(suffix)", "share") { r in
                let done = finished(r, product: product)
                return done.isEmpty ? 0 : Double(done.filter { ($0.lateness ?? 1) <= 0 }.count) / Double(done.count)
            }
        }
        addOrderFigures("", product: nil)
        add("open_orders", "orders") { Double($0.orders.filter { $0.state != .closed }.count) }
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
    /// The MES's own checks and decisions: units shipped on hold, maintenance work orders,
    /// pages and rule firings, in the observation window.
    static func ruleKPIs(_ scenario: Scenario, _ replications: [Replication]) -> [KPIResult] {
        guard let settings = scenario.mes?.settings else { return [] }
        var kpis = [
            KPIResult(
                name: "shipped_with_open_hold", unit: "units",
                values: replications.map { Double($0.shippedWithOpenHold) })
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
