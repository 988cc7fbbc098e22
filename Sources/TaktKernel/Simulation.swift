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
    /// The run was given up (``EventCalendar/abort(_:)``): see ``EventCalendar/abortReason``.
    case aborted
}

/// A run that could not go on, with the reason a person reads.
public struct RunAborted: Error, Sendable, CustomStringConvertible {
    /// The simulated time at which it stopped.
    public var time: SimTime
    /// What happened and what to look at.
    public var reason: String
    /// The replication, once the experiment that ran it says.
    public var replication: Int?

    /// An aborted run at `time`.
    public init(time: SimTime, reason: String, replication: Int? = nil) {
        self.time = time
        self.reason = reason
        self.replication = replication
    }

    public var description: String {
        (replication.map { "replication \($0 + 1): " } ?? "") + reason
    }
}

/// A model together with its event calendar: the kernel's run loop.
public struct Simulation<Model: DiscreteEventModel> {
    /// The model being simulated.
    public var model: Model
    /// Its pending events and clock.
    public var calendar: EventCalendar<Model.Event>
    @usableFromInline var executed: UInt64
    /// The end of the current progress window and the events run in it, for the progress guard.
    @usableFromInline var progressWindowEnd: SimTime = -1
    @usableFromInline var eventsInProgressWindow: UInt32 = 0

    /// The most events one simulated second may run before the run is given up as making no
    /// progress in simulated time: a zero-time loop (zero interarrival times without a limit,
    /// zero cycle times around a loop of stations, rules that trigger each other at one
    /// instant) or a crawl (near-zero cycle or failure times). A real factory model runs a few
    /// thousand events per simulated second.
    public static var maximumEventsPerSecond: UInt32 { 10_000_000 }

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
        if calendar.abortReason != nil { return .aborted }
        calendar.stopFlag = false
        while !calendar.isStopRequested, let (time, event) = calendar.popNext(before: end) {
            executed &+= 1
            if time < progressWindowEnd {
                eventsInProgressWindow &+= 1
                if _slowPath(eventsInProgressWindow >= Self.maximumEventsPerSecond) {
                    noProgress(at: time, event: event)
                    return .aborted
                }
            } else {
                progressWindowEnd = time + 1
                eventsInProgressWindow = 0
            }
            model.handle(event, calendar: &calendar)
        }
        if calendar.abortReason != nil { return .aborted }
        if calendar.isStopRequested { return .stopRequested }
        calendar.clock = end
        return .reachedTime
    }

    /// Runs at most `limit` further events.
    @inlinable
    @discardableResult
    public mutating func run(events limit: UInt64) -> StopReason {
        if calendar.abortReason != nil { return .aborted }
        calendar.stopFlag = false
        var done: UInt64 = 0
        while done < limit {
            if calendar.isStopRequested { return .stopRequested }
            guard let (_, event) = calendar.popNext() else { return .calendarEmpty }
            done &+= 1
            executed &+= 1
            model.handle(event, calendar: &calendar)
        }
        if calendar.abortReason != nil { return .aborted }
        return calendar.isStopRequested ? .stopRequested : .reachedEventLimit
    }

    /// Gives the run up: a zero-time loop (kept out of line, off the per-event path).
    @usableFromInline
    @inline(never)
    mutating func noProgress(at time: SimTime, event: Model.Event) {
        calendar.abort(
            "no progress in simulated time: \(Self.maximumEventsPerSecond) events ran within one simulated second at t = \(time) s (the last was \(event)); look for a zero or near-zero time between arrivals, cycle or failure time, or rules whose actions trigger each other at one instant"
        )
    }

    /// Throws ``RunAborted`` when the run was given up; call it after running.
    public func checkCompleted() throws(RunAborted) {
        if let reason = calendar.abortReason { throw RunAborted(time: calendar.now, reason: reason) }
    }

    /// Runs until no event is left or the model asks to stop.
    @inlinable
    @discardableResult
    public mutating func run() -> StopReason {
        switch run(events: .max) {
        case .stopRequested: .stopRequested
        case .aborted: .aborted
        default: .calendarEmpty
        }
    }
}
