import Testing
import TaktKernel
import TaktPlant

@Suite("Work calendars: shifts and breaks")
struct WorkCalendarTests {
    static func pressWithStop(cycle: Double, failures: Failures? = nil) -> PlantLayout {
        var layout = Layouts.line([
            Station(name: "press", cycle: Layouts.const(cycle), failures: failures, calendar: 0)
        ])
        layout.calendars = [WorkCalendar(name: "c", cycle: 1_000, stops: [.init(start: 500, length: 100)])]
        return layout
    }

    @Test("a unit in process pauses at a break and resumes with exactly its remaining time")
    func breakPausesUnit() throws {
        // 150 s per unit; stop from 500 to 600 in every 1000 s. The fourth unit starts at 450,
        // has 100 s left at 500 and finishes at 700.
        let simulation = try run(Self.pressWithStop(cycle: 150), ScriptedController(onFirstFinish: []), until: 1_001)
        #expect(simulation.model.controller.finishTimes == [150, 300, 450, 700, 850, 1_000])
    }

    @Test("operating-time failures count no time during a break")
    func failureClockPausesDuringBreak() throws {
        // 100 s per unit; a failure after every 150 s of operation, 10 s repairs; stop from
        // 120 to 200. Unit 2 starts at 100 with 50 s to the failure; the stop at 120 leaves
        // 80 s of work and 30 s to the failure; it resumes at 200, fails at 230, is repaired
        // at 240 and finishes its last 50 s at 290.
        var layout = Layouts.line([
            Station(
                name: "press", cycle: Layouts.const(100),
                failures: Failures(between: Layouts.const(150), repair: Layouts.const(10)), calendar: 0)
        ])
        layout.calendars = [WorkCalendar(name: "c", cycle: 1_000, stops: [.init(start: 120, length: 80)])]
        let simulation = try run(layout, ScriptedController(onFirstFinish: []), until: 300)
        #expect(simulation.model.controller.finishTimes == [100, 290])
    }

    @Test("planned stop time equals the calendar's stops; the rest is work")
    func plannedStopShare() throws {
        let result = try PlantRun.replicate(
            Self.pressWithStop(cycle: 37), warmup: 1_000, runLength: 100_000, seed: 1, replication: 0)
        let share = result.stations[0].stateShare
        #expect(abs(share[MachineState.plannedStop.rawValue] - 0.1) < 1e-12)
        #expect(abs(share[MachineState.busy.rawValue] - 0.9) < 1e-12)
    }

    @Test("two shifts with breaks: 9.5 of 24 hours are planned stops, one of them over midnight")
    func twoShifts() {
        let h = TimeUnit.hour
        let calendar = WorkCalendar(
            name: "two-shift",
            shifts: [
                .init(start: 6 * h, length: 8 * h, breaks: [(9.5 * h, 0.25 * h), (12 * h, 0.5 * h)]),
                .init(start: 14 * h, length: 8 * h, breaks: [(17.5 * h, 0.25 * h), (20 * h, 0.5 * h)]),
            ])
        #expect(
            calendar.stops == [
                .init(start: 9.5 * h, length: 0.25 * h), .init(start: 12 * h, length: 0.5 * h),
                .init(start: 17.5 * h, length: 0.25 * h), .init(start: 20 * h, length: 0.5 * h),
                .init(start: 22 * h, length: 8 * h),
            ])
        #expect(abs(calendar.plannedStopShare - 9.5 / 24) < 1e-12)
    }

    @Test("a stop running over midnight holds the line from time 0")
    func stopInForceAtStart() throws {
        var layout = Layouts.line([Station(name: "press", cycle: Layouts.const(60), calendar: 0)])
        layout.calendars = [WorkCalendar(name: "night", cycle: 1_000, stops: [.init(start: 900, length: 300)])]
        let simulation = try run(layout, ScriptedController(onFirstFinish: []), until: 400)
        #expect(simulation.model.controller.finishTimes == [260, 320, 380])
    }

    @Test(
        "calendar mistakes are rejected with their key path",
        arguments: [
            (
                WorkCalendar(name: "c", cycle: 0, stops: []),
                "calendars[0].cycle: expected a period longer than 0; found 0.0"
            ),
            (
                WorkCalendar(name: "c", cycle: 100, stops: [.init(start: 120, length: 5)]),
                "calendars[0].stops[0].start: expected an offset from 0 to below the cycle 100.0; found 120.0"
            ),
            (
                WorkCalendar(name: "c", cycle: 100, stops: [.init(start: 10, length: 0)]),
                "calendars[0].stops[0].length: expected a length above 0; found 0.0"
            ),
            (
                WorkCalendar(
                    name: "c", cycle: 100, stops: [.init(start: 10, length: 30), .init(start: 30, length: 5)]),
                "calendars[0].stops[0]: overlaps or touches the next stop, or leaves no working time; merge touching stops into one"
            ),
        ])
    func rejected(_ row: (WorkCalendar, String)) {
        var layout = Layouts.line([Station(name: "s", cycle: Layouts.const(1), calendar: 0)])
        layout.calendars = [row.0]
        do {
            try layout.validate()
            Issue.record("no error for \(row.1)")
        } catch {
            #expect(error.description == row.1)
        }
    }

    @Test("a station naming an unknown calendar is rejected")
    func unknownCalendar() {
        let layout = Layouts.line([Station(name: "s", cycle: Layouts.const(1), calendar: 2)])
        #expect(throws: PlantLayoutError("stations[0].calendar", "no calendar number 2; there are 0")) {
            try layout.validate()
        }
    }
}
