import TaktKernel

/// The MES's records of work orders and of which order each unit belongs to, shared by
/// reference with dispatching rules so a decision copies nothing.
public final class OrderBook: @unchecked Sendable {
    // Mutated only by the MES that owns it, on one thread (one replication); so its storage
    // skips dynamic exclusivity checks, which cost more than the work on the dispatch path.
    /// Every order so far, by id (id = index).
    @exclusivity(unchecked) public private(set) var orders: [WorkOrder] = []
    /// Per unit serial (1, 2, …): its order (−1 for units from plain sources) and product.
    let orderOfSerial = EntityTable<Int32>([], minimumCapacity: 1024)
    @exclusivity(unchecked) var productOfSerial: [Int32] = []
    /// Per unit serial: its order's due date and priority, and per order its state — kept
    /// flat so dispatching and tracking read plain numbers, never copy a `WorkOrder`.
    let dueOfSerial = EntityTable<Double>([], minimumCapacity: 1024)
    let priorityOfSerial = EntityTable<Double>([], minimumCapacity: 1024)
    @exclusivity(unchecked) var stateOfOrder: [WorkOrderState] = []

    /// An empty book.
    public init() {}

    /// Adds an order; its id is its position.
    func add(_ order: WorkOrder) {
        orders.append(order)
        stateOfOrder.append(order.state)
    }

    func update(_ id: Int, _ change: (inout WorkOrder) -> Void) {
        change(&orders[id])
        stateOfOrder[id] = orders[id].state
    }

    /// The state of order `id`.
    func state(of id: Int) -> WorkOrderState { stateOfOrder[id] }

    func recordUnit(serial: Int, order: Int32, product: Int32) {
        while orderOfSerial.count < serial {
            orderOfSerial.append(-1)
            productOfSerial.append(-1)
            dueOfSerial.append(.infinity)
            priorityOfSerial.append(1)
        }
        orderOfSerial[serial - 1] = order
        productOfSerial[serial - 1] = product
        if order >= 0 {
            dueOfSerial[serial - 1] = orders[Int(order)].due
            priorityOfSerial[serial - 1] = orders[Int(order)].priority
        }
    }

    /// The order of unit `serial`, or −1.
    @inline(__always)
    public func order(ofSerial serial: Int) -> Int32 {
        serial >= 1 && serial <= orderOfSerial.count ? orderOfSerial[serial - 1] : -1
    }

    /// The product of unit `serial`, or −1 if unknown.
    public func product(ofSerial serial: Int) -> Int32 {
        serial >= 1 && serial <= productOfSerial.count ? productOfSerial[serial - 1] : -1
    }

    /// The due date of unit `serial`'s order (infinitely far without one).
    public func due(ofSerial serial: Int) -> Double {
        serial >= 1 && serial <= dueOfSerial.count ? dueOfSerial[serial - 1] : .infinity
    }

    /// The priority of unit `serial`'s order (1 without one).
    public func priority(ofSerial serial: Int) -> Double {
        serial >= 1 && serial <= priorityOfSerial.count ? priorityOfSerial[serial - 1] : 1
    }
}
