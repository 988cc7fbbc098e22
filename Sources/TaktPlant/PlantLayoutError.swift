/// A layout whose parts do not fit together, located by key path.
public struct PlantLayoutError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where: `stations[3].machines`, `products[0].route[2].station`.
    public let path: String
    /// What is wrong, and what was expected.
    public let problem: String

    /// An error at `path`.
    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

extension PlantLayout {
    /// Checks every index, count and probability, and that every route can reach the sink.
    public func validate() throws(PlantLayoutError) {
        guard !stations.isEmpty else { throw PlantLayoutError("stations", "expected at least one station; found none") }
        guard !products.isEmpty else { throw PlantLayoutError("products", "expected at least one product; found none") }
        guard defectTypes.count <= 64 else {
            throw PlantLayoutError("defect_types", "at most 64 defect types are supported; found \(defectTypes.count)")
        }
        for (i, pool) in technicianPools.enumerated() where pool.size < 1 {
            throw PlantLayoutError("technician_pools[\(i)].size", "expected at least 1 technician; found \(pool.size)")
        }
        for (i, calendar) in calendars.enumerated() { try validate(calendar, at: "calendars[\(i)]") }
        for (i, pool) in operatorPools.enumerated() where pool.size < 1 {
            throw PlantLayoutError("operator_pools[\(i)].size", "expected at least 1 operator; found \(pool.size)")
        }
        for (i, material) in materials.enumerated() {
            for (j, quality) in material.lotQuality.enumerated() {
                guard quality.lot >= 1 else {
                    throw PlantLayoutError(
                        "materials[\(i)].lots[\(j)]", "lots are numbered 1, 2, …; found \(quality.lot)")
                }
                try checkDefect(quality.defect, probability: quality.probability, at: "materials[\(i)].lots[\(j)]")
            }
        }
        for (i, material) in materials.enumerated() where material.lotSize < 1 {
            throw PlantLayoutError(
                "materials[\(i)].lot_size", "expected at least 1 piece per lot; found \(material.lotSize)")
        }
        for (i, station) in stations.enumerated() { try validate(station, index: i, at: "stations[\(i)]") }
        for (i, product) in products.enumerated() { try validate(product, at: "products[\(i)]") }
        for (i, source) in sources.enumerated() {
            guard products.indices.contains(source.product) else {
                throw PlantLayoutError(
                    "sources[\(i)].product", "no product number \(source.product); there are \(products.count)")
            }
            if let limit = source.limit, limit < 1 {
                throw PlantLayoutError("sources[\(i)].limit", "expected at least 1 unit; found \(limit)")
            }
            guard source.runLength >= 1 else {
                throw PlantLayoutError(
                    "sources[\(i)].run_length", "expected at least 1 unit per run; found \(source.runLength)")
            }
            guard !source.mix.isEmpty else { continue }
            for (j, entry) in source.mix.enumerated() where !products.indices.contains(entry.product) {
                throw PlantLayoutError(
                    "sources[\(i)].mix[\(j)].product", "no product number \(entry.product); there are \(products.count)"
                )
            }
            let sum = source.mix.reduce(0) { $0 + $1.probability }
            guard source.mix.allSatisfy({ $0.probability >= 0 }), abs(sum - 1) <= 1e-9 else {
                throw PlantLayoutError(
                    "sources[\(i)].mix", "probabilities must be 0 or more and sum to 1; they sum to \(sum)")
            }
            let firstStations = Set(source.mix.compactMap { products[$0.product].route.first?.station })
            guard firstStations.count <= 1 else {
                throw PlantLayoutError(
                    "sources[\(i)].mix",
                    "the products of a mix must start at the same station; they start at \(firstStations.sorted())")
            }
        }
    }

    private func validate(_ station: Station, index: Int, at path: String) throws(PlantLayoutError) {
        guard station.machines >= 1 else {
            throw PlantLayoutError("\(path).machines", "expected at least 1 machine; found \(station.machines)")
        }
        if let capacity = station.inputCapacity, capacity < 0 {
            throw PlantLayoutError("\(path).input_capacity", "expected 0 or more places; found \(capacity)")
        }
        if let setups = station.setupTimes {
            guard setups.count == products.count, setups.allSatisfy({ $0.count == products.count }) else {
                throw PlantLayoutError(
                    "\(path).setup",
                    "expected a \(products.count)×\(products.count) matrix (one row and column per product)")
            }
            for (from, row) in setups.enumerated() {
                for (to, time) in row.enumerated() where !(time.isFinite && time >= 0) {
                    throw PlantLayoutError(
                        "\(path).setup[\(from)][\(to)]", "expected a time of 0 or more; found \(time)")
                }
            }
        }
        for (j, defect) in station.defects.enumerated() {
            try checkDefect(defect.defect, probability: defect.probability, at: "\(path).defects[\(j)]")
        }
        switch station.measurement?.outOfSpecification ?? .nothing {
        case .defect(let defect):
            try checkDefect(defect, probability: 1, at: "\(path).measures.out_of_spec")
        case .rework(let target, let most):
            guard stations.indices.contains(target), most >= 0 else {
                throw PlantLayoutError(
                    "\(path).measures.out_of_spec", "no station number \(target) to rework at, or a negative maximum")
            }
        default:
            break
        }
        if let inspection = station.inspection {
            guard (0...1).contains(inspection.falseReject) else {
                throw PlantLayoutError(
                    "\(path).inspects.false_reject",
                    "expected a probability from 0 to 1; found \(inspection.falseReject)")
            }
            for (j, check) in inspection.detects.enumerated() {
                try checkDefect(check.defect, probability: check.probability, at: "\(path).inspects[\(j)]")
            }
            if let rework = inspection.reworkStation, !stations.indices.contains(rework) {
                throw PlantLayoutError(
                    "\(path).rework.station", "no station number \(rework); there are \(stations.count)")
            }
            if let back = inspection.reworkBackTo {
                guard stations.indices.contains(back) else {
                    throw PlantLayoutError(
                        "\(path).rework.back_to", "no station number \(back); there are \(stations.count)")
                }
                for product in products {
                    for (k, step) in product.route.enumerated() where step.station == index {
                        guard product.route[..<k].contains(where: { $0.station == back }) else {
                            throw PlantLayoutError(
                                "\(path).rework.back_to",
                                "product `\(product.name)` does not visit `\(stations[back].name)` before `\(station.name)`; a rework goes back to an earlier step of the route (or use `rework: { station: … }`)"
                            )
                        }
                    }
                }
            }
            guard inspection.maxReworks >= 0 else {
                throw PlantLayoutError(
                    "\(path).rework.max", "expected 0 or more reworks; found \(inspection.maxReworks)")
            }
        }
        if let batch = station.batch {
            guard batch.capacity >= 1 else {
                throw PlantLayoutError(
                    "\(path).batch.capacity", "expected at least 1 unit per batch; found \(batch.capacity)")
            }
            guard batch.maxWait.isFinite, batch.maxWait >= 0 else {
                throw PlantLayoutError("\(path).batch.max_wait", "expected a time of 0 or more; found \(batch.maxWait)")
            }
            if let capacity = station.inputCapacity, capacity < batch.capacity {
                throw PlantLayoutError(
                    "\(path).input_capacity",
                    "a batch of \(batch.capacity) needs at least \(batch.capacity) waiting places; found \(capacity)")
            }
        }
        if let pool = station.operatorPool, !operatorPools.indices.contains(pool) {
            throw PlantLayoutError(
                "\(path).operators", "no operator pool number \(pool); there are \(operatorPools.count)")
        }
        if let calendar = station.calendar, !calendars.indices.contains(calendar) {
            throw PlantLayoutError("\(path).calendar", "no calendar number \(calendar); there are \(calendars.count)")
        }
        if let failures = station.failures {
            if case .units(let count) = failures.clock, count < 1 {
                throw PlantLayoutError("\(path).failures.after_units", "expected at least 1 unit; found \(count)")
            }
            if let pool = failures.technicianPool, !technicianPools.indices.contains(pool) {
                throw PlantLayoutError(
                    "\(path).failures.technicians",
                    "no technician pool number \(pool); there are \(technicianPools.count)")
            }
        }
    }

    private func validate(_ calendar: WorkCalendar, at path: String) throws(PlantLayoutError) {
        guard calendar.cycle.isFinite, calendar.cycle > 0 else {
            throw PlantLayoutError("\(path).cycle", "expected a period longer than 0; found \(calendar.cycle)")
        }
        for (k, stop) in calendar.stops.enumerated() {
            guard stop.start >= 0, stop.start < calendar.cycle else {
                throw PlantLayoutError(
                    "\(path).stops[\(k)].start",
                    "expected an offset from 0 to below the cycle \(calendar.cycle); found \(stop.start)")
            }
            guard stop.length > 0, stop.length.isFinite else {
                throw PlantLayoutError("\(path).stops[\(k)].length", "expected a length above 0; found \(stop.length)")
            }
            let next =
                k + 1 < calendar.stops.count ? calendar.stops[k + 1].start : calendar.stops[0].start + calendar.cycle
            guard stop.start + stop.length < next else {
                throw PlantLayoutError(
                    "\(path).stops[\(k)]",
                    "overlaps or touches the next stop, or leaves no working time; merge touching stops into one")
            }
        }
    }

    private func checkDefect(_ defect: Int, probability: Double, at path: String) throws(PlantLayoutError) {
        guard defectTypes.indices.contains(defect) else {
            throw PlantLayoutError("\(path).defect", "no defect type number \(defect); there are \(defectTypes.count)")
        }
        guard probability >= 0, probability <= 1 else {
            throw PlantLayoutError("\(path).p", "expected a probability from 0 to 1; found \(probability)")
        }
    }

    private func validate(_ product: Product, at path: String) throws(PlantLayoutError) {
        guard !product.route.isEmpty else {
            throw PlantLayoutError(
                "\(path).route", "product \(product.name) has no route; expected at least one station")
        }
        for (j, item) in product.billOfMaterials.enumerated() {
            guard materials.indices.contains(item.material) else {
                throw PlantLayoutError(
                    "\(path).bom[\(j)].material", "no material number \(item.material); there are \(materials.count)")
            }
            guard item.quantity >= 1 else {
                throw PlantLayoutError("\(path).bom[\(j)].qty", "expected at least 1 piece; found \(item.quantity)")
            }
            guard product.route.contains(where: { $0.station == item.station }) else {
                throw PlantLayoutError(
                    "\(path).bom[\(j)].station", "station \(item.station) is not on the route of \(product.name)")
            }
        }
        let sink = product.route.count
        for (k, step) in product.route.enumerated() {
            guard stations.indices.contains(step.station) else {
                throw PlantLayoutError(
                    "\(path).route[\(k)].station", "no station number \(step.station); there are \(stations.count)")
            }
            guard !step.branches.isEmpty else { continue }
            for (b, branch) in step.branches.enumerated() where !(0...sink).contains(branch.step) {
                throw PlantLayoutError(
                    "\(path).route[\(k)].branches[\(b)].step",
                    "no step \(branch.step); expected 0 to \(sink) (\(sink) means the sink)")
            }
            let sum = step.branches.reduce(0) { $0 + $1.probability }
            guard step.branches.allSatisfy({ $0.probability >= 0 }), abs(sum - 1) <= 1e-9 else {
                throw PlantLayoutError(
                    "\(path).route[\(k)].branches", "probabilities must be 0 or more and sum to 1; they sum to \(sum)")
            }
        }
        // Every step reachable from the first must be able to reach the sink.
        let next: [[Int]] = product.route.indices.map { k in
            product.route[k].branches.isEmpty
                ? [k + 1] : product.route[k].branches.filter { $0.probability > 0 }.map(\.step)
        }
        var canExit = [Bool](repeating: false, count: sink + 1)
        canExit[sink] = true
        var changed = true
        while changed {
            changed = false
            for k in (0..<sink).reversed() where !canExit[k] && next[k].contains(where: { canExit[$0] }) {
                canExit[k] = true
                changed = true
            }
        }
        var reachable = Set([0])
        var frontier = [0]
        while let k = frontier.popLast() {
            guard k < sink else { continue }
            for n in next[k] where reachable.insert(n).inserted { frontier.append(n) }
        }
        if let trapped = reachable.filter({ $0 < sink && !canExit[$0] }).min() {
            throw PlantLayoutError(
                "\(path).route[\(trapped)]", "a loop with no exit: units reaching this step can never leave the plant")
        }
    }
}
