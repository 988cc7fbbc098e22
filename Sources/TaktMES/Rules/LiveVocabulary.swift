import TaktKernel

/// A live fact an MES rule may read, resolved to indices when the scenario is read.
public enum LiveFact: Sendable, Equatable {
    /// Units in the plant now (`wip(line)`).
    case workInProcess
    /// Share of units finished at an inspection station in the last `window` seconds in which
    /// it found a defect (`aoi.fail_rate(last: 1h)`).
    case failRate(station: Int32, window: Double)
    /// Units finished at a station in the last `window` seconds (`reflow.units(last: 1h)`).
    case unitsFinished(station: Int32, window: Double)
    /// OEE of a station (−1: the line) over the last `window` seconds, or since the warm-up
    /// when `window` is 0 (`oee(reflow, last: 8h)`).
    case oee(station: Int32, window: Double)
    /// True at the moment the station's control chart signals (`spc.signal(print)`).
    case spcSignal(station: Int32)
    /// Open orders past their due date (`late_orders`), and whether there is one (`order.late`).
    case lateOrders
    case anyOrderLate
    /// Machines of a station that are down now (`down(reflow)`).
    case machinesDown(station: Int32)
    /// The last value measured at a station (`print.measurement`).
    case measurement(station: Int32)
    /// Units a station finished since its last maintenance (`reflow.units_since_maintenance`).
    case unitsSinceMaintenance(station: Int32)
    /// A variable of the scenario's `variables:`.
    case variable(Int32)
}

/// What a rule (or a scripted incident) tells the MES to do.
public enum RuleAction: Sendable, Equatable {
    /// Stop a station's machines after their current unit, until released or, when
    /// `duration` is above 0, for that long.
    case holdStation(Int32, duration: Double)
    case releaseStation(Int32)
    /// Quarantine lot `lot` of `material` (0: the lot open now).
    case holdLot(material: Int32, lot: Int32)
    /// Hold unit `serial` (0: the unit whose event made the condition true).
    case holdUnit(serial: Int)
    /// Lift the quarantine of lot `lot` of `material` before its turn comes.
    case releaseLot(material: Int32, lot: Int32)
    /// Release unit `serial`'s hold (0: every unit the rules and incidents put on hold).
    case releaseUnit(serial: Int)
    /// Dispatch by another rule from now on.
    case dispatch(DispatchRuleKind)
    /// Planned maintenance of every machine of a station, after its current unit.
    case maintain(station: Int32, duration: Double)
    /// Reset a station's measurement drift.
    case adjust(station: Int32)
    /// Call a person in a role (recorded; counted per role).
    case page(role: String)
    /// Give a variable the value of an expression.
    case set(variable: Int32, value: RuleProgram)
    /// Change the CONWIP cap.
    case setWIPCap(Int)
    /// Run a station at a share of its speed (its cycle times divided by the share).
    case setSpeed(station: Int32, share: Double)
    /// Break a station's machines down now for a repair of `repair` seconds (incidents only).
    case failStation(Int32, repair: Double)
    /// Break one machine down now for a repair of `repair` seconds (incidents only).
    case failMachine(Int32, repair: Double)
    /// End one machine's repair now, if a technician is at it (incidents only).
    case repairMachine(Int32)
    /// Release by another policy from now on: push, or CONWIP with a cap (from push or CONWIP).
    case setRelease(ReleasePolicy)
    /// A component lot is found bad (incidents only): a recall, as `traceability.recall`.
    case markLotBad(material: Int32, lot: Int32, probability: Double = 0, defect: Int32 = -1)
    /// Hold a work order of the order book (by position): none of its units not yet released
    /// is released until `release order`; a running order goes to held.
    case holdOrder(Int32)
    /// Lift a work order's hold: it releases its remaining units again.
    case releaseOrder(Int32)
    /// Abort a work order: its remaining units are never released; those in the plant finish.
    case abortOrder(Int32)
    /// A new work order arrives (incidents only).
    case addOrder(product: Int32, quantity: Int, dueIn: Double, priority: Double)
}

/// A rule of the scenario's `mes.rules`: when its condition becomes true, its actions run.
public struct MESRule: Sendable {
    /// Its name, for the audit trail.
    public var name: String
    /// The condition and the actions.
    public var condition: RuleProgram
    public var actions: [RuleAction]
    /// The condition as written, for the audit trail.
    public var text: String
    /// Who answers for the rule (`owner:` in the scenario), named in its audit entries.
    public var owner: String?
    /// The facts of the condition as written, with their slots: the audit trail gives each
    /// one's value when the rule fires.
    public var factTexts: [(slot: Int32, text: String)] = []

    /// A rule called `name`.
    public init(
        name: String, condition: RuleProgram, actions: [RuleAction], text: String, owner: String? = nil,
        factTexts: [(slot: Int32, text: String)] = []
    ) {
        self.name = name
        self.condition = condition
        self.actions = actions
        self.text = text
        self.owner = owner
        self.factTexts = factTexts
    }

    /// The actor of its audit entries: `rule NAME`, or `rule NAME (owner OWNER)`.
    public var actor: String { owner.map { "rule \(name) (owner \($0))" } ?? "rule \(name)" }

    /// Why it fired: the condition and the value of each of its facts then, e.g.
    /// `aoi.fail_rate(last: 1h) > 0.05, with aoi.fail_rate(last: 1h) = 0.06`.
    public func reason(factValues values: [Double]) -> String {
        guard !factTexts.isEmpty else { return text }
        let readings = factTexts.map { "\($0.text) = \(Self.shown(values[Int($0.slot)]))" }
        return text + ", with " + readings.joined(separator: ", ")
    }

    /// A fact's value for people: whole numbers as such, others to 4 decimals.
    static func shown(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value))" }
        return "\((value * 10_000).rounded() / 10_000)"
    }
}

/// A scripted incident: at a time, actions run (for training and what-if runs).
public struct Incident: Sendable {
    /// When, seconds from the start of the run (warm-up included), and what happens.
    public var time: Double
    public var actions: [RuleAction]
    /// The text as written, for the audit trail.
    public var text: String
    /// Who it is audited as: `incident`, or `exercise` for a step of a training exercise.
    public var actor: String

    /// An incident at `time`.
    public init(time: Double, actions: [RuleAction], text: String, actor: String = "incident") {
        self.time = time
        self.actions = actions
        self.text = text
        self.actor = actor
    }
}

/// Everything the MES's rule engine is given: facts, rules, variables and incidents.
public struct RuleSettings: Sendable {
    /// The facts the rules read, by slot.
    public var facts: [LiveFact] = []
    public var rules: [MESRule] = []
    /// Variable names and starting values.
    public var variables: [(name: String, value: Double)] = []
    public var incidents: [Incident] = []

    /// No rules.
    public init() {}

    /// Whether there is anything to run.
    public var isEmpty: Bool { rules.isEmpty && incidents.isEmpty }

    /// The dispatching rules named in actions (the MES must be able to switch to them).
    public var dispatchRules: [DispatchRuleKind] {
        (rules.flatMap(\.actions) + incidents.flatMap(\.actions)).compactMap {
            if case .dispatch(let kind) = $0 { return kind }
            return nil
        }
    }

    /// The roles the rules and incidents page, in order of first mention (one `pages[ROLE]`
    /// KPI each).
    public var pageRoles: [String] {
        var roles: [String] = []
        for case .page(let role) in rules.flatMap(\.actions) + incidents.flatMap(\.actions) where !roles.contains(role)
        {
            roles.append(role)
        }
        return roles
    }
}

/// The names a rule may use: stations, materials, products, variables. Resolves facts for
/// the compiler and binds actions.
public struct LiveVocabulary: RuleVocabulary {
    public let stations: [String]
    public let materials: [String]
    public let products: [String]
    public let variables: [String]
    /// The order book's order names (`hold order WO-17`), by book position.
    public let orders: [String]
    /// The defect types (`mark lot chip/3 bad with p 0.3 defect void`).
    public let defects: [String]
    /// The machines, in machine order (`fail machine place-2 for 1h`), named as the
    /// equipment hierarchy names them: `<station>-1`, `<station>-2`, …
    public let machines: [String]
    /// The facts resolved so far, by slot.
    public private(set) var facts: [LiveFact] = []

    /// A vocabulary over the scenario's names.
    public init(
        stations: [String], materials: [String], products: [String], variables: [String], orders: [String] = [],
        defects: [String] = [], machines: [String] = []
    ) {
        self.defects = defects
        self.machines = machines
        self.stations = stations
        self.materials = materials
        self.products = products
        self.variables = variables
        self.orders = orders
    }

    /// The largest count an action may name (a WIP cap, an order's quantity).
    public static let maximumCount = 1_000_000

    /// How long a `last:` window may be.
    public static let windowRange: ClosedRange<Double> = 60...(365 * 86_400)

    static let functions = [
        "wip", "fail_rate", "units", "oee", "spc.signal", "late_orders", "order.late", "down", "measurement",
        "units_since_maintenance",
    ]

    mutating func slot(_ fact: LiveFact) -> Int32 {
        if let index = facts.firstIndex(of: fact) { return Int32(index) }
        facts.append(fact)
        return Int32(facts.count - 1)
    }

    func station(_ syntax: RuleSyntax, allowLine: Bool = false) throws(RuleError) -> Int32 {
        guard case .path(let path, let span) = syntax, path.count == 1 else {
            throw RuleError("expected a station name; found an expression", at: syntax.span)
        }
        if allowLine, path[0] == "line" { return -1 }
        guard let index = stations.firstIndex(of: path[0]) else {
            throw RuleError(
                "unknown station `\(path[0])`", at: span,
                suggestion: nearestName(to: path[0], in: stations + (allowLine ? ["line"] : [])))
        }
        return Int32(index)
    }

    /// The window of `last: 1h`, 0 when absent and allowed.
    func window(_ arguments: [RuleArgument], required: Bool, _ name: String, at span: RuleSpan) throws(RuleError)
        -> Double
    {
        guard let argument = arguments.first(where: { $0.label != nil }) else {
            if required { throw RuleError("`\(name)` needs a window, e.g. `last: 1h`", at: span) }
            return 0
        }
        guard argument.label == "last" else {
            throw RuleError(
                "unknown argument `\(argument.label!)`; expected `last`", at: argument.value.span,
                suggestion: nearestName(to: argument.label!, in: ["last"]))
        }
        guard case .number(let value, let unit, let valueSpan) = argument.value,
            let factor = unit.flatMap(RuleCompiler.seconds(per:)), value > 0
        else {
            throw RuleError("`last:` needs a positive duration such as `1h`", at: argument.value.span)
        }
        guard (Self.windowRange).contains(value * factor) else {
            throw RuleError(
                "a window is from 1 min to 365 d: the MES samples it 60 times per window", at: valueSpan)
        }
        return value * factor
    }

    public mutating func fact(_ syntax: RuleSyntax) throws(RuleError) -> (slot: Int32, type: RuleType) {
        switch syntax {
        case .path(let path, let span):
            let joined = path.joined(separator: ".")
            if joined == "order.late" { return (slot(.anyOrderLate), .boolean) }
            if joined == "late_orders" || joined == "orders.late" { return (slot(.lateOrders), .number) }
            if joined == "wip" { return (slot(.workInProcess), .number) }
            if path.count == 1, let v = variables.firstIndex(of: path[0]) {
                return (slot(.variable(Int32(v))), .number)
            }
            if path.count == 2, let s = stations.firstIndex(of: path[0]) {
                switch path[1] {
                case "measurement": return (slot(.measurement(station: Int32(s))), .number)
                case "units_since_maintenance": return (slot(.unitsSinceMaintenance(station: Int32(s))), .number)
                case "down": return (slot(.machinesDown(station: Int32(s))), .number)
                default:
                    throw RuleError(
                        "unknown fact `\(path[1])` of station `\(path[0])`", at: span,
                        suggestion: nearestName(to: path[1], in: ["measurement", "units_since_maintenance", "down"]))
                }
            }
            if path.count == 2, stations.firstIndex(of: path[0]) == nil, ["fail_rate", "units"].contains(path[1]) {
                throw RuleError(
                    "unknown station `\(path[0])`", at: span, suggestion: nearestName(to: path[0], in: stations))
            }
            throw RuleError(
                "unknown name `\(joined)`; expected a fact such as wip(line), order.late, or a variable", at: span,
                suggestion: nearestName(to: joined, in: Self.functions + variables))
        case .call(let path, let arguments, let span):
            var name = path.joined(separator: ".")
            var positional = arguments.filter { $0.label == nil }.map(\.value)
            // `aoi.fail_rate(…)` is `fail_rate(aoi, …)`.
            if path.count == 2, path[0] != "spc", path[0] != "order" {
                positional.insert(.path([path[0]], span), at: 0)
                name = path[1]
            }
            func one(_ what: String) throws(RuleError) -> RuleSyntax {
                guard positional.count == 1 else {
                    throw RuleError(
                        "`\(name)` takes \(what); found \(positional.count) argument\(positional.count == 1 ? "" : "s")",
                        at: span)
                }
                return positional[0]
            }
            switch name {
            case "wip":
                if !positional.isEmpty {
                    guard case .path(["line"], _) = try one("`line`") else {
                        throw RuleError("`wip` takes `line` (units in the plant)", at: positional[0].span)
                    }
                }
                return (slot(.workInProcess), .number)
            case "fail_rate":
                let station = try station(try one("a station"))
                return (
                    slot(.failRate(station: station, window: try window(arguments, required: true, name, at: span))),
                    .number
                )
            case "units":
                let station = try station(try one("a station"))
                return (
                    slot(
                        .unitsFinished(station: station, window: try window(arguments, required: true, name, at: span))),
                    .number
                )
            case "oee":
                let station = try station(try one("a station or `line`"), allowLine: true)
                return (
                    slot(.oee(station: station, window: try window(arguments, required: false, name, at: span))),
                    .number
                )
            case "spc.signal":
                return (slot(.spcSignal(station: try station(try one("a station")))), .boolean)
            case "down":
                return (slot(.machinesDown(station: try station(try one("a station")))), .number)
            case "measurement":
                return (slot(.measurement(station: try station(try one("a station")))), .number)
            default:
                throw RuleError(
                    "unknown function `\(name)`", at: span, suggestion: nearestName(to: name, in: Self.functions))
            }
        case .text(_, let span):
            throw RuleError("a text cannot be a value here", at: span)
        case .phrase(let words, let span):
            throw RuleError("unexpected words `\(words.joined(separator: " "))`", at: span)
        default:
            throw RuleError("expected a fact", at: syntax.span)
        }
    }
}
