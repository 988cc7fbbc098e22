/// One operation one unit went through: the MES's as-built record of where, on what and when.
///
/// `start` is when the unit went on the machine (a setup first, if one was needed) and `end`
/// when the machine finished it; time the machine was down in between is inside the span.
/// Units of one batch share its `batch` number, start and end.
public struct OperationRecord: Sendable, Codable, Equatable {
    /// The unit's serial number, its work order (−1 for units from plain sources) and product.
    public var serial: Int
    public var order: Int32
    public var product: Int32
    /// The work centre (station) and work unit (machine, numbered station by station).
    public var station: Int32
    public var machine: Int32
    /// Seconds since time 0.
    public var start: Double
    public var end: Double
    /// The batch number at batching stations (1, 2, … in start order); −1 elsewhere.
    public var batch: Int32
    /// Whether the machine changed over (a setup) before this operation.
    public var setup = false
    /// Whether the operation was a rework (at a station inspections send rejects to).
    public var rework = false
    /// The operator pool that ran it (index into the layout's pools), −1 when unattended.
    /// Operators of a pool are interchangeable, so the pool is what the record can name.
    public var operatorPool: Int32 = -1

    /// The record of one operation.
    public init(
        serial: Int, order: Int32, product: Int32, station: Int32, machine: Int32, start: Double, end: Double,
        batch: Int32, setup: Bool = false, rework: Bool = false, operatorPool: Int32 = -1
    ) {
        self.setup = setup
        self.rework = rework
        self.operatorPool = operatorPool
        self.serial = serial
        self.order = order
        self.product = product
        self.station = station
        self.machine = machine
        self.start = start
        self.end = end
        self.batch = batch
    }
}
