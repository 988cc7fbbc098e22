import TaktMES

/// One work order as results report it (one row of orders.csv).
public struct OrderRecord: Sendable, Codable, Equatable {
    /// The replication and the order's name in it (the order book's `id`).
    public var replication: Int
    public var order: String
    /// The product's name and the quantity.
    public var product: String
    public var quantity: Int
    /// Larger is more urgent.
    public var priority: Double
    /// Times in seconds; `nil` until they happen.
    public var arrival: Double
    public var due: Double
    public var released: Double?
    public var completed: Double?
    /// The state at the end of the run.
    public var state: String
    /// Units shipped and scrapped.
    public var shipped: Int
    public var scrapped: Int

    /// The record of `order` in `replication`.
    public init(_ order: WorkOrder, replication: Int, product: String) {
        self.replication = replication
        self.order = order.name
        self.product = product
        quantity = order.quantity
        priority = order.priority
        arrival = order.arrival
        due = order.due
        released = order.enteredState[WorkOrderState.released.rawValue]
        completed = order.completion
        state = order.state.description
        shipped = order.shipped
        scrapped = order.scrapped
    }
}
