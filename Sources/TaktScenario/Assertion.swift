import TaktKernel
import TaktMES

/// One line of a scenario's `assert:` list: a comparison between end-of-run KPIs (or a KPI
/// and a constant), judged on the confidence interval over replications by `takt check`.
public struct Assertion: Sendable {
    /// The text as written, and where (for messages and JUnit).
    public var text: String
    public var line: Int?
    /// The two sides, compiled; their fact slots name KPIs in ``kpis``.
    public var left: RuleProgram
    public var right: RuleProgram
    /// The comparison: `<`, `<=`, `>`, `>=`, `==` or `!=`.
    public var comparison: String
    /// Per fact slot: the KPI it reads and the factor from the KPI's unit to the rule's
    /// (3,600 for a KPI in hours, which the rule language holds in seconds).
    public var kpis: [(name: String, scale: Double)]
}

/// The names an assertion may use: KPIs of a run's results.
///
/// `throughput`, `oee` … are the line's KPIs; `oee(reflow)` is `oee[reflow]`; `mean(x)` is
/// `x` (every KPI is already a mean per replication); `order.lead_time` is `order_lead_time`;
/// `count(units shipped with open hold)` and the other phrases below name counts; and
/// `kpi("name")` reaches any KPI by its name in results.json.
struct AssertionVocabulary: RuleVocabulary {
    /// What `oee(…)`, `busy(…)` … may name: stations, products, operator pools, granularities.
    let indices: [String]
    /// What `pages(…)` and `rule_firings(…)` may name: the roles paged and the rules.
    var roles: [String] = []
    var rules: [String] = []
    var kpis: [(name: String, scale: Double)] = []

    static let lineKPIs = [
        "throughput", "shipped", "work_in_process", "lead_time", "yield", "scrap_rate", "escape_rate",
        "reworks_per_unit", "energy_per_good_unit", "makespan", "lost_arrivals", "oee", "availability",
        "effectiveness", "quality_ratio", "teep", "equipment_oee", "loss_breakdowns", "loss_setups_and_adjustments",
        "loss_mes_holds", "loss_unplanned_maintenance", "loss_waiting_for_operator", "loss_starved", "loss_blocked",
        "loss_no_work_released", "loss_small_stops", "loss_reduced_speed", "loss_startup_rejects",
        "loss_production_rejects",
        "orders_completed", "order_lead_time", "order_lateness", "order_tardiness", "on_time_delivery", "open_orders",
        "recall_affected", "recall_held", "recall_scrapped", "shipped_with_open_hold", "maintenance_orders",
    ]
    static let indexedKPIs = [
        "busy", "setup", "idle", "blocked", "down", "planned_stop", "buffer", "energy", "oee", "availability",
        "effectiveness", "quality_ratio", "orders_completed", "order_lead_time", "order_lateness", "order_tardiness",
        "on_time_delivery", "work_in_process", "spc_signals", "out_of_spec", "cp", "cpk", "recall_units",
        "recall_shipped", "operator_utilisation", "maintenance_orders", "pages", "rule_firings",
        "technical_efficiency", "mtbf", "mttr", "active", "waiting_for_work", "loss_breakdowns",
        "loss_setups_and_adjustments", "loss_mes_holds",
        "loss_unplanned_maintenance", "loss_waiting_for_operator", "loss_starved", "loss_blocked",
        "loss_no_work_released", "loss_small_stops", "loss_reduced_speed", "loss_startup_rejects",
        "loss_production_rejects",
    ]
    static let aliases = [
        "order.lead_time": "order_lead_time", "order.lateness": "order_lateness", "order.tardiness": "order_tardiness",
        "order.on_time": "on_time_delivery", "wip": "work_in_process", "output_oee": "oee",
    ]
    static let phrases = [
        "units shipped with open hold": "shipped_with_open_hold", "units shipped": "shipped",
        "orders completed": "orders_completed", "orders open": "open_orders",
        "maintenance orders": "maintenance_orders",
        "units recalled": "recall_held", "units scrapped by recall": "recall_scrapped",
    ]
    /// KPIs in hours or seconds (durations in the rule language).
    static func scale(of name: String) -> (Double, RuleType) {
        let base = name.split(separator: "[").first.map(String.init) ?? name
        switch base {
        case "lead_time", "order_lead_time", "order_lateness", "order_tardiness": return (3_600, .duration)
        case "makespan": return (1, .duration)
        default: return (1, .number)
        }
    }

    mutating func slot(_ name: String) -> (Int32, RuleType) {
        let (scale, type) = Self.scale(of: name)
        if let index = kpis.firstIndex(where: { $0.name == name }) { return (Int32(index), type) }
        kpis.append((name, scale))
        return (Int32(kpis.count - 1), type)
    }

    mutating func fact(_ syntax: RuleSyntax) throws(RuleError) -> (slot: Int32, type: RuleType) {
        switch syntax {
        case .path(let path, let span):
            let name = Self.aliases[path.joined(separator: ".")] ?? path.joined(separator: ".")
            guard Self.lineKPIs.contains(name) else {
                throw RuleError(
                    "unknown KPI `\(name)`", at: span,
                    suggestion: nearestName(to: name, in: Self.lineKPIs + Array(Self.aliases.keys)))
            }
            return slot(name)
        case .call(let path, let arguments, let span):
            let function = path.joined(separator: ".")
            guard arguments.count == 1, arguments[0].label == nil else {
                throw RuleError("`\(function)` takes one argument", at: span)
            }
            let argument = arguments[0].value
            switch function {
            case "mean":
                return try fact(argument)
            case "count":
                guard case .phrase(let words, let phraseSpan) = argument else {
                    throw RuleError(
                        "`count` takes what to count, as in `count(units shipped with open hold)`", at: span)
                }
                let phrase = words.joined(separator: " ")
                guard let name = Self.phrases[phrase] else {
                    throw RuleError(
                        "unknown count `\(phrase)`; expected \(Self.phrases.keys.sorted().joined(separator: ", "))",
                        at: phraseSpan, suggestion: nearestName(to: phrase, in: Array(Self.phrases.keys)))
                }
                return slot(name)
            case "kpi":
                guard case .text(let name, _) = argument else {
                    throw RuleError("`kpi` takes a KPI's name in quotes, as in `kpi(\"oee[reflow]\")`", at: span)
                }
                return slot(name)
            default:
                guard Self.indexedKPIs.contains(function) else {
                    throw RuleError(
                        "unknown KPI `\(function)`", at: span,
                        suggestion: nearestName(to: function, in: Self.indexedKPIs + ["mean", "count", "kpi"]))
                }
                guard case .path(let index, let indexSpan) = argument, index.count == 1 else {
                    throw RuleError("`\(function)` takes a name, as in `\(function)(reflow)`", at: argument.span)
                }
                let name = index[0]
                let (known, problem) =
                    switch function {
                    case "pages": (roles, "no rule or incident pages `\(name)`")
                    case "rule_firings": (rules, "unknown rule `\(name)`")
                    default: (indices, "unknown name `\(name)`")
                    }
                if !known.contains(name) {
                    throw RuleError(problem, at: indexSpan, suggestion: nearestName(to: name, in: known))
                }
                return slot("\(function)[\(name)]")
            }
        default:
            throw RuleError("expected a KPI", at: syntax.span)
        }
    }
}

extension Reader {
    /// The top-level `assert:` list.
    func readAssertions(_ field: Field, names: Names, rules: RuleSettings?) -> [Assertion] {
        (field.sequence() ?? []).compactMap { item in
            guard let text = item.scalarText() else { return nil }
            do throws(RuleError) {
                return try Self.assertion(text, line: item.node.mark?.line, names: names, rules: rules)
            } catch {
                item.fail(error, in: text)
                return nil
            }
        }
    }

    static func assertion(_ text: String, line: Int?, names: Names, rules: RuleSettings?) throws(RuleError)
        -> Assertion
    {
        let syntax = try RuleParser.expression(text)
        guard case .binary(let comparison, let left, let right, _) = syntax,
            ["<", "<=", ">", ">=", "==", "!="].contains(comparison)
        else {
            throw RuleError(
                "an assertion is one comparison, such as `oee(reflow) >= 0.70`; write two assertions for two",
                at: syntax.span)
        }
        var vocabulary = AssertionVocabulary(
            indices: names.stations + names.products + names.operatorPools + ["serial", "lot", "window"],
            roles: rules?.pageRoles ?? [], rules: rules?.rules.map(\.name) ?? [])
        let leftProgram = try RuleCompiler.compile(left, vocabulary: &vocabulary)
        let rightProgram = try RuleCompiler.compile(right, vocabulary: &vocabulary)
        // Type-check the comparison as a whole (durations against numbers, conditions).
        var ops: [RuleOp] = []
        _ = try RuleCompiler.combine(
            comparison, leftProgram.type, rightProgram.type, left: left, right: right, ops: &ops)
        return Assertion(
            text: text, line: line, left: leftProgram, right: rightProgram, comparison: comparison,
            kpis: vocabulary.kpis)
    }
}
