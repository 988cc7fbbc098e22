import Foundation
import Testing
import TaktExperiment
import TaktPlant
import TaktReport
import TaktScenario

@Suite("The run trace behind the charts")
struct TraceTests {
    @Test("recording a trace does not change any result")
    func recordingChangesNothing() async throws {
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["replications=2", "horizon=3d"])
        let plain = try await Experiment.run(scenario)
        var traced = try await Experiment.run(scenario, trace: TraceSettings())
        #expect(traced.trace != nil)
        traced.trace = nil
        #expect(traced == plain)
    }

    @Test("active periods: the longer one is the bottleneck, and an overlap makes both shifting")
    func bottleneck() {
        // Station 0 active 0–10 s, station 1 active 5–30 s; observed 0–30 s in 1 s samples.
        // 0–5: only 0 is active → 0 is the bottleneck; 5–30: 1's period (25 s) is longer → 1.
        // The periods overlap 5–10: both are shifting bottlenecks there (5 s each). Sole time:
        // station 0 for 0–5, station 1 for 10–30.
        let changes: [(time: Double, machine: Int32, element: TimeElement)] = [
            (0, 0, .production), (5, 1, .production), (10, 0, .starved), (30, 1, .starved),
        ]
        let shares = ActivePeriodBottleneck.shares(
            changes, stationOfMachine: [0, 1], stations: 2, from: 0, to: 30, step: 1)
        #expect(abs(shares[0].sole - 5.0 / 30) < 1e-12)
        #expect(abs(shares[0].shifting - 5.0 / 30) < 1e-12)
        #expect(abs(shares[1].sole - 20.0 / 30) < 1e-12)
        #expect(abs(shares[1].shifting - 5.0 / 30) < 1e-12)
    }

    @Test("a station of parallel machines is active only while all of them are")
    func parallelMachines() {
        // Machines 0 and 1 form station 0: both busy only 4–6 s.
        let changes: [(time: Double, machine: Int32, element: TimeElement)] = [
            (0, 0, .production), (4, 1, .production), (6, 0, .starved), (9, 1, .blocked),
        ]
        let shares = ActivePeriodBottleneck.shares(
            changes, stationOfMachine: [0, 0], stations: 1, from: 0, to: 10, step: 0.5)
        #expect(abs(shares[0].sole - 0.2) < 1e-12)
    }

    @Test("each timeline column shows the time element that took most of it")
    func timelineDownsampling() {
        // One machine, 0–40 s in columns of 10 s: producing 0–14, blocked 14–16, producing
        // 16–24, broken down 24–40. Columns: production, production (6 of 10 s), breakdown
        // (6 of 10 s), breakdown.
        let changes: [(time: Double, machine: Int32, element: TimeElement)] = [
            (0, 0, .production), (14, 0, .blocked), (16, 0, .production), (24, 0, .breakdown),
        ]
        let spans = RunTrace.timelines(changes, machines: 1, from: 0, to: 40, resolution: 10)[0]
        #expect(spans.map(\.state) == [TimeElement.production.rawValue, TimeElement.breakdown.rawValue])
        #expect(spans.map(\.start) == [0, 20])
        #expect(spans.map(\.end) == [20, 40])
    }

    @Test("the timeline covers the window asked for, clipped to the horizon")
    func timelineWindow() async throws {
        let scenario = try ScenarioReader.load(
            path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["replications=2", "horizon=3d"])
        let chosen = try await Experiment.run(
            scenario, trace: TraceSettings(timelineStart: 30 * 3_600, timelineLength: 8 * 3_600))
        let trace = try #require(chosen.trace)
        #expect(trace.timelineStart == 30 * 3_600 && trace.timelineEnd == 38 * 3_600)
        #expect(trace.timeline.allSatisfy { $0.first?.start == 30 * 3_600 && $0.last?.end == 38 * 3_600 })
        let clipped = try #require(
            try await Experiment.run(
                scenario, trace: TraceSettings(timelineStart: 60 * 3_600, timelineLength: 1_000_000)
            )
            .trace)
        #expect(clipped.timelineEnd == scenario.horizon)
    }

    @Test("good units are counted in the shift they shipped in")
    func perShift() async throws {
        let results = try await shortRun("smt-router-line")
        let trace = try #require(results.trace)
        #expect(trace.shiftsFromCalendar)
        #expect(trace.shifts.map(\.label).prefix(2) == ["day 2 early", "day 2 late"])
        // Every shift lies in the window, early 06:00–14:00 and late 14:00–22:00.
        for shift in trace.shifts {
            #expect(shift.start >= results.warmup && shift.end <= results.horizon)
            #expect(shift.end - shift.start == 8 * 3_600)
        }
        // Nothing ships off shift, so the shifts hold every good unit shipped in the window.
        let good = try #require(results.kpi("throughput")).values[0] * (results.horizon - results.warmup) / 3_600
        #expect(abs(Double(trace.shifts.reduce(0) { $0 + $1.good }) - good) < 0.5)
    }
}

@Suite("The timeline shows the time model")
struct TimelineElementTests {
    @Test("an MES hold is drawn in its own colour and pattern, not the grey of planned down time")
    func mesHoldHasItsOwnColour() async throws {
        let yaml = """
            name: held
            horizon: 1d
            replications: 1
            stations:
              - { id: press, cycle: const(60s), calendar: day }
            products:
              - { id: part, route: [press] }
            calendars:
              - name: day
                shifts:
                  - { start: "06:00", length: 16h }
            mes:
              orders: { generate: { every: const(30s), quantity: 1, due_in: 1d, product: part } }
            incidents:
              - { at: 0d 10:00, do: hold station press for 2h }
            """
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "held.yaml")
        let results = try await Experiment.run(scenario, trace: TraceSettings())
        let trace = try #require(results.trace)
        let spans = trace.timeline[0]
        let held = spans.filter { $0.state == TimeElement.mesHold.rawValue }
        // One stretch: from the end of the unit in process (at most 60 s after 10:00) for 2 h,
        // to the nearest column.
        #expect(held.count == 1)
        #expect(abs((held.first?.start ?? 0) - 10 * 3_600) <= 60 + trace.timelineResolution)
        #expect(abs((held.first.map { $0.end - $0.start } ?? 0) - 2 * 3_600) <= 2 * trace.timelineResolution)
        #expect(spans.contains { $0.state == TimeElement.offShift.rawValue })
        let svg = TimelineChart.svg(trace)
        #expect(svg.contains("fill=\"url(#element-\(TimeElement.mesHold.rawValue))\""))
        #expect(svg.contains("<pattern id=\"element-\(TimeElement.mesHold.rawValue)\""))
        #expect(svg.contains("fill=\"#6a1b9a\""))
        #expect(svg.contains("fill=\"url(#element-\(TimeElement.offShift.rawValue))\""))
    }
}
