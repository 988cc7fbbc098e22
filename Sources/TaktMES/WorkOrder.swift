import TaktKernel

/// The life of a work order, after the ISA-95 job-order states of OPC 10031-4 (ISA-95 Job
/// Control) §6.2: NotAllowedToStart, AllowedToStart, Running, Interrupted (Held), Ended
/// (Completed or Closed) and Aborted.
public enum WorkOrderState: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Known to the MES, none of its units released yet (NotAllowedToStart).
    case planned
    /// Its first unit has been released to the shop floor (AllowedToStart).
    case released
    /// Its first unit has started processing (Running).
    case running
    /// One or more of its units is on an MES hold (Interrupted, substate Held); it runs again
    /// when the last hold is lifted or disposed of.
    case held
    /// Every unit ordered has shipped (Ended, substate Completed).
    case completed
    /// Ended with fewer units shipped than ordered: scrapped units were not made up (Ended,
    /// substate Closed; "closed short").
    case closed
    /// Stopped by the MES before it ended: no further unit is released; units already in
    /// the plant finish and ship (Aborted).
    case aborted

    public var description: String {
        switch self {
        case .planned: "planned"
        case .released: "released"
        case .running: "running"
        case .held: "held"
        case .completed: "completed"
        case .closed: "closed"
        case .aborted: "aborted"
        }
    }

    /// Whether the order has ended (completed, closed or aborted).
    public var isEnded: Bool { self == .completed || self == .closed || self == .aborted }

    /// The states this one may move to (OPC 10031-4 table 37's transitions, as Takt uses them).
    public var successors: [WorkOrderState] {
        switch self {
        case .planned: [.released, .aborted]
        case .released: [.running, .aborted]
        case .running: [.held, .completed, .closed, .aborted]
        case .held: [.running, .completed, .closed, .aborted]
        case .completed, .closed, .aborted: []
        }
    }
}

/// An attempt to move a work order to a state it cannot reach from where it is.
public struct WorkOrderTransitionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The order's name, its state and the state asked for.
    public let order: String
    public let from: WorkOrderState
    public let to: WorkOrderState

    /// The error for order `order` asked to go from `from` to `to`.
    public init(order: String, from: WorkOrderState, to: WorkOrderState) {
        self.order = order
        self.from = from
        self.to = to
    }

    public var description: String {
        let allowed = from.successors.map(\.description)
        let next = allowed.isEmpty ? "it has ended" : "from \(from) it may go to \(allowed.joined(separator: ", "))"
        return "work order \(order) cannot go from \(from) to \(to); \(next)"
    }
}

/// A work order: a quantity of one product due at a time, with its history.
public struct WorkOrder: Sendable, Equatable, Codable {
    /// The order's number, unique in a run (its position in the order book).
    public let id: Int
    /// Its name as written (the order book's `id`), or its number for generated orders.
    public let name: String
    /// The product (index into the layout's products).
    public let product: Int32
    /// Units to make.
    public let quantity: Int
    /// When it arrived at the MES and when it is due, seconds.
    public let arrival: SimTime
    public let due: SimTime
    /// Larger is more urgent (used by ATC); 1 by default.
    public let priority: Double
    /// Whether a scrapped unit is replaced by a make-up unit (the default); without make-up
    /// the order closes short.
    public let makeUp: Bool
    /// Where it is now.
    public private(set) var state: WorkOrderState = .planned
    /// When it last entered each state (by raw value), `nil` until it did.
    public private(set) var enteredState: [SimTime?] = Array(repeating: nil, count: WorkOrderState.allCases.count)
    /// Units released (make-up units included), shipped and scrapped so far, and units on an
    /// MES hold now.
    public internal(set) var released = 0
    public internal(set) var shipped = 0
    public internal(set) var scrapped = 0
    public internal(set) var onHold = 0
    /// Whether the MES holds the order (`hold order`): none of its units is released meanwhile.
    public internal(set) var suspended = false

    /// A planned order that arrived at `arrival`, named `name` (its number by default).
    public init(
        id: Int, name: String? = nil, product: Int32, quantity: Int, arrival: SimTime, due: SimTime,
        priority: Double = 1, makeUp: Bool = true
    ) {
        self.id = id
        self.name = name ?? "\(id)"
        self.product = product
        self.quantity = quantity
        self.arrival = arrival
        self.due = due
        self.priority = priority
        self.makeUp = makeUp
        enteredState[WorkOrderState.planned.rawValue] = arrival
    }

    /// Moves the order to `next` at `time`, if the state machine allows it from here.
    public mutating func transition(to next: WorkOrderState, at time: SimTime) throws(WorkOrderTransitionError) {
        guard state.successors.contains(next) else {
            throw WorkOrderTransitionError(order: name, from: state, to: next)
        }
        state = next
        enteredState[next.rawValue] = time
    }

    /// Units still to release: the quantity (plus make-up for scrapped units) less those
    /// released; none once the order has ended.
    public var unreleased: Int {
        guard !state.isEnded, !suspended else { return 0 }
        return max(0, quantity + (makeUp ? scrapped : 0) - released)
    }
    /// Units released and still in the plant (its live WIP).
    public var inProcess: Int { released - shipped - scrapped }
    /// Whether every unit it will ever have has left the plant: all ordered shipped, or
    /// (without make-up) shipped and scrapped together make the quantity.
    public var allUnitsLeft: Bool {
        shipped >= quantity || (!makeUp && shipped + scrapped >= quantity) || (state == .aborted && inProcess == 0)
    }
    /// Whether it has ended.
    public var isFinished: Bool { state.isEnded }
    /// When it ended as completed or closed (short), if it did.
    public var completion: SimTime? {
        enteredState[WorkOrderState.completed.rawValue] ?? enteredState[WorkOrderState.closed.rawValue]
    }
    /// Whether it shipped every unit ordered.
    public var inFull: Bool { shipped >= quantity }
    /// Completion − due (negative when early), once completed or closed.
    public var lateness: SimTime? { completion.map { $0 - due } }
    /// max(0, lateness), once completed or closed.
    public var tardiness: SimTime? { lateness.map { max(0, $0) } }
    /// Release of the first unit to completion, once completed or closed.
    public var leadTime: SimTime? {
        guard let start = enteredState[WorkOrderState.released.rawValue], let end = completion else { return nil }
        return end - start
    }
    /// Arrival at the MES (its entry into the order book) to completion: what the customer
    /// waits, whatever the release policy.
    public var flowTime: SimTime? { completion.map { $0 - arrival } }
}
