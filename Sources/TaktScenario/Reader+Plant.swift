import TaktKernel
import TaktPlant
import Yams

extension ScenarioReader {
    /// The keys a station may have.
    public static let stationKeys = [
        "id", "machines", "cycle", "buffer", "failures", "setup", "defects", "inspects", "rework", "batch", "operators",
        "calendar", "energy", "measures", "ideal_cycle",
    ]
}

extension Reader {

    func readStation(_ fields: [String: Field], name: String, names: Names) -> Station {
        let machines = fields["machines"].map { $0.int(in: 1...10_000, what: "a number of machines") ?? 1 } ?? 1
        var cycle = (try? Distribution.constant(1))!
        var cycleByProduct: [Int: Distribution] = [:]
        if let field = fields["cycle"] {
            if case .mapping = field.node {
                let allowed = ["default"] + names.products
                if let entries = field.mapping(allowed: allowed, required: ["default"]) {
                    for (key, value) in entries {
                        guard let distribution = value.distribution(.duration, directory: directory) else { continue }
                        if key == "default" {
                            cycle = distribution
                        } else if let product = names.products.firstIndex(of: key) {
                            cycleByProduct[product] = distribution
                        }
                    }
                }
            } else if let distribution = field.distribution(.duration, directory: directory) {
                cycle = distribution
            }
        }
        var station = Station(name: name, machines: machines, cycle: cycle, cycleByProduct: cycleByProduct)
        station.inputCapacity = fields["buffer"].flatMap {
            $0.int(in: 0...1_000_000, what: "a number of buffer places")
        }
        if let field = fields["failures"] { station.failures = readFailures(field, names: names) }
        if let field = fields["setup"] { station.setupTimes = readSetups(field, names: names) }
        if let list = fields["defects"]?.sequence() {
            station.defects = list.compactMap { item in
                guard let entry = item.mapping(allowed: ["name", "p"], required: ["name", "p"]),
                    let defect = entry["name"]?.string().flatMap({ names.defects.firstIndex(of: $0) }),
                    let p = entry["p"]?.probability()
                else { return nil }
                return DefectCreation(defect: defect, probability: p)
            }
        }
        if let field = fields["inspects"] {
            station.inspection = readInspection(field, rework: fields["rework"], names: names)
        } else if let rework = fields["rework"] {
            rework.fail("`rework` needs `inspects` at the same station: only an inspection rejects units")
        }
        if let field = fields["batch"],
            let batch = field.mapping(allowed: ["capacity", "max_wait"], required: ["capacity", "max_wait"])
        {
            station.batch = BatchRule(
                capacity: batch["capacity"]?.int(in: 1...100_000, what: "a batch capacity") ?? 1,
                maxWait: batch["max_wait"]?.quantity(.duration, atLeast: 0) ?? 0)
        }
        station.operatorPool = fields["operators"].flatMap {
            resolve($0, in: names.operatorPools, what: "operator pool")
        }
        station.calendar = fields["calendar"].flatMap { resolve($0, in: names.calendars, what: "calendar") }
        if let field = fields["energy"],
            let energy = field.mapping(allowed: ["busy", "setup", "idle", "blocked", "down", "planned_stop"])
        {
            func kilowatts(_ key: String) -> Double? { energy[key]?.quantity(.power, atLeast: 0) }
            station.power = PowerDraw(
                busy: kilowatts("busy") ?? 0, setup: kilowatts("setup"), idle: kilowatts("idle") ?? 0,
                blocked: kilowatts("blocked"), down: kilowatts("down") ?? 0, plannedStop: kilowatts("planned_stop"))
        }
        if let field = fields["measures"] { station.measurement = readMeasurement(field, names: names) }
        return station
    }

    func readFailures(_ field: Field, names: Names) -> Failures? {
        guard
            let entry = field.mapping(
                allowed: ["between", "repair", "clock", "after_units", "technicians"], required: ["repair"])
        else { return nil }
        let repair = entry["repair"]?.distribution(.duration, directory: directory)
        var clock = Failures.Clock.operatingTime
        if let units = entry["after_units"] {
            if let count = units.int(in: 1...Int(Int32.max), what: "a number of units") { clock = .units(count) }
            if let between = entry["between"] { between.fail("give either `between` or `after_units`, not both") }
        } else if let text = entry["clock"]?.string() {
            switch text {
            case "operating": clock = .operatingTime
            case "calendar": clock = .calendarTime
            default:
                entry["clock"]?.fail(
                    "unknown failure clock `\(text)`; expected operating or calendar (or give after_units)",
                    suggestion: nearestName(to: text, in: ["operating", "calendar"]))
            }
        }
        var between = (try? Distribution.constant(1))!
        if case .units = clock {
        } else if let field = entry["between"] {
            guard let distribution = field.distribution(.duration, directory: directory) else { return nil }
            between = distribution
        } else {
            field.fail("missing `between` (time between failures) or `after_units`")
            return nil
        }
        let pool = entry["technicians"].flatMap { resolve($0, in: names.technicianPools, what: "technician pool") }
        guard let repair else { return nil }
        return Failures(between: between, repair: repair, clock: clock, technicianPool: pool)
    }

    func readSetups(_ field: Field, names: Names) -> [[SimTime]]? {
        guard let rows = field.mapping(allowed: names.products) else { return nil }
        var matrix = Array(repeating: Array(repeating: 0.0, count: names.products.count), count: names.products.count)
        for (from, row) in rows {
            guard let fromIndex = names.products.firstIndex(of: from),
                let targets = row.mapping(allowed: names.products)
            else { continue }
            for (to, time) in targets {
                guard let toIndex = names.products.firstIndex(of: to),
                    let seconds = time.quantity(.duration, atLeast: 0)
                else { continue }
                matrix[fromIndex][toIndex] = seconds
            }
        }
        return matrix
    }

    func readInspection(_ field: Field, rework: Field?, names: Names) -> Inspection? {
        guard
            let entry = field.mapping(allowed: ["defects", "detect", "false_reject"], required: ["defects", "detect"])
        else {
            return nil
        }
        let defects = (entry["defects"]?.sequence() ?? []).compactMap { resolve($0, in: names.defects, what: "defect") }
        var detects: [(defect: Int, probability: Double)] = []
        if let detect = entry["detect"] {
            if case .mapping = detect.node, let perDefect = detect.mapping(allowed: names.defects) {
                for defect in defects {
                    let p = perDefect[names.defects[defect]]?.probability() ?? 0
                    detects.append((defect, p))
                }
            } else if let p = detect.probability() {
                detects = defects.map { ($0, p) }
            }
        }
        var inspection = Inspection(detects: detects, reworkStation: nil, maxReworks: 0)
        inspection.falseReject = entry["false_reject"]?.probability() ?? 0
        if let rework, let fields = rework.mapping(allowed: ["station", "back_to", "max"]) {
            if fields["station"] != nil, fields["back_to"] != nil {
                rework.fail(
                    "give `station` (a rework station, then back to this inspection) or `back_to` (an earlier step of the route, then on through it), not both"
                )
            } else if fields["station"] == nil, fields["back_to"] == nil {
                rework.fail("missing `station` (a rework station) or `back_to` (an earlier step of the route)")
            }
            inspection.reworkStation = fields["station"].flatMap { resolve($0, in: names.stations, what: "station") }
            inspection.reworkBackTo = fields["back_to"].flatMap { resolve($0, in: names.stations, what: "station") }
            inspection.maxReworks = fields["max"].map { $0.int(in: 0...1_000, what: "a number of reworks") ?? 1 } ?? 1
        }
        return inspection
    }

    func readMeasurement(_ field: Field, names: Names) -> Measurement? {
        var target = field
        if case .sequence = field.node {
            guard let list = field.sequence(), list.count == 1 else {
                field.fail("one measurement per station is supported; found several")
                return nil
            }
            target = list[0]
        }
        guard
            let entry = target.mapping(
                allowed: ["name", "unit", "nominal", "sd", "drift_per_hour", "lsl", "usl", "out_of_spec"],
                required: ["name", "nominal", "sd"])
        else { return nil }
        let unit = entry["unit"]?.string()
        let kind = QuantityKind.plain(unit: unit)
        guard let name = entry["name"]?.string(), let nominal = entry["nominal"]?.quantity(kind),
            let sd = entry["sd"]?.quantity(kind, atLeast: 0)
        else { return nil }
        let drift = entry["drift_per_hour"].map { $0.quantity(kind) ?? 0 } ?? 0
        let lower = entry["lsl"]?.quantity(kind)
        let upper = entry["usl"]?.quantity(kind)
        if let lower, let upper, lower >= upper {
            entry["usl"]?.fail("the upper specification limit must lie above the lower (\(lower))")
        }
        var measurement = Measurement(
            name: name, nominal: nominal, sd: sd, driftPerHour: drift, lowerSpecification: lower,
            upperSpecification: upper)
        measurement.unit = unit
        let consequence = entry["out_of_spec"]
        if consequence != nil, lower == nil, upper == nil {
            consequence?.fail("`out_of_spec` needs specification limits: give `lsl`, `usl` or both")
        }
        guard lower != nil || upper != nil else { return measurement }
        // Out of specification is nonconforming: by default a defect named after the
        // characteristic, which inspections can look for (`inspects: { defects: [\(name)] }`).
        measurement.outOfSpecification = names.defects.firstIndex(of: name).map { .defect($0) } ?? .nothing
        guard let consequence else { return measurement }
        if case .scalar = consequence.node, let text = consequence.string() {
            switch text {
            case "scrap": measurement.outOfSpecification = .scrap
            case "nothing": measurement.outOfSpecification = .nothing
            default:
                consequence.fail(
                    "unknown consequence `\(text)`; expected scrap, nothing, { defect: NAME } or { rework: STATION, max: 1 }",
                    suggestion: nearestName(to: text, in: ["scrap", "nothing"]))
            }
        } else if let parts = consequence.mapping(allowed: ["defect", "rework", "max"]) {
            if let defect = parts["defect"] {
                if let index = resolve(defect, in: names.defects, what: "defect") {
                    measurement.outOfSpecification = .defect(index)
                }
            } else if let rework = parts["rework"] {
                let most = parts["max"].map { $0.int(in: 0...1_000, what: "a number of reworks") ?? 1 } ?? 1
                if let target = resolve(rework, in: names.stations, what: "station") {
                    measurement.outOfSpecification = .rework(station: target, maxReworks: most)
                }
            } else {
                consequence.fail("give `defect: NAME` or `rework: STATION` (or write `scrap`)")
            }
        }
        return measurement
    }

    /// `lots: { 3: { defect: solder-void, p: 0.3 } }`: lots of a material that give a defect.
    func readLotQuality(_ field: Field, names: Names) -> [LotQuality] {
        guard case .mapping(let mapping) = field.node else {
            field.fail("expected a mapping of lot numbers, as in `lots: { 3: { defect: solder-void, p: 0.3 } }`")
            return []
        }
        var result: [LotQuality] = []
        let keys = Array(mapping.keys.compactMap(\.string))
        guard let entries = field.mapping(allowed: keys) else { return [] }
        for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let lot = Int(key), lot >= 1 else {
                entry.fail("a lot is named by its number 1, 2, …; found `\(key)`")
                continue
            }
            guard let parts = entry.mapping(allowed: ["defect", "p"], required: ["defect", "p"]),
                let defect = resolve(parts["defect"], in: names.defects, what: "defect"),
                let p = parts["p"]?.probability()
            else { continue }
            result.append(LotQuality(lot: lot, defect: defect, probability: p))
        }
        return result.sorted { $0.lot < $1.lot }
    }

    func readProduct(_ fields: [String: Field], name: String, names: Names) -> Product {
        var route: [RouteStep] = []
        var branchFields: [(step: Int, field: Field)] = []
        var stationsInRoute: [String] = []
        if let list = fields["route"]?.sequence() {
            if list.isEmpty {
                fields["route"]?.fail("product \(name) has an empty route; expected at least one station")
            }
            for item in list {
                if case .mapping = item.node {
                    guard let entry = item.mapping(allowed: ["station", "branch"], required: ["station"]),
                        let station = resolve(entry["station"], in: names.stations, what: "station")
                    else { continue }
                    route.append(RouteStep(station: station))
                    stationsInRoute.append(names.stations[station])
                    if let branch = entry["branch"] { branchFields.append((route.count - 1, branch)) }
                } else if let station = resolve(item, in: names.stations, what: "station") {
                    route.append(RouteStep(station: station))
                    stationsInRoute.append(names.stations[station])
                }
            }
        }
        for (step, field) in branchFields {
            guard let targets = field.mapping(allowed: stationsInRoute + ["ship"]) else { continue }
            route[step].branches = targets.compactMap { target, probability in
                guard let p = probability.probability() else { return nil }
                let index = target == "ship" ? route.count : stationsInRoute.firstIndex(of: target) ?? 0
                return (index, p)
            }.sorted { $0.step < $1.step }
        }
        var product = Product(name: name, route: route)
        product.idealCycle = fields["ideal_cycle"]?.quantity(.duration, above: 0)
        if let list = fields["bom"]?.sequence() {
            product.billOfMaterials = list.compactMap { item in
                guard let entry = item.mapping(allowed: ["material", "qty", "at"], required: ["material", "at"]),
                    let material = resolve(entry["material"], in: names.materials, what: "material"),
                    let station = resolve(entry["at"], in: names.stations, what: "station")
                else { return nil }
                if !route.contains(where: { $0.station == station }) {
                    entry["at"]?.fail("station `\(names.stations[station])` is not on the route of \(name)")
                }
                let qty = entry["qty"].map { $0.int(in: 1...1_000_000, what: "a quantity") ?? 1 } ?? 1
                return BillOfMaterialsItem(material: material, quantity: qty, station: station)
            }
        }
        return product
    }

    func readCalendar(_ fields: [String: Field], name: String) -> WorkCalendar {
        let cycle = fields["cycle"].map { $0.quantity(.duration, above: 0) ?? TimeUnit.day } ?? TimeUnit.day
        if let shiftsField = fields["shifts"] {
            if fields["stops"] != nil { fields["stops"]?.fail("give either `shifts` or `stops`, not both") }
            let shifts: [WorkCalendar.Shift] = (shiftsField.sequence() ?? []).compactMap { item in
                guard
                    let entry = item.mapping(
                        allowed: ["name", "start", "length", "breaks"], required: ["start", "length"]),
                    let start = entry["start"]?.clockTime(), let length = entry["length"]?.quantity(.duration, above: 0)
                else { return nil }
                let breaks: [(at: SimTime, length: SimTime)] = (entry["breaks"]?.sequence() ?? []).compactMap { pause in
                    guard let b = pause.mapping(allowed: ["at", "length"], required: ["at", "length"]),
                        let at = b["at"]?.clockTime(), let length = b["length"]?.quantity(.duration, above: 0)
                    else { return nil }
                    return (at, length)
                }
                let minutes = Int((start / 60).rounded())
                let name =
                    entry["name"]?.string()
                    ?? "shift from \(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
                return WorkCalendar.Shift(start: start, length: length, breaks: breaks, name: name)
            }
            return WorkCalendar(name: name, cycle: cycle, shifts: shifts)
        }
        let stops: [WorkCalendar.Stop] = (fields["stops"]?.sequence() ?? []).compactMap { item in
            guard let entry = item.mapping(allowed: ["start", "length"], required: ["start", "length"]),
                let start = entry["start"]?.clockTime(), let length = entry["length"]?.quantity(.duration, above: 0)
            else { return nil }
            return WorkCalendar.Stop(start: start, length: length)
        }
        return WorkCalendar(name: name, cycle: cycle, stops: stops)
    }

    func readSources(_ field: Field?, names: Names, products: [Product]) -> [Source] {
        guard let field, let list = field.sequence() else { return [] }
        if list.isEmpty {
            field.fail(
                "expected at least one source of units, e.g. `- { product: \(names.products.first ?? "p"), supply: unlimited }`"
            )
        }
        return list.compactMap { item in
            guard let entry = item.mapping(allowed: ["product", "mix", "every", "supply", "run_length", "limit"]) else {
                return nil
            }
            let limit = entry["limit"].flatMap { $0.int(in: 1...Int(Int32.max), what: "a number of units") }
            if entry["limit"] != nil, entry["every"] == nil {
                entry["limit"]?.fail("`limit` applies to an arrival process (`every`); unlimited supply has no limit")
            }
            let runLength = entry["run_length"].map { $0.int(in: 1...Int(Int32.max), what: "a run length") ?? 1 } ?? 1
            if entry["run_length"] != nil, entry["mix"] == nil {
                entry["run_length"]?.fail("`run_length` applies to a product mix; this source makes one product")
            }
            var arrivals = Source.Arrivals.unlimited
            switch (entry["every"], entry["supply"]) {
            case (let every?, nil):
                guard let distribution = every.distribution(.duration, directory: directory) else { return nil }
                if distribution.mean == 0, limit == nil {
                    every.fail(
                        "a time between arrivals of 0 with no `limit` releases units without end at one instant; give it a positive mean, or a `limit`"
                    )
                }
                arrivals = .process(distribution)
            case (nil, let supply?):
                guard let text = supply.string() else { return nil }
                if text != "unlimited" {
                    supply.fail(
                        "expected `unlimited` (raw material never short); found `\(text)`",
                        suggestion: nearestName(to: text, in: ["unlimited"]))
                }
            case (.some, .some):
                item.fail("give either `every` (an arrival process) or `supply: unlimited`, not both")
                return nil
            case (nil, nil):
                item.fail("missing `every` (time between arrivals) or `supply: unlimited`")
                return nil
            }
            if let mixField = entry["mix"] {
                if entry["product"] != nil { item.fail("give either `product` or `mix`, not both") }
                guard let shares = mixField.mapping(allowed: names.products) else { return nil }
                let mix: [(product: Int, probability: Double)] = shares.compactMap { key, value in
                    guard let index = names.products.firstIndex(of: key), let p = value.probability() else {
                        return nil
                    }
                    return (index, p)
                }.sorted { $0.product < $1.product }
                let sum = mix.reduce(0) { $0 + $1.probability }
                if abs(sum - 1) > 1e-9 { mixField.fail("the shares must sum to 1; they sum to \(sum)") }
                var source = Source(mix: mix, arrivals: arrivals)
                source.runLength = runLength
                source.limit = limit
                return source
            }
            guard let product = resolve(entry["product"], in: names.products, what: "product") else {
                if entry["product"] == nil { item.fail("missing `product` (or `mix`)") }
                return nil
            }
            var source = Source(product: product, arrivals: arrivals)
            source.limit = limit
            return source
        }
    }

    /// Buffer places in front of each station: its own `buffer`, else `buffers.between`
    /// for the link into it, else `buffers.default_capacity`; stations that sources feed are
    /// unlimited unless they set `buffer` themselves.
    func applyBuffers(
        _ field: Field?, to stations: inout [Station], products: [Product], sources: [Source], names: Names,
        stationFields: [(id: String, fields: [String: Field])]
    ) {
        var defaultCapacity: Int?
        var between: [Int: Int] = [:]
        if let field, let entry = field.mapping(allowed: ["default_capacity", "between"]) {
            defaultCapacity = entry["default_capacity"]?.int(in: 0...1_000_000, what: "a number of buffer places")
            if let links = entry["between"], case .sequence = links.node {
                links.fail("expected a mapping of links such as `reflow->aoi: 20`; found a list")
            } else if let links = entry["between"], case .mapping(let mapping) = links.node {
                for (key, value) in mapping {
                    let child = Field(
                        node: value, path: "\(links.path).\(key.string ?? "")", diagnostics: links.diagnostics)
                    let parts = (key.string ?? "").components(separatedBy: "->")
                    guard parts.count == 2 else {
                        child.fail("expected a link written `from->to`; found `\(key.string ?? "")`")
                        continue
                    }
                    let from = Field(node: key, path: child.path, diagnostics: links.diagnostics)
                    guard let a = names.stations.firstIndex(of: parts[0]),
                        let b = names.stations.firstIndex(of: parts[1])
                    else {
                        let bad = names.stations.contains(parts[0]) ? parts[1] : parts[0]
                        from.fail(
                            "unknown station `\(bad)` in link `\(key.string ?? "")`",
                            suggestion: nearestName(to: bad, in: names.stations))
                        continue
                    }
                    let consecutive = products.contains { product in
                        zip(product.route, product.route.dropFirst()).contains { $0.station == a && $1.station == b }
                    }
                    if !consecutive {
                        from.fail("no route goes from \(parts[0]) straight to \(parts[1])")
                        continue
                    }
                    if let places = child.int(in: 0...1_000_000, what: "a number of buffer places") {
                        between[b] = places
                    }
                }
            }
        }
        let fed = Set(
            sources.compactMap {
                products.indices.contains($0.product) ? products[$0.product].route.first?.station : nil
            })
        for index in stations.indices where stationFields[index].fields["buffer"] == nil {
            if let places = between[index] {
                stations[index].inputCapacity = places
            } else if !fed.contains(index) {
                stations[index].inputCapacity = defaultCapacity
            }
        }
    }

    /// `supply: { lots: 2, lead_time: 8h }`: lots at the line at the start (the open one
    /// included), and how long a replacement takes from the moment a lot is used up.
    func readSupply(_ field: Field) -> MaterialSupply? {
        guard let parts = field.mapping(allowed: ["lots", "lead_time"], required: ["lots", "lead_time"]),
            let lots = parts["lots"]?.int(in: 1...1_000_000, what: "a number of lots at the line"),
            let lead = parts["lead_time"]?.quantity(.duration, atLeast: 0)
        else { return nil }
        return MaterialSupply(lots: lots, leadTime: lead)
    }
}
