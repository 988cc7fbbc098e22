import TaktKernel
import TaktMES
import TaktPlant

extension Reader {
    static let spcReactions = ["adjust", "notify", "hold_station", "hold_units"]
    static let spcRuleSets = ["western-electric", "nelson"]
    static let spcCharts = ["xbar-r", "xbar-s", "individuals", "ewma", "cusum", "p", "np", "c", "u"]
    static let spcChartExamples = [
        "xbar-r(5)", "xbar-s(5)", "individuals", "ewma(5)", "cusum(5)", "p(50)", "np(50)", "c(10)", "u(10)",
    ]

    /// `mes.spc`: one entry per charted station.
    ///
    /// ```yaml
    /// spc:
    ///   - { station: print, chart: xbar-r(5), baseline: 25, rules: western-electric,
    ///       react: [adjust, hold_station(15m), hold_units(30m)] }
    ///   - { station: print, chart: ewma(5), lambda: 0.1, width: 2.7, baseline: { mean: 120um, sigma: 4um } }
    ///   - { station: aoi, chart: p(8h), react: [hold_station(30m)] }
    /// ```
    /// A station has at most one variables chart and one attribute chart.
    func readSPC(_ field: Field, names: Names, stations: [Station]) -> [SPCPlan] {
        guard let list = field.sequence() else { return [] }
        var seen = Set<String>()
        return list.compactMap { item -> SPCPlan? in
            guard
                let entry = item.mapping(
                    allowed: [
                        "station", "chart", "baseline", "rules", "react", "rework_at", "adjust", "lambda", "width", "k",
                        "h",
                    ],
                    required: ["station", "chart"]),
                let station = resolve(entry["station"], in: names.stations, what: "station")
            else { return nil }
            let chart = entry["chart"].flatMap { readChart($0, parameters: entry) }
            let known = stations.indices.contains(station) ? stations[station] : nil
            if let chart, let known {
                if chart.isAttribute, known.inspection == nil {
                    entry["station"]?.fail(
                        "station `\(names.stations[station])` inspects nothing; an attribute chart counts an inspection's rejects, so give it `inspects:`"
                    )
                } else if !chart.isAttribute, known.measurement == nil {
                    entry["station"]?.fail(
                        "station `\(names.stations[station])` measures nothing; give it `measures:` to chart it")
                }
                if !seen.insert("\(station) \(chart.isAttribute)").inserted {
                    entry["station"]?.fail(
                        "station `\(names.stations[station])` has two \(chart.isAttribute ? "attribute" : "variables") charts; keep one"
                    )
                }
            }
            let unit = known?.measurement?.unit
            var standard: SPCStandard?
            var baseline: Int? = 25
            if let field = entry["baseline"] {
                if case .mapping = field.node {
                    baseline = 0
                    standard = chart.flatMap { readStandard(field, chart: $0, unit: unit) }
                } else {
                    baseline = field.int(in: 2...100_000, what: "a number of baseline subgroups, or the process values")
                }
            }
            var rules = entry["rules"].map(readRules) ?? ControlRule.westernElectric
            if let chart, chart.isTimeWeighted {
                if let field = entry["rules"] {
                    field.fail(
                        "an EWMA or CUSUM chart has no run rules: its points are not independent (Montgomery §9.1); remove `rules`"
                    )
                }
                rules = []
            } else if let chart, chart.isAttribute, entry["rules"] == nil {
                rules = [.beyondThreeSigma]
            }
            let reactions = entry["react"].map(readReactions) ?? [.notify]
            if let chart, chart.isAttribute, let reactions,
                let bad = reactions.first(where: { $0 == .adjust || $0.holdsUnits })
            {
                entry["react"]?.fail(
                    "an attribute chart watches an inspection, which has nothing to adjust and no measurement to review; `\(bad == .adjust ? "adjust" : "hold_units")` is not possible here",
                    suggestion: "notify or hold_station(duration)")
            }
            var rework: Int?
            if let field = entry["rework_at"] {
                rework = resolve(field, in: names.stations, what: "station")
                if rework != nil, let reactions, !reactions.contains(where: \.holdsUnits) {
                    field.fail("rework_at is where held units go; it needs the reaction hold_units(review time)")
                }
            }
            var error: Distribution?
            if let adjust = entry["adjust"], let parts = adjust.mapping(allowed: ["error"], required: ["error"]) {
                error = parts["error"]?.distribution(.plain(unit: unit), directory: directory)
                if reactions.map({ !$0.contains(.adjust) }) ?? false {
                    adjust.fail(
                        "`adjust` says how well the process is adjusted; it needs the reaction `adjust` in `react`")
                }
            }
            guard let chart, let baseline, let rules, let reactions else { return nil }
            var plan = SPCPlan(
                station: station, chart: chart, baselineSubgroups: baseline, rules: rules, reactions: reactions,
                reworkStation: rework)
            plan.adjustmentError = error
            plan.standard = standard
            return plan
        }
    }

    /// `baseline: { mean: 100um, sigma: 2um }` for a variables chart, `{ p: 0.02 }` for p and
    /// np charts, `{ c: 1.5 }` for a c chart, `{ u: 0.3 }` for a u chart.
    func readStandard(_ field: Field, chart: ControlChartKind, unit: String?) -> SPCStandard? {
        let key: String? =
            switch chart {
            case .p, .np: "p"
            case .c: "c"
            case .u: "u"
            default: nil
            }
        guard let key else {
            guard let parts = field.mapping(allowed: ["mean", "sigma"], required: ["mean", "sigma"]),
                let mean = parts["mean"]?.quantity(.plain(unit: unit)),
                let sigma = parts["sigma"]?.quantity(.plain(unit: unit), above: 0)
            else { return nil }
            return .process(mean: mean, sigma: sigma)
        }
        guard let parts = field.mapping(allowed: [key], required: [key]), let value = parts[key] else { return nil }
        if key == "p" {
            guard let p = value.probability() else { return nil }
            guard p > 0, p < 1 else {
                value.fail("a p or np chart needs a fraction nonconforming strictly between 0 and 1; found \(p)")
                return nil
            }
            return .attribute(centre: p)
        }
        guard let centre = value.quantity(.plain(unit: nil), above: 0) else { return nil }
        return .attribute(centre: centre)
    }

    /// `xbar-r(5)`, `xbar-s(8)`, `individuals`, `ewma(5)` / `ewma` (with `lambda`, `width`),
    /// `cusum(5)` / `cusum` (with `k`, `h`), `p(50)` / `p(8h)`, `np(50)`, `c(10)`, `u(10)` / `u(1h)`.
    func readChart(_ field: Field, parameters entry: [String: Field]) -> ControlChartKind? {
        guard let text = field.string() else { return nil }
        var name = text
        var inner: String?
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            name = String(text[..<open])
            inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        guard Self.spcCharts.contains(name) else {
            field.fail(
                "unknown chart `\(text)`; expected xbar-r(n), xbar-s(n), individuals, ewma(n), cusum(n), p(n or period), np(n), c(n) or u(n or period)",
                suggestion: nearestName(to: text, in: Self.spcChartExamples))
            return nil
        }
        for key in ["lambda", "width"] where name != "ewma" {
            entry[key]?.fail("`\(key)` belongs to an EWMA chart; this one is `\(text)`")
        }
        for key in ["k", "h"] where name != "cusum" {
            entry[key]?.fail("`\(key)` belongs to a CUSUM chart; this one is `\(text)`")
        }
        func subgroupSize(_ range: ClosedRange<Int>) -> Int? {
            guard let inner else {
                if range.lowerBound == 1 { return 1 }
                field.fail("`\(name)` needs a subgroup size, e.g. \(name)(5)")
                return nil
            }
            guard let n = Int(inner), range.contains(n) else {
                field.fail(
                    "the subgroup size must be a whole number from \(range.lowerBound) to \(range.upperBound); found `\(inner)`"
                )
                return nil
            }
            return n
        }
        func units() -> Int? {
            guard let inner, let n = Int(inner), (1...1_000_000).contains(n) else {
                field.fail(
                    "`\(name)` needs the units per subgroup, a whole number from 1 to 1000000, e.g. \(name)(50); found `\(inner ?? "nothing")`"
                )
                return nil
            }
            return n
        }
        func attributeSubgroup() -> AttributeSubgroup? {
            if let inner, Int(inner) == nil {
                switch Quantity.parse(inner, as: .duration) {
                case .success(let seconds) where seconds > 0: return .period(seconds: seconds)
                default:
                    field.fail(
                        "`\(name)` needs units per subgroup (\(name)(50)) or a period with a unit (\(name)(8h)); found `\(inner)`"
                    )
                    return nil
                }
            }
            return units().map { .units($0) }
        }
        func parameter(_ key: String, _ fallback: Double, _ range: ClosedRange<Double>, _ what: String) -> Double? {
            guard let field = entry[key] else { return fallback }
            guard let value = field.quantity(.plain(unit: nil)) else { return nil }
            guard range.contains(value) else {
                field.fail("\(what) must lie from \(range.lowerBound) to \(range.upperBound); found \(value)")
                return nil
            }
            return value
        }
        switch name {
        case "individuals":
            if inner != nil { field.fail("an individuals chart plots single values; write `individuals`") }
            return .individuals
        case "xbar-r": return subgroupSize(2...25).map { .xBarR(subgroupSize: $0) }
        case "xbar-s": return subgroupSize(2...25).map { .xBarS(subgroupSize: $0) }
        case "ewma":
            guard let n = subgroupSize(1...25), let lambda = parameter("lambda", 0.2, 0.01...1, "λ (lambda)"),
                let width = parameter("width", 3, 0.5...6, "the limit width L")
            else { return nil }
            return .ewma(subgroupSize: n, lambda: lambda, width: width)
        case "cusum":
            guard let n = subgroupSize(1...25), let k = parameter("k", 0.5, 0...5, "the reference value k"),
                let h = parameter("h", 5, 0.1...20, "the decision interval h")
            else { return nil }
            return .cusum(subgroupSize: n, k: k, h: h)
        case "p": return attributeSubgroup().map { .p($0) }
        case "u": return attributeSubgroup().map { .u($0) }
        case "np": return units().map { .np(units: $0) }
        default: return units().map { .c(units: $0) }
        }
    }

    /// `western-electric`, `nelson`, or a list of rule names (`nelson-1` … `nelson-8`, `we-4`).
    func readRules(_ field: Field) -> [ControlRule]? {
        if case .scalar = field.node, let text = field.string() {
            switch text {
            case "western-electric": return ControlRule.westernElectric
            case "nelson": return ControlRule.nelson
            default:
                if let rule = ControlRule(rawValue: text) { return [rule] }
                field.fail(
                    "unknown rules `\(text)`; expected western-electric, nelson or a list of rules",
                    suggestion: nearestName(to: text, in: Self.spcRuleSets + ControlRule.allCases.map(\.rawValue)))
                return nil
            }
        }
        guard let list = field.sequence() else { return nil }
        var rules: [ControlRule] = []
        for item in list {
            guard let text = item.string() else { continue }
            if let rule = ControlRule(rawValue: text) {
                rules.append(rule)
            } else {
                item.fail(
                    "unknown rule `\(text)`; expected nelson-1 … nelson-8 or we-4",
                    suggestion: nearestName(to: text, in: ControlRule.allCases.map(\.rawValue)))
            }
        }
        return rules.count == list.count ? rules : nil
    }

    /// A list of `adjust`, `notify` and `hold_station(15m)`.
    func readReactions(_ field: Field) -> [SPCReaction]? {
        guard let list = field.sequence() else { return nil }
        var reactions: [SPCReaction] = []
        for item in list {
            guard let text = item.string() else { continue }
            switch text {
            case "adjust": reactions.append(.adjust)
            case "notify": reactions.append(.notify)
            default:
                if let name = ["hold_station", "hold_units"].first(where: { text.hasPrefix("\($0)(") }),
                    text.hasSuffix(")")
                {
                    let inner = String(text.dropFirst(name.count + 1).dropLast())
                    switch Quantity.parse(inner, as: .duration) {
                    case .success(let seconds) where seconds > 0:
                        reactions.append(
                            name == "hold_station" ? .holdStation(seconds: seconds) : .holdUnits(reviewSeconds: seconds)
                        )
                    default:
                        item.fail("\(name) needs a duration with a unit, e.g. \(name)(15m); found `\(inner)`")
                    }
                } else {
                    item.fail(
                        "unknown reaction `\(text)`; expected adjust, notify, hold_station(duration) or hold_units(review time)",
                        suggestion: nearestName(to: text, in: Self.spcReactions))
                }
            }
        }
        return reactions.count == list.count ? reactions : nil
    }
}
