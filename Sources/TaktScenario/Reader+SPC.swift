import TaktKernel
import TaktMES
import TaktPlant

extension Reader {
    static let spcReactions = ["adjust", "notify", "hold_station", "hold_units"]
    static let spcRuleSets = ["western-electric", "nelson"]

    /// `mes.spc`: one entry per charted station.
    ///
    /// ```yaml
    /// spc:
    ///   - { station: print, chart: xbar-r(5), baseline: 25, rules: western-electric,
    ///       react: [adjust, hold_station(15m), hold_units(30m)] }
    /// ```
    func readSPC(_ field: Field, names: Names, stations: [Station]) -> [SPCPlan] {
        guard let list = field.sequence() else { return [] }
        var seen = Set<Int>()
        return list.compactMap { item -> SPCPlan? in
            guard
                let entry = item.mapping(
                    allowed: ["station", "chart", "baseline", "rules", "react", "rework_at", "adjust"],
                    required: ["station", "chart"]),
                let station = resolve(entry["station"], in: names.stations, what: "station")
            else { return nil }
            if stations.indices.contains(station), stations[station].measurement == nil {
                entry["station"]?.fail(
                    "station `\(names.stations[station])` measures nothing; give it `measures:` to chart it")
            }
            if !seen.insert(station).inserted {
                entry["station"]?.fail("station `\(names.stations[station])` is charted twice")
            }
            let chart = entry["chart"].flatMap(readChart)
            let baseline =
                entry["baseline"].map { $0.int(in: 2...100_000, what: "a number of baseline subgroups") } ?? 25
            let rules = entry["rules"].map(readRules) ?? ControlRule.westernElectric
            let reactions = entry["react"].map(readReactions) ?? [.notify]
            var rework: Int?
            if let field = entry["rework_at"] {
                rework = resolve(field, in: names.stations, what: "station")
                let holdsUnits = reactions?.contains { if case .holdUnits = $0 { true } else { false } } ?? false
                if rework != nil, reactions != nil, !holdsUnits {
                    field.fail("rework_at is where held units go; it needs the reaction hold_units(review time)")
                }
            }
            var error: Distribution?
            if let adjust = entry["adjust"], let parts = adjust.mapping(allowed: ["error"], required: ["error"]) {
                let unit = stations.indices.contains(station) ? stations[station].measurement?.unit : nil
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
            return plan
        }
    }

    /// `xbar-r(5)`, `xbar-s(8)` or `individuals`.
    func readChart(_ field: Field) -> ControlChartKind? {
        guard let text = field.string() else { return nil }
        if text == "individuals" { return .individuals }
        for (prefix, make) in [
            ("xbar-r(", ControlChartKind.xBarR(subgroupSize:)), ("xbar-s(", ControlChartKind.xBarS(subgroupSize:)),
        ] where text.hasPrefix(prefix) && text.hasSuffix(")") {
            let inner = text.dropFirst(prefix.count).dropLast()
            guard let n = Int(inner), (2...25).contains(n) else {
                field.fail("the subgroup size must be a whole number from 2 to 25; found `\(inner)`")
                return nil
            }
            return make(n)
        }
        field.fail(
            "unknown chart `\(text)`; expected xbar-r(n), xbar-s(n) or individuals",
            suggestion: nearestName(to: text, in: ["xbar-r(5)", "xbar-s(5)", "individuals"]))
        return nil
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
