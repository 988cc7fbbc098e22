import TaktKernel

/// When a station is planned to work: planned stops (shift off, breaks) repeating every
/// ``cycle`` (a day, usually).
///
/// The break rule: a unit in process **pauses** when a stop begins and resumes with exactly
/// its remaining time when the stop ends, so the planned-stop time equals the stops' length
/// and no work is lost or repeated. Repairs already under way go on through a stop.
public struct WorkCalendar: Sendable {
    /// One planned stop within a cycle.
    public struct Stop: Sendable, Equatable {
        /// Offset from the start of the cycle, seconds, in [0, cycle).
        public var start: SimTime
        /// Length in seconds; may run past the end of the cycle (a night shift-off from 22:00
        /// to 06:00 starts at 22:00 and lasts 8 hours).
        public var length: SimTime

        /// A stop of `length` seconds starting `start` seconds into the cycle.
        public init(start: SimTime, length: SimTime) {
            self.start = start
            self.length = length
        }
    }

    /// A shift: when it starts in the cycle, how long it lasts, and its breaks.
    public struct Shift: Sendable {
        /// Offset from the start of the cycle, seconds.
        public var start: SimTime
        /// Length in seconds.
        public var length: SimTime
        /// Breaks as (offset from the start of the cycle, length), in seconds.
        public var breaks: [(at: SimTime, length: SimTime)]
        /// Its name (`early`), for reports.
        public var name: String

        /// A shift from `start` for `length` seconds with `breaks`.
        public init(
            start: SimTime, length: SimTime, breaks: [(at: SimTime, length: SimTime)] = [], name: String = ""
        ) {
            self.start = start
            self.length = length
            self.breaks = breaks
            self.name = name
        }
    }

    /// The calendar's name, e.g. `two-shift`.
    public var name: String
    /// The period after which the stops repeat, seconds.
    public var cycle: SimTime
    /// The planned stops of one cycle, in order of start.
    public var stops: [Stop]

    /// A calendar with explicit stops.
    public init(name: String, cycle: SimTime = TimeUnit.day, stops: [Stop]) {
        self.name = name
        self.cycle = cycle
        self.stops = stops.sorted { $0.start < $1.start }
    }

    /// A calendar from shifts and their breaks: everything outside a shift, and every break,
    /// is a planned stop. Adjacent stops merge, across midnight too.
    public init(name: String, cycle: SimTime = TimeUnit.day, shifts: [Shift]) {
        func mod(_ t: SimTime) -> SimTime {
            let r = t.truncatingRemainder(dividingBy: cycle)
            return r < 0 ? r + cycle : r
        }
        func covers(_ start: SimTime, _ length: SimTime, _ t: SimTime) -> Bool {
            let offset = mod(t - start)
            return offset < length
        }
        var points = Set<SimTime>([0])
        for shift in shifts {
            points.insert(mod(shift.start))
            points.insert(mod(shift.start + shift.length))
            for pause in shift.breaks {
                points.insert(mod(pause.at))
                points.insert(mod(pause.at + pause.length))
            }
        }
        let sorted = points.sorted()
        var segments: [(start: SimTime, length: SimTime, working: Bool)] = []
        for (index, start) in sorted.enumerated() {
            let end = index + 1 < sorted.count ? sorted[index + 1] : cycle
            let middle = (start + end) / 2
            let working = shifts.contains { shift in
                covers(shift.start, shift.length, middle)
                    && !shift.breaks.contains { covers($0.at, $0.length, middle) }
            }
            segments.append((start, end - start, working))
        }
        var stops: [Stop] = []
        for segment in segments where !segment.working {
            if let last = stops.last, last.start + last.length == segment.start {
                stops[stops.count - 1].length += segment.length
            } else {
                stops.append(Stop(start: segment.start, length: segment.length))
            }
        }
        // A stop reaching the end of the cycle continues into the one starting at 0.
        if stops.count > 1, let last = stops.last, last.start + last.length == cycle, stops[0].start == 0 {
            stops[stops.count - 1].length += stops[0].length
            stops.removeFirst()
        }
        self.init(name: name, cycle: cycle, stops: stops)
        self.shifts = shifts
    }

    /// The shifts it was built from (empty when given as stops), for per-shift reporting.
    public var shifts: [Shift] = []

    /// The share of each cycle that is planned stop.
    public var plannedStopShare: Double { stops.reduce(0) { $0 + $1.length } / cycle }
}
