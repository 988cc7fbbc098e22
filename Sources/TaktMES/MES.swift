import TaktKernel
import TaktPlant

/// The embedded MES: it receives work orders, releases their units by its policy, dispatches
/// by its rule, tracks every order and unit, and keeps OEE — all through the plant's
/// observations and commands, as a real MES sits over a real line.
///
/// Generic over its rule so a dispatching decision is a direct, specialised call; everything
/// else is in the non-generic ``MESCore``.
public struct MES<Rule: DispatchRule>: OEEKeeping {
    /// The rule-independent part: orders, release, tracking, OEE.
    public var core: MESCore
    @usableFromInline let rule: Rule

    /// An MES for `layout`, drawing its own random streams from (seed, replication).
    public init(
        layout: PlantLayout, settings: MESSettings, rule: Rule, idealCycle: [Double], seed: UInt64, replication: Int
    ) throws(DistributionError) {
        core = try MESCore(
            layout: layout, settings: settings, idealCycle: idealCycle, seed: seed, replication: replication)
        self.rule = rule
        core.nameDispatchRules(scenarioRule: rule.name)
    }

    /// The order records.
    public var book: OrderBook { core.book }
    /// The OEE accounts.
    public var oee: OEECalculator {
        get { core.oee }
        set { core.oee = newValue }
    }
    /// Units in the plant now, and the most there ever were.
    public var workInProcess: Int { core.workInProcess }
    public var maximumWorkInProcess: Int { core.maximumWorkInProcess }
    /// Per product: kanban cards in use.
    public var cardsInUse: [Int] { core.cardsInUse }
    /// Every release decision: (time, order id).
    public var releases: [(time: SimTime, order: Int)] { core.releases }
    /// Every operation finished so far, when the settings ask for them.
    public var operations: [OperationRecord] { core.operations }
    /// SPC per charted station: chart, points, signals.
    public var spc: [StationSPC] { core.spc }
    /// The as-built records, when the MES traces.
    public var genealogy: Genealogy? { core.genealogy }

    public mutating func drainAudit(into entries: inout [AuditEntry]) { core.drainAudit(into: &entries) }

    /// Queues actions from outside the run (a trainer's command), audited with `actor` and
    /// `reason`; they are carried out when the timer ``MESCore/liveCommandTag`` fires, which
    /// the caller schedules at the current simulated time.
    public mutating func submit(_ actions: [RuleAction], actor: String, reason: String) {
        core.liveCommands.append(LiveCommand(actions: actions, actor: actor, reason: reason))
    }

    /// Whether there are audit entries to take.
    public var hasPendingAudit: Bool { !core.pendingAudit.isEmpty }

    /// Work orders received so far: the order book and those that arrived or were added.
    public var workOrderCount: Int { core.book.orders.count }

    /// Work order `index`, as received and as it stands now.
    public func workOrder(at index: Int) -> WorkOrder? {
        index >= 0 && index < core.book.orders.count ? core.book.orders[index] : nil
    }

    /// The work order of unit `serial` (nil for units from plain sources).
    public func workOrder(ofSerial serial: Int) -> String? {
        let order = core.book.order(ofSerial: serial)
        return order >= 0 ? core.book.orders[Int(order)].name : nil
    }
    /// Per recall: its scope under each granularity, and the units held and scrapped.
    public var recallScopes: [[RecallScope]] { core.recallScopes }
    public var recallHeld: [[Int]] { core.recallHeld }
    public var recallScrapped: [Int] { core.recallScrapped }
    public var spcCharts: [StationSPC] { core.spc }
    /// Per product: units in the plant, time-weighted over the observation window.
    public var workInProcessByProduct: [TimeWeightedLevel] { core.workInProcessByProduct }

    /// The live WIP by work order: every order with units in the plant now, by id.
    public func workInProcessByOrder() -> [(order: Int, units: Int)] { core.workInProcessByOrder() }

    public mutating func startObservation(at time: Double) { core.startObservation(at: time) }

    public mutating func endObservation(at time: Double) { core.endObservation(at: time) }

    public static var observesPlant: Bool { true }
    public static var observesArrivals: Bool { false }
    public static var dispatches: Bool { !Rule.isFirstInFirstOut }

    @inlinable
    public mutating func start(at time: Double, commands: inout [PlantCommand]) {
        core.start(at: time, commands: &commands)
    }

    @inlinable
    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        core.timerFired(tag, at: time, commands: &commands)
    }

    @inlinable
    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        core.observe(observation, at: time, commands: &commands)
    }

    /// The rule's choice; with the audit trail on, the decision is recorded (who chose which
    /// unit for which machine, out of how many).
    @inlinable
    public mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int {
        let chosen = rule.select(core.candidates(waiting, machine: machine, at: time))
        if core.auditsDispatch {
            core.auditDispatch(serial: waiting.serial(at: chosen), waiting: waiting.count, machine: machine, at: time)
        }
        return chosen
    }
}

/// Actions given to the MES from outside the run, with who gave them and why.
public struct LiveCommand: Sendable {
    public var actions: [RuleAction]
    public var actor: String
    public var reason: String

    public init(actions: [RuleAction], actor: String, reason: String) {
        self.actions = actions
        self.actor = actor
        self.reason = reason
    }
}
