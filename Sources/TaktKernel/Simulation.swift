/// A model the kernel can run: it reacts to its own events and schedules new ones.
///
/// The kernel calls ``handle(_:calendar:)`` for each event in calendar order. Because
/// ``Simulation`` is generic over the model, the call is specialised and inlined: no
/// existential, no closure, no allocation per event.
public protocol DiscreteEventModel {
    /// The model's event type, ideally a small enum dispatched with `switch`.
    associatedtype Event

    /// Reacts to `event` at `calendar.now`, scheduling or cancelling further events.
    mutating func handle(_ event: Event, calendar: inout EventCalendar<Event>)
}

/// Why a run loop returned.
public enum StopReason: Equatable, Sendable {
    /// The clock reached the requested end time.
    case reachedTime
    /// The requested number of events ran.
    case reachedEventLimit
    /// No event was left.
    case calendarEmpty
    /// The model called ``EventCalendar/requestStop()``.
    case stopRequested
}

/// A model together with its event calendar: the kernel's run loop.
public struct Simulation<Model: DiscreteEventModel> {
    /// The model being simulated.
    public var model: Model
    /// Its pending events and clock.
    public var calendar: EventCalendar<Model.Event>
    @usableFromInline var executed: UInt64

    /// The number of events executed so far, over all runs.
    @inlinable
    public var executedEvents: UInt64 { executed }

    /// Wraps `model` and `calendar` (which may already hold the initial events).
    @inlinable
    public init(model: Model, calendar: EventCalendar<Model.Event> = EventCalendar()) {
        self.model = model
        self.calendar = calendar
        self.executed = 0
    }

    /// The current simulated time.
    @inlinable
    public var now: SimTime { calendar.now }

    /// Runs every event due strictly before `end`, then sets the clock to `end`.
    ///
    /// Events due exactly at `end` stay pending, so `run(until: a)` followed by
    /// `run(until: b)` executes the same events as `run(until: b)`.
    @inlinable
    @discardableResult
    public mutating func run(until end: SimTime) -> StopReason {
        precondition(end >= calendar.now, "cannot run backwards in time")
        calendar.stopFlag = false
        while !calendar.isStopRequested, let (_, event) = calendar.popNext(before: end) {
            executed &+= 1
            model.handle(event, calendar: &calendar)
        }
        if calendar.isStopRequested { return .stopRequested }
        calendar.clock = end
        return .reachedTime
    }

    /// Runs at most `limit` further events.
    @inlinable
    @discardableResult
    public mutating func run(events limit: UInt64) -> StopReason {
        calendar.stopFlag = false
        var done: UInt64 = 0
        while done < limit {
            if calendar.isStopRequested { return .stopRequested }
            guard let (_, event) = calendar.popNext() else { return .calendarEmpty }
            done &+= 1
            executed &+= 1
            model.handle(event, calendar: &calendar)
        }
        return calendar.isStopRequested ? .stopRequested : .reachedEventLimit
    }

    /// Runs until no event is left or the model asks to stop.
    @inlinable
    @discardableResult
    public mutating func run() -> StopReason {
        run(events: .max) == .stopRequested ? .stopRequested : .calendarEmpty
    }
}
