/// The rank of an event among events due at the same instant: lower runs first.
///
/// Ties at equal time and priority fall back to insertion order, so every run of the same
/// model and seed executes events in exactly the same order (SimPy's `(time, priority, id)`).
@frozen
public struct EventPriority: Comparable, Hashable, Sendable {
    /// The raw rank, 0 (first) to 255 (last).
    public var rank: UInt8

    /// Creates a priority from its raw rank; lower ranks run first.
    @inlinable
    public init(rank: UInt8) { self.rank = rank }

    /// Runs before normal events at the same instant: interrupts, failures, state resets.
    @inlinable public static var urgent: EventPriority { EventPriority(rank: 0) }
    /// The default for ordinary events.
    @inlinable public static var normal: EventPriority { EventPriority(rank: 128) }
    /// Runs after normal events at the same instant: observation and end-of-period bookkeeping.
    @inlinable public static var late: EventPriority { EventPriority(rank: 255) }

    @inlinable
    public static func < (lhs: EventPriority, rhs: EventPriority) -> Bool { lhs.rank < rhs.rank }
}
