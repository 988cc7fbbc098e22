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
