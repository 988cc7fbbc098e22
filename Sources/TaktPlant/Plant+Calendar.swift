import TaktKernel

extension Plant {
    /// Schedules each work calendar's first stop; a stop that runs over midnight into time 0
    /// is in force from the start.
    @inlinable
    mutating func scheduleWorkCalendars(calendar: inout EventCalendar<PlantEvent>) {
        for (c, work) in layout.calendars.enumerated() where !work.stops.isEmpty {
            if let last = work.stops.last, last.start + last.length > work.cycle {
                // The previous cycle's last stop still covers time 0.
                for station in layout.stationsOnCalendar[c] { stopStation(station, calendar: &calendar) }
                calendar.schedule(
                    .plannedStopEnds(calendar: Int32(c)), at: last.start + last.length - work.cycle, priority: .urgent)
            }
            calendar.schedule(
                .plannedStopBegins(calendar: Int32(c), stop: 0), at: work.stops[0].start, priority: .urgent)
        }
    }

    @inlinable
    mutating func plannedStopBegins(_ c: Int32, stop k: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let work = layout.calendars[Int(c)]
        let stop = work.stops[Int(k)]
        let cycleStart = calendar.now - stop.start
        calendar.schedule(.plannedStopEnds(calendar: c), after: stop.length, priority: .urgent)
        let next = Int(k) + 1 < work.stops.count ? Int(k) + 1 : 0
        let nextStart = next == 0 ? cycleStart + work.cycle + work.stops[0].start : cycleStart + work.stops[next].start
        calendar.schedule(.plannedStopBegins(calendar: c, stop: Int32(next)), at: nextStart, priority: .urgent)
        for station in layout.stationsOnCalendar[Int(c)] { stopStation(station, calendar: &calendar) }
    }

    @inlinable
    mutating func plannedStopEnds(_ c: Int32, calendar: inout EventCalendar<PlantEvent>) {
        for station in layout.stationsOnCalendar[Int(c)] {
            let first = Int(layout.firstMachine[Int(station)])
            for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) { machines[m].offShift = false }
            operatorShift(at: station, onShift: true, at: calendar.now)
            for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) {
                let machine = Int32(m)
                if machines[m].state == .plannedStop, !machines[m].holdRequested, machines[m].maintenancePending == 0 {
                    resume(machine, calendar: &calendar)
                } else {
                    // Still down, held or in maintenance: its time is no longer planned down.
                    reclassify(machine, at: calendar.now)
                }
            }
        }
    }

    /// Takes every machine of `station` off shift: work in process pauses (the break rule),
    /// idle and blocked machines stop; repairs and maintenance already under way go on.
    @inlinable
    mutating func stopStation(_ station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        operatorShift(at: station, onShift: false, at: calendar.now)
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) {
            let machine = Int32(m)
            machines[m].offShift = true
            let state = machines[m].state
            switch state {
            case .busy, .setup:
                interruptSegment(machine, calendar: &calendar)
                machines[m].interruptedState = state
                setState(machine, .plannedStop, at: calendar.now)
            case .idle, .blocked:
                machines[m].interruptedState = state
                setState(machine, .plannedStop, at: calendar.now)
            case .down, .plannedStop:
                // A repair, hold or maintenance goes on, but the time is planned down now.
                reclassify(machine, at: calendar.now)
            }
        }
    }
}
