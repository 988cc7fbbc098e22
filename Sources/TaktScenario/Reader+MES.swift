import Foundation
import TaktKernel
import TaktMES
import TaktPlant

extension Reader {
    /// The `mes:` section: orders (generated and/or an order book), release policy, dispatching.
    func readMES(
        _ field: Field, names: Names, stations: [Station], incidents: Field?,
        exerciseActions: [(time: Double, actions: Field)] = [], extraIncidents: [ScriptedIncident] = [],
        horizon: Double?
    ) -> (
        settings: MESSettings, dispatch: DispatchRuleKind
    )? {
        guard
            let entry = field.mapping(
                allowed: [
                    "orders", "release", "dispatch", "record_operations", "spc", "traceability", "rules", "variables",
                    "maintenance",
                ],
                required: ["orders"])
        else {
            return nil
        }
        var generation: OrderGeneration?
        var book: [WorkOrder] = []
        var makeUp = true
        if let orders = entry["orders"]?.mapping(allowed: ["generate", "book", "make_up"]) {
            makeUp = orders["make_up"]?.bool() ?? true
            if let generate = orders["generate"] { generation = readGeneration(generate, names: names) }
            if let bookField = orders["book"] {
                book = readOrderBook(bookField, names: names, horizon: horizon, makeUp: makeUp)
            }
            if orders["generate"] == nil, orders["book"] == nil {
                entry["orders"]?.fail(
                    "give `generate` (orders arriving during the run) or `book` (a CSV order book), or both")
            }
        }
        let demand = OrderDemand(generation: generation, book: book, horizon: horizon)
        let release = entry["release"].flatMap { readRelease($0, names: names, demand: demand) } ?? .push
        var dispatch = DispatchRuleKind.fifo
        var ties = DispatchTieBreak.arrival
        var ruleField = entry["dispatch"]
        if let field = entry["dispatch"], case .mapping = field.node {
            let parts = field.mapping(allowed: ["rule", "ties"], required: ["rule"])
            ruleField = parts?["rule"]
            if let tiesField = parts?["ties"], let text = tiesField.string() {
                let names = DispatchTieBreak.allCases.map(\.rawValue)
                if let kind = DispatchTieBreak(rawValue: text) {
                    ties = kind
                } else {
                    tiesField.fail(
                        "unknown tie-breaking `\(text)`; expected \(names.joined(separator: ", ")) (arrival at the station, job index, release into the plant)",
                        suggestion: nearestName(to: text, in: names))
                }
            }
        }
        if let field = ruleField, let text = field.string() {
            if let kind = Self.dispatchRule(text) {
                dispatch = kind
            } else {
                field.fail(
                    "unknown dispatching rule `\(text)`; expected \(DispatchRuleKind.names.joined(separator: ", ")) or setup-aware(edd)",
                    suggestion: nearestName(to: text, in: DispatchRuleKind.names))
            }
        }
        var settings = MESSettings(generation: generation, orderBook: book, release: release)
        settings.makeUp = makeUp
        settings.dispatchTies = ties
        settings.recordsOperations = entry["record_operations"]?.bool() ?? false
        settings.spc = entry["spc"].map { readSPC($0, names: names, stations: stations) } ?? []
        settings.traceability = entry["traceability"].flatMap { readTraceability($0, names: names) }
        settings.rules = readRules(
            variables: entry["variables"], rules: entry["rules"], incidents: incidents,
            exerciseActions: exerciseActions, extraIncidents: extraIncidents,
            names: names,
            orders: book.map(\.name),
            machines: stations.flatMap { station in (1...max(1, station.machines)).map { "\(station.name)-\($0)" } })
        settings.maintenance = entry["maintenance"].map { readMaintenance($0, names: names) } ?? []
        return (settings, dispatch)
    }

    /// `edd`, `setup-aware`, or `setup-aware(edd)`.
    static func dispatchRule(_ text: String) -> DispatchRuleKind? {
        if text.hasPrefix("setup-aware("), text.hasSuffix(")") {
            let base = String(text.dropFirst("setup-aware(".count).dropLast())
            guard let baseKind = DispatchRuleKind(name: base) else { return nil }
            return .setupAware(base: baseKind)
        }
        return DispatchRuleKind(name: text)
    }

    func readGeneration(_ field: Field, names: Names) -> OrderGeneration? {
        guard
            let entry = field.mapping(
                allowed: ["every", "quantity", "due_in", "product", "mix"], required: ["every", "quantity", "due_in"]),
            let every = entry["every"]?.distribution(.duration, directory: directory),
            let quantity = entry["quantity"]?.distribution(.plain(unit: nil), directory: directory),
            let dueIn = entry["due_in"]?.distribution(.duration, directory: directory)
        else { return nil }
        if every.mean == 0 {
            entry["every"]?.fail("orders arriving every 0 s would never stop at one instant; give a positive mean")
        }
        if !(1...Double(OrderGeneration.maximumQuantity)).contains(quantity.mean) {
            entry["quantity"]?.fail(
                "an order's mean quantity must be from 1 to \(OrderGeneration.maximumQuantity) units (each drawn quantity is rounded and kept in that range); `\(quantity)` has mean \(quantity.mean)"
            )
        }
        var mix: [(product: Int32, probability: Double)] = []
        if let mixField = entry["mix"], let shares = mixField.mapping(allowed: names.products) {
            mix = shares.compactMap { key, value in
                guard let index = names.products.firstIndex(of: key), let p = value.probability() else { return nil }
                return (Int32(index), p)
            }.sorted { $0.product < $1.product }
            let sum = mix.reduce(0) { $0 + $1.probability }
            if abs(sum - 1) > 1e-9 { mixField.fail("the shares must sum to 1; they sum to \(sum)") }
        } else if let product = resolve(entry["product"], in: names.products, what: "product") {
            mix = [(Int32(product), 1)]
        } else if entry["product"] == nil {
            field.fail("missing `product` (or `mix`) for the generated orders")
        }
        guard !mix.isEmpty else { return nil }
        return OrderGeneration(interarrival: every, quantity: quantity, dueIn: dueIn, mix: mix)
    }

    /// What the orders ask of a release policy: the products ordered, and when the book's
    /// orders and the generated ones are due, for finding a policy that could release none.
    struct OrderDemand {
        var generation: OrderGeneration?
        var book: [WorkOrder]
        var horizon: Double?

        /// Products with orders (from the book, or with a positive share of the generated mix).
        var products: [Int] {
            var ordered = Set(book.map { Int($0.product) })
            for (product, share) in generation?.mix ?? [] where share > 0 { ordered.insert(Int(product)) }
            return ordered.sorted()
        }
    }

    func readRelease(_ field: Field, names: Names, demand: OrderDemand) -> ReleasePolicy? {
        if case .scalar = field.node {
            guard let text = field.string() else { return nil }
            if text == "push" { return .push }
            field.fail(
                "`\(text)` needs settings: write { policy: \(text), … }, or `push`",
                suggestion: nearestName(to: text, in: ["push", "conwip", "kanban", "schedule"]))
            return nil
        }
        guard let entry = field.mapping(allowed: ["policy", "wip_cap", "cards", "lead_time"], required: ["policy"]),
            let policy = entry["policy"]?.string()
        else { return nil }
        switch policy {
        case "push": return .push
        case "conwip":
            guard let cap = entry["wip_cap"]?.int(in: 1...10_000_000, what: "a WIP cap") else {
                if entry["wip_cap"] == nil { field.fail("conwip needs `wip_cap` (units allowed in the plant)") }
                return nil
            }
            return .conwip(cap: cap)
        case "kanban":
            guard let cardsField = entry["cards"], let cards = cardsField.mapping(allowed: names.products) else {
                if entry["cards"] == nil {
                    field.fail("kanban needs `cards` per product, e.g. { \(names.products.first ?? "p"): 20 }")
                }
                return nil
            }
            var perProduct = Array(repeating: 0, count: names.products.count)
            for (product, count) in cards {
                guard let index = names.products.firstIndex(of: product),
                    let n = count.int(in: 0...10_000_000, what: "a number of cards")
                else { continue }
                perProduct[index] = n
            }
            for product in demand.products where perProduct[product] == 0 {
                let name = names.products[product]
                cardsField.fail(
                    "product `\(name)` has orders but no kanban cards, so none of its orders would ever be released; give it cards, as in `cards: { \(name): 10 }`"
                )
            }
            return .kanban(cards: perProduct)
        case "schedule":
            guard let lead = entry["lead_time"]?.quantity(.duration, atLeast: 0) else {
                if entry["lead_time"] == nil {
                    field.fail("schedule needs `lead_time`: release at the due date less this")
                }
                return nil
            }
            if let horizon = demand.horizon {
                let bookReleases = demand.book.map { max($0.arrival, $0.due - lead) }
                let generatedRelease = demand.generation.map { $0.dueIn.mean - lead }
                let releasesNothing =
                    bookReleases.allSatisfy { $0 >= horizon } && (generatedRelease.map { $0 >= horizon } ?? true)
                if releasesNothing {
                    entry["lead_time"]?.fail(
                        "with a lead time of \(Format.duration(lead)) no order is released before the horizon (\(Format.duration(horizon))): each is released at its due date less the lead time; give a longer lead time"
                    )
                }
            }
            return .schedule(leadTime: lead)
        default:
            entry["policy"]?.fail(
                "unknown release policy `\(policy)`; expected push, conwip, kanban or schedule",
                suggestion: nearestName(to: policy, in: ["push", "conwip", "kanban", "schedule"]))
            return nil
        }
    }

    /// A CSV order book (RFC 4180 comma-separated): a header with `product`, `quantity`, `due`
    /// and optionally `id`, `arrival`, `priority`; one order per row. The `id` is the order's
    /// name everywhere Takt reports it. Bad rows are reported with their line.
    func readOrderBook(_ field: Field, names: Names, horizon: Double?, makeUp: Bool) -> [WorkOrder] {
        guard let file = field.string() else { return [] }
        let path = file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            field.fail("cannot read the order book `\(file)` (looked at \(path))")
            return []
        }
        func rowIssue(_ line: Int, _ column: String, _ message: String, suggestion: String? = nil) {
            field.diagnostics.issues.append(
                ScenarioIssue(
                    file: file, line: line, column: nil, path: column, message: message, suggestion: suggestion))
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\r", with: "")
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, !first.isEmpty else {
            field.fail("the order book `\(file)` is empty; expected a header line")
            return []
        }
        if !first.contains(","), let delimiter = [";", "\t", "|"].first(where: { first.contains($0) }) {
            let shown = delimiter == "\t" ? "tabs" : "`\(delimiter)`"
            rowIssue(
                1, "",
                "the cells are separated by \(shown); an order book is comma-separated (CSV, RFC 4180), as in `id,product,quantity,due`",
                suggestion: first.replacingOccurrences(of: delimiter, with: ","))
            return []
        }
        let header = first.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = ["id", "product", "quantity", "due", "arrival", "priority"]
        for column in header where !known.contains(column) {
            rowIssue(
                1, column, "unknown column `\(column)`; expected \(known.joined(separator: ", "))",
                suggestion: nearestName(to: column, in: known))
        }
        for required in ["product", "quantity", "due"] where !header.contains(required) {
            rowIssue(1, required, "missing column `\(required)`")
        }
        for (index, column) in header.enumerated() where header[..<index].contains(column) {
            rowIssue(1, column, "the column `\(column)` appears twice")
        }
        guard field.diagnostics.issues.allSatisfy({ $0.file != file || $0.line != 1 }) else { return [] }
        var orders: [WorkOrder] = []
        var lineOfName: [String: Int] = [:]
        var rows = 0
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
            let number = index + 1
            rows += 1
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count == header.count else {
                rowIssue(number, "", "expected \(header.count) cells; found \(cells.count)")
                continue
            }
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            var ok = true
            let name = row["id"] ?? "\(rows - 1)"
            if row["id"] != nil, name.isEmpty {
                rowIssue(number, "id", "the order has an empty id; give each order a unique name")
                ok = false
            } else if let earlier = lineOfName[name] {
                rowIssue(
                    number, "id", "the order id `\(name)` is already used on line \(earlier); order ids must be unique",
                    suggestion: "\(name)-2")
                ok = false
            } else {
                lineOfName[name] = number
            }
            var product: Int32 = 0
            if let productName = row["product"] {
                if let p = names.products.firstIndex(of: productName) {
                    product = Int32(p)
                } else {
                    rowIssue(
                        number, "product",
                        "unknown product `\(productName)`; expected one of \(names.products.joined(separator: ", "))",
                        suggestion: nearestName(to: productName, in: names.products))
                    ok = false
                }
            }
            let quantity = row["quantity"].flatMap { Int($0) }
            if quantity == nil || !(1...OrderGeneration.maximumQuantity).contains(quantity!) {
                rowIssue(
                    number, "quantity",
                    "expected a whole number from 1 to \(OrderGeneration.maximumQuantity); found `\(row["quantity"] ?? "")`"
                )
                ok = false
            }
            func time(_ column: String, default value: Double?) -> Double? {
                guard let text = row[column] else { return value }
                switch Quantity.parse(text, as: .duration) {
                case .success(let seconds) where seconds < 0:
                    rowIssue(number, column, "a time of day in the run is at least 0 s; found `\(text)`")
                    ok = false
                    return nil
                case .success(let seconds): return seconds
                case .failure(let error):
                    rowIssue(number, column, error.message, suggestion: error.suggestion)
                    ok = false
                    return nil
                }
            }
            let due = time("due", default: nil)
            let arrival = time("arrival", default: 0)
            if let due, let arrival, due < arrival {
                rowIssue(
                    number, "due",
                    "the order is due (\(Format.duration(due))) before it arrives (\(Format.duration(arrival))); give a due date at or after its arrival"
                )
                ok = false
            }
            let priority = row["priority"].flatMap { Double($0) } ?? 1
            if let text = row["priority"], Double(text) == nil || !priority.isFinite || priority < 0 {
                rowIssue(number, "priority", "expected a number of at least 0 (larger is more urgent); found `\(text)`")
                ok = false
            }
            if let arrival, let horizon, arrival > horizon {
                field.diagnostics.warnings.append(
                    ScenarioIssue(
                        file: file, line: number, column: nil, path: "arrival",
                        message:
                            "order `\(name)` arrives at \(Format.duration(arrival)), after the horizon (\(Format.duration(horizon))); the run will never see it"
                    ))
            }
            guard ok, let quantity, let due, let arrival else { continue }
            orders.append(
                WorkOrder(
                    id: orders.count, name: name, product: product, quantity: quantity, arrival: arrival, due: due,
                    priority: priority, makeUp: makeUp))
        }
        return orders
    }
}

extension Reader {
    /// `mark lot M/L bad` is a recall found during the run: it goes to the traceability
    /// settings (serial granularity if the scenario has none), which quarantine the lot, scope
    /// the recall and hold what must be held.
    func moveLotIncidentsToRecalls(_ settings: inout MESSettings) {
        for index in settings.rules.incidents.indices {
            let incident = settings.rules.incidents[index]
            for case .markLotBad(let material, let lot, _, _) in incident.actions {
                if settings.traceability == nil {
                    settings.traceability = TraceabilitySettings(granularity: .serial, window: 3_600, recalls: [])
                }
                settings.traceability!.recalls.append(
                    LotRecall(material: material, lot: lot, time: incident.time, investigation: 4 * 3_600))
            }
            settings.rules.incidents[index].actions.removeAll {
                if case .markLotBad = $0 { return true }
                return false
            }
        }
    }
}
