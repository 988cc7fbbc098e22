/// Everything a viewer of a live session sees at one instant: the plant, the MES's figures,
/// the orders and the last decisions. Encoded as the JSON of `/api/state` and of each update
/// on `/api/stream` (docs/live-api.yaml).
public struct LiveSnapshot: Codable, Sendable, Equatable {
    public var scenario: String
    /// Simulated seconds since time 0, the end of the warm-up and the horizon.
    public var time: Double
    public var warmup: Double
    public var horizon: Double
    /// The time as the shop floor reads it: day, time of day, shift.
    public var clock: ShiftClock
    /// `running`, `paused` or `finished`.
    public var status: String
    /// Simulated seconds per wall-clock second; nil at `max`.
    public var speed: Double?
    /// Events the simulation ran so far.
    public var events: UInt64
    public var stations: [StationView]
    public var line: LineView
    /// Open orders first (late ones first), then the last ended ones.
    public var orders: [OrderView]
    /// The last decisions of the MES in words, newest first (dispatching, unit releases and
    /// routine order moves left out).
    public var decisions: [DecisionView]
    /// WIP and output over the last hours, oldest first.
    public var history: [HistoryPoint]
    /// The exercise's current step, when the scenario has an exercise.
    public var exercise: ExerciseView?
    /// Why the session stopped early, if it did.
    public var failure: String?
}

/// Day, time of day and shift of a simulated time.
public struct ShiftClock: Codable, Sendable, Equatable {
    /// 1 for the first day.
    public var day: Int
    /// `hh:mm`.
    public var time: String
    /// The shift of the line's calendar on now, or nil outside shifts (or without a calendar).
    public var shift: String?

    public init(day: Int, time: String, shift: String?) {
        self.day = day
        self.time = time
        self.shift = shift
    }
}

public struct StationView: Codable, Sendable, Equatable {
    public var name: String
    /// Units waiting in its buffer.
    public var waiting: Int
    /// Buffer places, nil when unlimited.
    public var capacity: Int?
    public var machines: [MachineLiveView]
    /// OEE (ISO 22400-2) since the warm-up and its factors; nil before any planned busy time.
    public var oee: Double?
    public var availability: Double?
    public var effectiveness: Double?
    public var quality: Double?
    /// Units finished there since the start.
    public var completed: Int
}

public struct MachineLiveView: Codable, Sendable, Equatable {
    public var name: String
    /// `busy`, `setup`, `idle`, `blocked`, `down`, `planned stop`.
    public var state: String
    /// Since when, simulated seconds.
    public var since: Double
    /// The units on it.
    public var units: [Int]
    /// Down with a technician at it (a repair command can end the repair now).
    public var underRepair: Bool
}

public struct LineView: Codable, Sendable, Equatable {
    /// Units in the plant, of which on hold.
    public var workInProcess: Int
    public var onHold: Int
    public var released: Int
    public var shipped: Int
    public var scrapped: Int
    /// Units shipped in the last simulated hour.
    public var shippedLastHour: Int
    /// The equipment roll-up since the warm-up (every machine's time, ISO 22400-2).
    public var oee: Double?
    public var availability: Double?
    public var effectiveness: Double?
    public var quality: Double?
    /// The dispatching rule and release policy in force.
    public var dispatch: String
    public var release: String
}

public struct OrderView: Codable, Sendable, Equatable {
    public var id: String
    public var product: String
    public var quantity: Int
    public var shipped: Int
    public var inProcess: Int
    /// ISA-95 job-order state: planned, released, running, held, completed, closed, aborted.
    public var state: String
    public var arrival: Double
    public var due: Double
    /// Past its due date and not ended, or ended after it.
    public var late: Bool
    public var onHold: Bool
    public var priority: Double
}

public struct DecisionView: Codable, Sendable, Equatable {
    /// The audit entry's number in the session.
    public var seq: Int
    public var time: Double
    public var actor: String
    public var action: String
    public var subject: String
    /// For a supervisor: `rule placement-defects held station place for 20 min (aoi.fail_rate(last: 1h) = 0.061 > 0.02)`.
    public var text: String
}

public struct HistoryPoint: Codable, Sendable, Equatable {
    public var time: Double
    public var workInProcess: Int
    /// Units shipped since the start.
    public var shipped: Int
}

public struct ExerciseView: Codable, Sendable, Equatable {
    public var title: String
    /// Steps done and in all.
    public var step: Int
    public var steps: Int
    /// The trainer's note and the question to the room of the last pause reached, if any.
    public var note: String?
    public var question: String?
    /// When the next pause comes, simulated seconds.
    public var nextPause: Double?
}
