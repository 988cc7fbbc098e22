import Foundation
import TaktPlant

/// What a dispatching rule sees when a machine frees: the units waiting at its station, with
/// their order data and the work ahead of them. Positions count from the unit that has waited
/// longest (0).
public struct DispatchCandidates {
    /// The units waiting.
    public let waiting: WaitingUnits
    /// Now, seconds.
    public let time: Double
    /// The station and the machine that is free, and the product it last worked on (−1 if none).
    public let station: Int
    public let machine: Int32
    public let lastProduct: Int32
    /// Which of the MES's dispatching rules is in force (0: the scenario's; a rule's
    /// `dispatch` action switches), for ``SwitchableRule``.
    public let activeRule: Int32
    // The MES's tables, read through pointers so that building candidates for each decision
    // costs no reference counting; valid only during the rule's `select` call.
    let tables: DispatchTables.View
    let dueOfSerial: UnsafeBufferPointer<Double>
    let priorityOfSerial: UnsafeBufferPointer<Double>
    let orderOfSerial: UnsafeBufferPointer<Int32>
    /// How ties between equal keys are broken (`mes.dispatch.ties`).
    public let ties: DispatchTieBreak

    /// The number of waiting units.
    public var count: Int { waiting.count }
    /// The product of the unit at `position`.
    public func product(at position: Int) -> Int32 { waiting.product(at: position) }
    /// Its expected processing time at this station (the mean of the cycle time).
    public func processingTime(at position: Int) -> Double {
        tables.expectedTime[station * tables.productCount + Int(product(at: position))]
    }
    /// Its expected work left, this station included (means along the rest of its route).
    public func remainingWork(at position: Int) -> Double {
        let product = Int(product(at: position))
        return tables.remainingWork[tables.routeOffset[product] + Int(waiting.step(at: position))]
    }
    /// The due date of its order (infinitely far for units without one).
    public func due(at position: Int) -> Double {
        let serial = waiting.serial(at: position)
        return serial >= 1 && serial <= dueOfSerial.count ? dueOfSerial[serial - 1] : .infinity
    }
    /// The priority of its order (1 for units without one).
    public func priority(at position: Int) -> Double {
        let serial = waiting.serial(at: position)
        return serial >= 1 && serial <= priorityOfSerial.count ? priorityOfSerial[serial - 1] : 1
    }

    /// The position of its operation in its job's routing (0 for the first operation).
    public func operationPosition(at position: Int) -> Int32 { waiting.step(at: position) }
    /// Its job's index: its work order's number (units without an order: released after
    /// every order's, in release order).
    public func jobIndex(at position: Int) -> Int {
        let serial = waiting.serial(at: position)
        let order = serial >= 1 && serial <= orderOfSerial.count ? orderOfSerial[serial - 1] : -1
        return order >= 0 ? Int(order) : Int(Int32.max) + serial
    }

    /// The position with the smallest `key`; ties are broken by ``ties`` (by default the unit
    /// that arrived at the station first, then the one released first): a rule whose choice
    /// does not depend on the order in which simultaneous events are processed.
    public func argmin(_ key: (Int) -> Double) -> Int {
        var best = 0
        var bestKey = key(0)
        for position in 1..<count {
            let k = key(position)
            if k < bestKey || (k == bestKey && precedes(position, best)) {
                best = position
                bestKey = k
            }
        }
        return best
    }

    /// Whether the unit at `a` wins a tie against the one at `b`. Only consulted on ties.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        let sa = waiting.serial(at: a)
        let sb = waiting.serial(at: b)
        switch ties {
        case .arrival:
            let ta = waiting.arrivalTime(at: a)
            let tb = waiting.arrivalTime(at: b)
            return ta < tb || (ta == tb && sa < sb)
        case .job:
            let ja = jobIndex(at: a)
            let jb = jobIndex(at: b)
            return ja < jb || (ja == jb && sa < sb)
        case .release:
            return sa < sb
        }
    }
}

/// How a dispatching rule breaks a tie between units with equal keys.
public enum DispatchTieBreak: String, Sendable, CaseIterable {
    /// The unit that arrived at the station first; same instant: the one released first.
    case arrival
    /// The unit of the lowest job (work order) index; same job: the one released first.
    case job
    /// The unit released into the plant first (lowest serial number).
    case release
}

/// Per-station and per-route expectations the rules use, flat and immutable.
final class DispatchTables: @unchecked Sendable {
    /// The tables read through pointers (no reference held), for one decision.
    struct View {
        let productCount: Int
        /// Per (station × productCount + product): the mean processing time.
        let expectedTime: UnsafeBufferPointer<Double>
        /// Per product, from `routeOffset[product]`: the work left from each route step to the end.
        let routeOffset: UnsafeBufferPointer<Int>
        let remainingWork: UnsafeBufferPointer<Double>
    }

    let view: View

    init(productCount: Int, expectedTime: [Double], routeOffset: [Int], remainingWork: [Double]) {
        func copy<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values)
            return UnsafeBufferPointer(buffer)
        }
        view = View(
            productCount: productCount, expectedTime: copy(expectedTime), routeOffset: copy(routeOffset),
            remainingWork: copy(remainingWork))
    }

    deinit {
        view.expectedTime.deallocate()
        view.routeOffset.deallocate()
        view.remainingWork.deallocate()
    }
}

/// A dispatching rule: which waiting unit a free machine takes next. The MES is generic over
/// its rule, so a custom rule is specialised on the per-event path, never an existential.
///
/// Every built-in rule breaks ties the same way: the unit that arrived at the station first,
/// then (same instant) the one released first.
public protocol DispatchRule: Sendable {
    /// Whether the rule is plain first in, first out (then the plant does not ask at all).
    static var isFirstInFirstOut: Bool { get }
    /// The position in `candidates` of the unit to take.
    func select(_ candidates: DispatchCandidates) -> Int
    /// The rule's name in the audit trail (`edd`, `setup-aware(spt)`).
    var name: String { get }
}

extension DispatchRule {
    public static var isFirstInFirstOut: Bool { false }
    /// The type's name, for a custom rule that gives none.
    public var name: String { String(describing: Self.self) }
}

/// First in, first out: the unit that arrived at the station first (ties as every rule).
public struct FIFORule: DispatchRule {
    public init() {}
    public var name: String { "fifo" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { _ in 0 } }
}

/// First come, first served by operation (job-shop FCFS, as job-shop-lib's
/// `first_come_first_served`): the unit whose waiting operation comes earliest in its job's
/// routing; ties as configured (`ties: job` matches job-shop-lib's job-index order).
public struct FCFSOperationRule: DispatchRule {
    public init() {}
    public var name: String { "fcfs-operation" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { Double(c.operationPosition(at: $0)) } }
}

/// Shortest processing time first.
public struct SPTRule: DispatchRule {
    public init() {}
    public var name: String { "spt" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { c.processingTime(at: $0) } }
}

/// Longest processing time first.
public struct LPTRule: DispatchRule {
    public init() {}
    public var name: String { "lpt" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { -c.processingTime(at: $0) } }
}

/// Earliest due date first.
public struct EDDRule: DispatchRule {
    public init() {}
    public var name: String { "edd" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { c.due(at: $0) } }
}

/// Smallest critical ratio first: (due − now) / work left.
public struct CriticalRatioRule: DispatchRule {
    public init() {}
    public var name: String { "cr" }
    public func select(_ c: DispatchCandidates) -> Int {
        c.argmin { (c.due(at: $0) - c.time) / max(c.remainingWork(at: $0), 1e-9) }
    }
}

/// Minimum slack first: due − now − work left.
public struct MinimumSlackRule: DispatchRule {
    public init() {}
    public var name: String { "min-slack" }
    public func select(_ c: DispatchCandidates) -> Int { c.argmin { c.due(at: $0) - c.time - c.remainingWork(at: $0) } }
}

/// Apparent tardiness cost (Vepsalainen & Morton 1987): the largest
/// (priority / p) · exp(−max(0, slack) / (k · p̄)), p̄ the mean processing time waiting.
public struct ATCRule: DispatchRule {
    /// The look-ahead parameter k (typically 1.5–4.5).
    public let k: Double
    public init(k: Double = 2) { self.k = k }
    public var name: String { "atc(k: \(k))" }
    public func select(_ c: DispatchCandidates) -> Int {
        let mean = (0..<c.count).reduce(0) { $0 + c.processingTime(at: $1) } / Double(c.count)
        return c.argmin { position in
            let p = max(c.processingTime(at: position), 1e-9)
            let slack = max(0, c.due(at: position) - c.time - c.remainingWork(at: position))
            return -(c.priority(at: position) / p) * exp(-slack / max(k * mean, 1e-9))
        }
    }
}

/// No changeover first: the longest-waiting unit of the machine's last product; when none
/// waits (or the base rule already picks one), the base rule decides.
public struct SetupAwareRule<Base: DispatchRule>: DispatchRule {
    /// The rule used when no unit of the last product waits.
    public let base: Base
    public init(base: Base) { self.base = base }
    public var name: String { "setup-aware(\(base.name))" }
    public func select(_ c: DispatchCandidates) -> Int {
        let chosen = base.select(c)
        guard c.lastProduct >= 0, c.product(at: chosen) != c.lastProduct else { return chosen }
        guard (0..<c.count).contains(where: { c.product(at: $0) == c.lastProduct }) else { return chosen }
        return c.argmin { c.product(at: $0) == c.lastProduct ? 0 : 1 }
    }
}
