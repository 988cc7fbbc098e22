import TaktKernel

/// The MES side of the plant: it hears the plant's observations and decides.
///
/// The plant is generic over its controller, so every call is specialised and inlined; a
/// controller whose ``observesPlant`` is `false` costs nothing per event.
public protocol PlantController {
    /// Whether ``observe(_:at:commands:)`` is called at all (a constant the compiler folds).
    static var observesPlant: Bool { get }

    /// Hears one observation; may append commands, which the plant carries out at once.
    mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand])

    /// Hears a timer it set with ``PlantCommand/setTimer(tag:delay:)``.
    mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand])

    /// Called once when the plant starts, so the controller can set its first timers.
    mutating func start(at time: Double, commands: inout [PlantCommand])

    /// Whether it hears ``PlantObservation/unitArrived(serial:station:)`` and
    /// ``PlantObservation/unitQueued(serial:station:)`` (a constant the compiler folds; the MES
    /// does not need them, and they are the most frequent observations).
    static var observesArrivals: Bool { get }

    /// Whether ``selectNext(from:machine:at:)`` is asked at all; `false` means first in, first out.
    static var dispatches: Bool { get }

    /// Dispatching: picks which waiting unit the free `machine` takes next, as a position in
    /// `waiting` (0 is the unit that has waited longest). Asked the moment a machine frees and
    /// more than one unit waits, as a real dispatch list is consulted at that moment.
    mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int
}

extension PlantController {
    /// By default a controller sets no timers.
    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {}

    /// By default a controller does nothing at the start.
    public mutating func start(at time: Double, commands: inout [PlantCommand]) {}

    /// By default a controller that listens hears arrivals too.
    public static var observesArrivals: Bool { observesPlant }

    /// By default a controller does not dispatch: first in, first out.
    public static var dispatches: Bool { false }

    /// First in, first out.
    public mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int { 0 }
}

/// The units waiting at a station, oldest first, as a dispatching rule sees them.
///
/// It reads the plant's tables through pointers, so building and dropping it costs no
/// reference counting; it is valid only during the ``PlantController/selectNext(from:machine:at:)``
/// call it is passed to.
public struct WaitingUnits {
    @usableFromInline let queue: QueueView
    @usableFromInline let units: UnsafeBufferPointer<UnitRecord>

    @inlinable
    init(queues: IndexQueues, station: Int, units: EntityTable<UnitRecord>) {
        queue = queues.view(station)
        self.units = units.unsafeElements
    }

    /// How many units wait.
    @inlinable
    public var count: Int { queue.count }

    /// The serial number of the unit at `position`.
    @inlinable
    public func serial(at position: Int) -> Int { units[Int(queue[position])].serial }

    /// The product (index into the layout's products) of the unit at `position`.
    @inlinable
    public func product(at position: Int) -> Int32 { units[Int(queue[position])].product }

    /// When the unit at `position` arrived at this station.
    @inlinable
    public func arrivalTime(at position: Int) -> Double { units[Int(queue[position])].arrivedAt }

    /// The route step the unit at `position` is at (0 is its first station).
    @inlinable
    public func step(at position: Int) -> Int32 { units[Int(queue[position])].step }

    /// When the unit at `position` entered the plant.
    @inlinable
    public func releaseTime(at position: Int) -> Double { units[Int(queue[position])].released }
}

/// The minimal default policy until the MES exists: release on arrival, first in first out
/// at every station, never hold anything. It listens to nothing.
public struct FirstInFirstOut: PlantController {
    /// A controller that makes no decisions beyond the plant's defaults.
    public init() {}

    public static var observesPlant: Bool { false }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {}
}
