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
    let productOfSerial = EntityTable<Int32>([], minimumCapacity: 1024)
    /// Per unit serial: its order's due date and priority, and per order its state — kept
    /// flat so dispatching and tracking read plain numbers, never copy a `WorkOrder`. The
    /// flat tables are `EntityTable`s: the book is shared by reference already, so an
    /// array's copy-on-write check on each write (a runtime call) bought nothing.
    let dueOfSerial = EntityTable<Double>([], minimumCapacity: 1024)
    let priorityOfSerial = EntityTable<Double>([], minimumCapacity: 1024)
    let stateOfOrder = EntityTable<WorkOrderState>([], minimumCapacity: 64)
    /// Per order: its product, the units it still has to release and whether all its units
    /// have left, kept flat for the same reason (read for every released and finished unit).
    let productOfOrder = EntityTable<Int32>([], minimumCapacity: 64)
    let unreleasedOfOrder = EntityTable<Int>([], minimumCapacity: 64)
    let allUnitsLeftOfOrder = EntityTable<Bool>([], minimumCapacity: 64)

    /// An empty book.
    public init() {}

    /// Adds an order; its id is its position.
    func add(_ order: WorkOrder) {
        orders.append(order)
        stateOfOrder.append(order.state)
        productOfOrder.append(order.product)
        unreleasedOfOrder.append(order.unreleased)
        allUnitsLeftOfOrder.append(order.allUnitsLeft)
    }

    func update(_ id: Int, _ change: (inout WorkOrder) -> Void) {
        change(&orders[id])
        refresh(id, from: &orders[id])
    }

    /// Copies order `id`'s state and counts into the flat tables. The order is taken `inout`
    /// so its computed counts are read in place: read through `orders[id]` they ran on a
    /// copy of the order, retaining its name and history.
    private func refresh(_ id: Int, from order: inout WorkOrder) {
        stateOfOrder[id] = order.state
        unreleasedOfOrder[id] = order.unreleased
        allUnitsLeftOfOrder[id] = order.allUnitsLeft
    }

    /// The state of order `id`.
    func state(of id: Int) -> WorkOrderState { stateOfOrder[id] }

    /// The product of order `id`.
    func product(ofOrder id: Int) -> Int32 { productOfOrder[id] }

    /// The units order `id` still has to release (``WorkOrder/unreleased``).
    func unreleased(_ id: Int) -> Int { unreleasedOfOrder[id] }

    /// Whether all units of order `id` have left (``WorkOrder/allUnitsLeft``).
    func allUnitsLeft(_ id: Int) -> Bool { allUnitsLeftOfOrder[id] }

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
    @inline(__always)
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
