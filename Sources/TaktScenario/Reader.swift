import TaktKernel
import TaktMES
import TaktPlant
import Yams

/// One pass over a scenario file: names first (so references can be resolved and
/// misspellings suggested), then everything else.
struct Reader {
    /// The most stations, products, materials, calendars or pools a scenario may declare.
    static let maximumEntries = 10_000
    /// The most work orders a run's order generation may make over the horizon (each is kept,
    /// with its history, for the delivery KPIs).
    static let maximumOrders = 1_000_000

    let root: Field
    let directory: String
    /// Incidents from outside the file (a live session's log), added to its own.
    var extraIncidents: [ScriptedIncident] = []

    /// Names declared in the file, in order, for resolving references.
    struct Names {
        var stations: [String] = []
        var products: [String] = []
        var materials: [String] = []
        var calendars: [String] = []
        var operatorPools: [String] = []
        var technicianPools: [String] = []
        var defects: [String] = []
    }

    func read() -> Scenario? {
        guard
            let top = root.mapping(
                allowed: ScenarioReader.topLevelKeys, required: ["name", "horizon", "products", "stations"])
        else { return nil }
        let name = top["name"]?.string()
        let description = top["description"]?.string() ?? ""
        var horizon = top["horizon"]?.quantity(.duration, above: 0)
        if let value = horizon, value > DurationLimits.horizon {
            top["horizon"]?.fail("the horizon is at most 10 years (3650d); found \(Format.duration(value))")
            horizon = nil
        }
        let warmup = top["warmup"].map { $0.quantity(.duration, atLeast: 0) } ?? 0
        if let horizon, let warmup, horizon <= warmup {
            top["horizon"]?.fail(
                "the horizon (\(Format.duration(horizon))) must be longer than the warm-up (\(Format.duration(warmup)))"
            )
        }
        let replications = top["replications"].map { $0.int(in: 1...100_000, what: "a number of replications") } ?? 10
        let seed = top["seed"].map { $0.int(in: 0...Int.max, what: "a seed") } ?? 1
        var generator = GeneratorKind.standard
        if let field = top["generator"], let text = field.string() {
            if let kind = GeneratorKind(rawValue: text) {
                generator = kind
            } else {
                field.fail(
                    "unknown generator `\(text)`; expected \(GeneratorKind.allCases.map(\.rawValue).joined(separator: ", "))",
                    suggestion: nearestName(to: text, in: GeneratorKind.allCases.map(\.rawValue)))
            }
        }

        let stationFields = entries(
            top["stations"], idKey: "id", keys: ScenarioReader.stationKeys, required: ["id", "cycle"])
        let productFields = entries(
            top["products"], idKey: "id", keys: ["id", "route", "bom", "ideal_cycle"], required: ["id", "route"])
        let materialFields = entries(
            top["materials"], idKey: "id", keys: ["id", "lot_size", "lots", "supply"], required: ["id", "lot_size"])
        let calendarFields = entries(
            top["calendars"], idKey: "name", keys: ["name", "cycle", "shifts", "stops"], required: ["name"])
        let operatorFields = entries(
            top["operators"], idKey: "pool", keys: ["pool", "size"], required: ["pool", "size"])
        let technicianFields = entries(
            top["technicians"], idKey: "pool", keys: ["pool", "size"], required: ["pool", "size"])
        var names = Names()
        names.stations = stationFields.map(\.id)
        names.products = productFields.map(\.id)
        names.materials = materialFields.map(\.id)
        names.calendars = calendarFields.map(\.id)
        names.operatorPools = operatorFields.map(\.id)
        names.technicianPools = technicianFields.map(\.id)
        names.defects = defectNames(stationFields, materials: materialFields, incidents: top["incidents"])

        let calendars = calendarFields.map { readCalendar($0.fields, name: $0.id) }
        var materials = materialFields.map {
            Material(
                name: $0.id, lotSize: $0.fields["lot_size"]?.int(in: 1...Int(Int32.max), what: "a lot size") ?? 1,
                lotQuality: $0.fields["lots"].map { readLotQuality($0, names: names) } ?? [],
                supply: $0.fields["supply"].flatMap(readSupply))
        }
        let operatorPools = operatorFields.map {
            OperatorPool(name: $0.id, size: $0.fields["size"]?.int(in: 1...100_000, what: "a pool size") ?? 1)
        }
        let technicianPools = technicianFields.map {
            TechnicianPool(name: $0.id, size: $0.fields["size"]?.int(in: 1...100_000, what: "a pool size") ?? 1)
        }
        let products = productFields.map { readProduct($0.fields, name: $0.id, names: names) }
        var stations = stationFields.map { readStation($0.fields, name: $0.id, names: names) }
        let sources = readSources(top["sources"], names: names, products: products)
        let exercise = top["exercise"].flatMap(readExercise)
        var mes = top["mes"].flatMap {
            readMES(
                $0, names: names, stations: stations, incidents: top["incidents"],
                exerciseActions: exercise?.actions ?? [], extraIncidents: extraIncidents, horizon: horizon)
        }
        // `mark lot M/L bad with p P`: the lot was bad from the start, so its units get the defect.
        for case .markLotBad(let material, let lot, let p, let defect) in mes?.settings.rules.incidents.flatMap(
            \.actions)
            ?? [] where defect >= 0
        {
            materials[Int(material)].lotQuality.append(LotQuality(lot: Int(lot), defect: Int(defect), probability: p))
        }
        if mes != nil { moveLotIncidentsToRecalls(&mes!.settings) }
        if let generation = mes?.settings.generation, let horizon, generation.interarrival.mean > 0,
            horizon / generation.interarrival.mean > Double(Self.maximumOrders)
        {
            top["mes"]?.fail(
                "orders every \(Format.duration(generation.interarrival.mean)) make about \(Int(horizon / generation.interarrival.mean)) orders over the horizon; a run keeps at most \(Self.maximumOrders) (give `mes.orders.generate.every` a longer mean, or shorten the horizon)"
            )
        }
        if !extraIncidents.isEmpty, top["mes"] == nil {
            root.fail("incidents are carried out by the MES: the scenario needs an `mes:` section")
        }
        if top["incidents"] != nil, top["mes"] == nil {
            top["incidents"]?.fail("incidents are carried out by the MES: add an `mes:` section")
        }
        let assertions = top["assert"].map { readAssertions($0, names: names, rules: mes?.settings.rules) } ?? []
        let check = top["check"].map(readCheck) ?? CheckSettings()
        if top["exercise"] != nil, top["mes"] == nil {
            top["exercise"]?.fail("an exercise's steps are carried out by the MES: add an `mes:` section")
        }
        var namesABook = false
        if case .mapping(let section) = top["mes"]?.node, case .mapping(let orders)? = section["orders"] {
            namesABook = orders["book"] != nil
        }
        if top["sources"] == nil, mes?.settings.generation == nil, mes?.settings.orderBook.isEmpty ?? true,
            !namesABook
        {
            root.fail("missing `sources` (or `mes.orders`): nothing would enter the plant")
        }
        // Stations a scripted incident breaks down must be able to stop mid-unit.
        let machineStations = stations.indices.flatMap { s in Array(repeating: s, count: max(1, stations[s].machines)) }
        for action in mes?.settings.rules.incidents.flatMap(\.actions) ?? [] {
            switch action {
            case .failStation(let station, _): stations[Int(station)].interruptible = true
            case .failMachine(let machine, _): stations[machineStations[Int(machine)]].interruptible = true
            default: break
            }
        }
        applyBuffers(
            top["buffers"], to: &stations, products: products, sources: sources, names: names,
            stationFields: stationFields)

        let idealCycles = stations.indices.map { s in
            readIdealCycle(stationFields[s].fields["ideal_cycle"], of: &stations[s], names: names)
        }
        let layout = PlantLayout(
            products: products, stations: stations, sources: sources, defectTypes: names.defects,
            technicianPools: technicianPools, calendars: calendars, materials: materials, operatorPools: operatorPools)
        guard root.diagnostics.issues.isEmpty else { return nil }
        do {
            try layout.validate()
        } catch {
            let node = Self.node(at: error.path, in: root.node)
            root.diagnostics.report(node, error.path, error.problem)
            return nil
        }
        let minorStop =
            top["oee"]?.mapping(allowed: ["minor_stop"])?["minor_stop"]?.quantity(.duration, above: 0)
            ?? OEECalculator.defaultMinorStopThreshold
        var snapshots: [Double] = []
        if let field = top["snapshot"] {
            let items = field.sequence() ?? []
            for item in items {
                guard let time = item.quantity(.duration, atLeast: 0) else { continue }
                if let horizon, time > horizon {
                    item.fail(
                        "a snapshot at \(Format.duration(time)) is after the horizon (\(Format.duration(horizon))); give a time within the run"
                    )
                } else if snapshots.contains(time) {
                    item.fail("the snapshot at \(Format.duration(time)) is listed twice")
                } else {
                    snapshots.append(time)
                }
            }
        }
        var accountable: String?
        if let field = top["run"]?.mapping(allowed: ["operator"])?["operator"], let text = field.string() {
            if text.allSatisfy(\.isWhitespace) || text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                field.fail(
                    "the accountable person is a name on one line, e.g. \"Ada Lovelace <ada@example.com>\"; found \(text.debugDescription)"
                )
            } else {
                accountable = text
            }
        }
        let places = top["equipment"]?.mapping(allowed: ["enterprise", "site", "area", "line"])
        let enterprise = places?["enterprise"]?.string() ?? "enterprise"
        let site = places?["site"]?.string() ?? "site"
        let area = places?["area"]?.string() ?? "area"
        let line = places?["line"]?.string()
        guard root.diagnostics.issues.isEmpty, let name, let horizon, let warmup, let replications, let seed else {
            return nil
        }
        let equipment = EquipmentHierarchy(
            layout: layout, enterprise: enterprise, site: site, area: area, line: line ?? name)
        var scenario = Scenario(
            name: name, description: description, horizon: horizon, warmup: warmup, replications: replications,
            seed: UInt64(seed), generator: generator, layout: layout, idealCycles: idealCycles, mes: mes,
            file: root.diagnostics.file, equipment: equipment, assertions: assertions)
        scenario.minorStopThreshold = minorStop
        scenario.accountable = accountable
        scenario.check = check
        scenario.exercise = exercise?.exercise
        scenario.snapshots = snapshots.sorted()
        scenario.mes?.settings.minorStopThreshold = minorStop
        return scenario
    }

    /// A list of named entries: each a mapping with an id, ids unique.
    func entries(_ field: Field?, idKey: String, keys: [String], required: [String]) -> [(
        id: String, fields: [String: Field]
    )] {
        guard let field, let list = field.sequence() else { return [] }
        guard list.count <= Self.maximumEntries else {
            field.fail("\(list.count) entries; a scenario has at most \(Self.maximumEntries) \(field.path)")
            return []
        }
        var seen: [String: Int] = [:]
        var result: [(id: String, fields: [String: Field])] = []
        for (index, item) in list.enumerated() {
            guard let fields = item.mapping(allowed: keys, required: required) else { continue }
            let id = fields[idKey]?.string() ?? "#\(index)"
            if let first = seen[id] {
                fields[idKey]?.fail("`\(id)` is already used by \(field.path)[\(first)]; names must be unique")
            }
            seen[id] = index
            result.append((id, fields))
        }
        return result
    }

    /// Resolves a name to its index among `candidates`, suggesting the nearest on a typo.
    func resolve(_ field: Field?, in candidates: [String], what: String) -> Int? {
        guard let field, let name = field.string() else { return nil }
        if let index = candidates.firstIndex(of: name) { return index }
        let known = candidates.isEmpty ? "none are declared" : "expected one of \(candidates.joined(separator: ", "))"
        field.fail("unknown \(what) `\(name)`; \(known)", suggestion: nearestName(to: name, in: candidates))
        return nil
    }

    /// Every defect name stations declare, in order of first appearance.
    /// Every defect name the scenario declares, in order of first appearance: stations'
    /// `defects`, then what an out-of-specification measurement gives (its `out_of_spec.defect`,
    /// by default the measured characteristic's name), then bad material lots' defects.
    func defectNames(
        _ stations: [(id: String, fields: [String: Field])], materials: [(id: String, fields: [String: Field])] = [],
        incidents: Field? = nil
    ) -> [String] {
        var names: [String] = []
        func add(_ name: String) { if !names.contains(name) { names.append(name) } }
        for station in stations {
            guard let list = station.fields["defects"]?.sequence() else { continue }
            for item in list {
                guard case .mapping(let mapping) = item.node, let name = mapping["name"]?.string else { continue }
                add(name)
            }
        }
        for station in stations {
            guard case .mapping(let measure)? = station.fields["measures"]?.node,
                measure["lsl"] != nil || measure["usl"] != nil
            else { continue }
            if case .mapping(let consequence)? = measure["out_of_spec"], let name = consequence["defect"]?.string {
                add(name)
            } else if let name = measure["name"]?.string {
                add(name)
            }
        }
        // Incidents marking a lot bad with a defect probability name their defect (by default
        // the material's name); read ahead so inspections may refer to it.
        if case .sequence(let list)? = incidents?.node {
            for case .mapping(let incident) in list {
                let actions: [String] =
                    switch incident["do"] {
                    case .scalar(let text)?: [text.string]
                    case .sequence(let items)?: items.compactMap(\.string)
                    default: []
                    }
                for action in actions {
                    guard
                        let match = action.firstMatch(
                            of: /mark\s+lot\s+([^\s\/]+)\/\d+\s+bad\s+with\s+p\s+\S+(?:\s+defect\s+(\S+))?/)
                    else { continue }
                    add(String(match.output.2 ?? match.output.1))
                }
            }
        }
        for material in materials {
            guard case .mapping(let lots)? = material.fields["lots"]?.node else { continue }
            for (_, lot) in lots {
                if case .mapping(let entry) = lot, let name = entry["defect"]?.string { add(name) }
            }
        }
        return names
    }

    /// The YAML node at a key path such as `stations[3].machines`, or the nearest ancestor.
    static func node(at path: String, in root: Node) -> Node {
        var node = root
        for component in path.split(separator: ".") {
            var name = Substring(component)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard case .mapping(let mapping) = node, let child = mapping[String(name)] else { return node }
                node = child
            }
            for index in indices {
                guard case .sequence(let sequence) = node, index < sequence.count else { return node }
                node = sequence[index]
            }
        }
        return node
    }
}

extension Reader {
    /// A station's `ideal_cycle` (planned runtime per unit for OEE): one duration, or one per
    /// product (`{ default: 19s, router-ax1800: 25s }`). Without it, the mean cycle time — per
    /// product where the station's `cycle` is per product. A batch's one processing time covers
    /// every unit in it. Returns the default; per-product values go into the station.
    func readIdealCycle(_ field: Field?, of station: inout Station, names: Names) -> SimTime {
        let batch = Double(station.batch?.capacity ?? 1)
        guard let field else {
            for (product, cycle) in station.cycleByProduct { station.idealCycleByProduct[product] = cycle.mean / batch }
            return station.cycle.mean / batch
        }
        guard case .mapping = field.node else {
            return field.quantity(.duration, above: 0) ?? station.cycle.mean / batch
        }
        var ideal = station.cycle.mean / batch
        for (key, value) in field.mapping(allowed: ["default"] + names.products, required: ["default"]) ?? [:] {
            guard let seconds = value.quantity(.duration, above: 0) else { continue }
            if key == "default" {
                ideal = seconds
            } else if let product = names.products.firstIndex(of: key) {
                station.idealCycleByProduct[product] = seconds
            }
        }
        return ideal
    }
}
