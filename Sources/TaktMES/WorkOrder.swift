import TaktKernel

/// The life of a work order (ISA-95 job order), in the only order it may take.
public enum WorkOrderState: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Known to the MES, not yet released to the shop floor.
    case planned
    /// Its first unit has been released.
    case released
    /// Its first unit has started processing.
    case running
    /// Every unit has left the plant (shipped or scrapped).
    case completed
    /// Closed by the MES after completion.
    case closed

    public var description: String {
        switch self {
        case .planned: "planned"
        case .released: "released"
        case .running: "running"
        case .completed: "completed"
        case .closed: "closed"
        }
    }
}

/// An attempt to move a work order to a state it cannot reach from where it is.
public struct WorkOrderTransitionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The order, its state and the state asked for.
    public let order: Int
    public let from: WorkOrderState
    public let to: WorkOrderState

    /// The error for order `order` asked to go from `from` to `to`.
    public init(order: Int, from: WorkOrderState, to: WorkOrderState) {
        self.order = order
        self.from = from
        self.to = to
    }

    public var description: String {
        "work order \(order) cannot go from \(from) to \(to); orders go planned → released → running → completed → closed"
    }
}

/// A work order: a quantity of one product due at a time, with its history.
public struct WorkOrder: Sendable, Equatable, Codable {
    /// The order's number, unique in a run.
    public let id: Int
    /// The product (index into the layout's products).
    public let product: Int32
    /// Units to make.
    public let quantity: Int
    /// When it arrived at the MES and when it is due, seconds.
    public let arrival: SimTime
    public let due: SimTime
    /// Larger is more urgent (used by ATC); 1 by default.
    public let priority: Double
    /// Where it is now.
    public private(set) var state: WorkOrderState = .planned
    /// When it entered each state (by raw value), `nil` until it did.
    public private(set) var enteredState: [SimTime?] = Array(repeating: nil, count: WorkOrderState.allCases.count)
    /// Units released, shipped and scrapped so far.
    public internal(set) var released = 0
    public internal(set) var shipped = 0
    public internal(set) var scrapped = 0

    /// A planned order that arrived at `arrival`.
    public init(id: Int, product: Int32, quantity: Int, arrival: SimTime, due: SimTime, priority: Double = 1) {
        self.id = id
        self.product = product
        self.quantity = quantity
        self.arrival = arrival
        self.due = due
        self.priority = priority
        enteredState[WorkOrderState.planned.rawValue] = arrival
    }

    /// Moves the order to `next` at `time`; only the next state in the sequence is allowed.
    public mutating func transition(to next: WorkOrderState, at time: SimTime) throws(WorkOrderTransitionError) {
        guard next.rawValue == state.rawValue + 1 else {
            throw WorkOrderTransitionError(order: id, from: state, to: next)
        }
        state = next
        enteredState[next.rawValue] = time
    }

    /// Units still to release.
    public var unreleased: Int { quantity - released }
    /// Units released and still in the plant (its live WIP).
    public var inProcess: Int { released - shipped - scrapped }
    /// Whether every unit has left the plant.
    public var isFinished: Bool { shipped + scrapped >= quantity }
    /// When it was completed, if it was.
    public var completion: SimTime? { enteredState[WorkOrderState.completed.rawValue] }
    /// Completion − due (negative when early), once completed.
    public var lateness: SimTime? { completion.map { $0 - due } }
    /// max(0, lateness), once completed.
    public var tardiness: SimTime? { lateness.map { max(0, $0) } }
    /// Release of the first unit to completion, once completed.
    public var leadTime: SimTime? {
        guard let start = enteredState[WorkOrderState.released.rawValue], let end = completion else { return nil }
        return end - start
    }
}
