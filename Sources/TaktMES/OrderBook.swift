import TaktKernel

/// The MES's records of work orders and of which order each unit belongs to, shared by
/// reference with dispatching rules so a decision copies nothing.
public final class OrderBook: @unchecked Sendable {
    // Mutated only by the MES that owns it, on one thread (one replication).
    /// Every order so far, by id (id = index).
    public private(set) var orders: [WorkOrder] = []
    /// Per unit serial (1, 2, …): its order (−1 for units from plain sources) and product.
    var orderOfSerial: [Int32] = []
    var productOfSerial: [Int32] = []

    /// An empty book.
    public init() {}

    /// Adds an order; its id is its position.
    func add(_ order: WorkOrder) { orders.append(order) }

    func update(_ id: Int, _ change: (inout WorkOrder) -> Void) { change(&orders[id]) }

    func recordUnit(serial: Int, order: Int32, product: Int32) {
        while orderOfSerial.count < serial {
            orderOfSerial.append(-1)
            productOfSerial.append(-1)
        }
        orderOfSerial[serial - 1] = order
        productOfSerial[serial - 1] = product
    }

    /// The order of unit `serial`, or −1.
    public func order(ofSerial serial: Int) -> Int32 {
        serial >= 1 && serial <= orderOfSerial.count ? orderOfSerial[serial - 1] : -1
    }

    /// The product of unit `serial`, or −1 if unknown.
    public func product(ofSerial serial: Int) -> Int32 {
        serial >= 1 && serial <= productOfSerial.count ? productOfSerial[serial - 1] : -1
    }

    /// The due date of unit `serial`'s order (infinitely far without one).
    public func due(ofSerial serial: Int) -> Double {
        let order = order(ofSerial: serial)
        return order >= 0 ? orders[Int(order)].due : .infinity
    }

    /// The priority of unit `serial`'s order (1 without one).
    public func priority(ofSerial serial: Int) -> Double {
        let order = order(ofSerial: serial)
        return order >= 0 ? orders[Int(order)].priority : 1
    }
}
