import TaktKernel
import TaktPlant

/// How new work orders arrive at the MES.
public struct OrderGeneration: Sendable {
    /// The most units one generated order may have; each drawn quantity is kept within 1…this.
    public static let maximumQuantity = 1_000_000

    /// Time between orders.
    public var interarrival: Distribution
    /// Units per order (rounded, at least 1).
    public var quantity: Distribution
    /// Time from arrival to due date.
    public var dueIn: Distribution
    /// The product of each order: one, or drawn from a mix.
    public var mix: [(product: Int32, probability: Double)]

    /// Orders of a product mix arriving every `interarrival`.
    public init(
        interarrival: Distribution, quantity: Distribution, dueIn: Distribution,
        mix: [(product: Int32, probability: Double)]
    ) {
        self.interarrival = interarrival
        self.quantity = quantity
        self.dueIn = dueIn
        self.mix = mix
    }
}

/// When the MES lets an order's units onto the shop floor.
public enum ReleasePolicy: Sendable, Equatable {
    /// Every unit as soon as the order arrives.
    case push
    /// While fewer than `cap` units are in the plant (constant work in process).
    case conwip(cap: Int)
    /// Per product loop: while the product has a free card; a card returns when its unit leaves.
    case kanban(cards: [Int])
    /// Every unit at a fixed time: the due date less `leadTime` (or on arrival, if later).
    case schedule(leadTime: SimTime)
}

extension ReleasePolicy: CustomStringConvertible {
    /// As written in Swift (`conwip(cap: 40)`), for the audit trail. Spelled out because the
    /// reflection-based default costs microseconds per release.
    public var description: String {
        switch self {
        case .push: "push"
        case .conwip(let cap): "conwip(cap: \(cap))"
        case .kanban(let cards): "kanban(cards: \(cards))"
        case .schedule(let leadTime): "schedule(leadTime: \(leadTime))"
        }
    }
}

/// Everything the MES is told in the scenario.
public struct MESSettings: Sendable {
    /// Orders generated during the run, if any.
    public var generation: OrderGeneration?
    /// Orders known from the start (an order book), by arrival time.
    public var orderBook: [WorkOrder]
    /// The release policy.
    public var release: ReleasePolicy
    /// Whether work orders replace scrapped units with make-up units (`mes.orders.make_up`,
    /// true by default); without, an order with scrap closes short.
    public var makeUp = true
    /// How dispatching rules break ties (`mes.dispatch: { rule: …, ties: … }`).
    public var dispatchTies = DispatchTieBreak.arrival
    /// Whether to keep a record of every operation of every unit (``OperationRecord``);
    /// off by default, since it grows with the run.
    public var recordsOperations = false
    /// Statistical process control on measured stations.
    public var spc: [SPCPlan] = []
    /// A stop shorter than this (seconds) is a small stop in the OEE losses.
    public var minorStopThreshold = OEECalculator.defaultMinorStopThreshold
    /// Traceability: the granularity the MES records at, and bad lots found during the run.
    public var traceability: TraceabilitySettings?
    /// Whether to keep an audit entry for every decision (for a trace store to drain).
    public var audits = false
    /// Whether to keep the run's history in memory for inspection afterwards: the log of
    /// every release, and the genealogy after the last recall is settled. Experiment runs
    /// switch it off, so memory stays flat however long the run (the trace store keeps the
    /// full history when asked for).
    public var retainsHistory = true
    /// The scenario's rules, variables and scripted incidents.
    public var rules = RuleSettings()
    /// Preventive maintenance plans.
    public var maintenance: [MaintenancePlan] = []

    /// Settings with a release policy and the ways orders arrive.
    public init(generation: OrderGeneration?, orderBook: [WorkOrder] = [], release: ReleasePolicy) {
        self.generation = generation
        self.orderBook = orderBook
        self.release = release
    }
}

/// How the MES traces material, and the bad lots it will be told of.
public struct TraceabilitySettings: Sendable {
    /// What the MES records, and so what it must hold when a lot is recalled.
    public var granularity: TraceGranularity
    /// The window width used for the window granularity's what-if (its own when it is the
    /// granularity).
    public var window: Double
    /// Bad lots found during the run.
    public var recalls: [LotRecall]

    /// Settings recording at `granularity`.
    public init(granularity: TraceGranularity, window: Double, recalls: [LotRecall]) {
        self.granularity = granularity
        self.window = window
        self.recalls = recalls
    }
}

/// A preventive maintenance plan for a station's machines (`mes.maintenance`).
public struct MaintenancePlan: Sendable, Equatable {
    /// What starts the maintenance.
    public enum Trigger: Sendable, Equatable {
        /// Every so many seconds of calendar time, from the start of the run.
        case calendarTime(Double)
        /// After so many seconds of processing since the machine's last maintenance.
        case operatingTime(Double)
        /// After so many units since the machine's last maintenance.
        case units(Int)
    }

    /// The station (index into the layout's stations) whose machines it maintains.
    public var station: Int
    public var trigger: Trigger
    /// How long the maintenance takes, once a technician is at the machine.
    public var duration: Double
    /// Whether the scenario marks it planned (`planned: true`): then its time is planned down
    /// time, outside planned busy time; otherwise it is a delay inside it (ISO 22400-2 ADET).
    public var planned: Bool

    /// A plan for `station`.
    public init(station: Int, trigger: Trigger, duration: Double, planned: Bool = false) {
        self.station = station
        self.trigger = trigger
        self.duration = duration
        self.planned = planned
    }
}

/// A maintenance work order: what asked for it, and when it was asked for, started and done.
public struct MaintenanceOrder: Sendable, Equatable {
    public var id: Int
    public var machine: Int32
    public var station: Int32
    /// `calendar`, `operating-time`, `units`, or the rule or incident that asked.
    public var trigger: String
    public var requested: Double
    public var started: Double?
    public var finished: Double?
}
