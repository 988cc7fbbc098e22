/// What a machine is doing, in the time categories of ISO 22400-2.
///
/// Every instant of a machine's time falls in exactly one state, so the states' times add up
/// to the observed time exactly.
public enum MachineState: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Processing a unit (ISO 22400: actual unit processing time).
    case busy = 0
    /// Changing over to another product (actual unit setup time).
    case setup
    /// Ready, but no unit to work on: starved (part of actual unit delay / idle time).
    case idle
    /// Finished a unit that cannot move on because the next buffer is full.
    case blocked
    /// Failed: waiting for or under repair (actual unit down time).
    case down
    /// Not planned to produce: held by the MES, in planned maintenance, on a break or shift off.
    case plannedStop

    /// The number of states; per-machine time arrays have this stride.
    @inlinable public static var count: Int { 6 }

    public var description: String {
        switch self {
        case .busy: "busy"
        case .setup: "setup"
        case .idle: "idle"
        case .blocked: "blocked"
        case .down: "down"
        case .plannedStop: "planned stop"
        }
    }
}
