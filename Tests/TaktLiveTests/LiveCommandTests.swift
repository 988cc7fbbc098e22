import Foundation
import Testing
import TaktExperiment
import TaktLive
import TaktMES
import TaktScenario

@Suite("Commands in a live session")
struct LiveCommandTests {
    @Test("failing a station puts its machines down at once, audited with the trainer and the reason")
    func failStation() throws {
        let scenario = try flagship()
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        try session.advance(to: 30_000)
        let entry = try session.perform(
            "fail station reflow for 2h", actor: "trainer", reason: "a heater element fails")
        #expect(entry.time == 30_000)
        let reflow = try #require(session.snapshot(status: "paused", speed: nil).stations.first { $0.name == "reflow" })
        #expect(reflow.machines.allSatisfy { $0.state == "down" })
        let audited = try #require(session.auditTrail.last { $0.action == "fail-station" })
        #expect(audited.actor == "trainer" && audited.reason == "a heater element fails")
        #expect(audited.subject == "station reflow" && audited.new == "down for 7200.0 s")
        #expect(audited.time == 30_000)
        // Two hours later the repair is done.
        try session.advance(to: 30_000 + 7_200 + 1)
        let repaired = try #require(
            session.snapshot(status: "paused", speed: nil).stations.first { $0.name == "reflow" })
        #expect(repaired.machines.allSatisfy { $0.state != "down" })
    }

    @Test("repairing a machine ends its repair now; one that is not down is refused")
    func repairMachine() throws {
        let scenario = try flagship()
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        try session.advance(to: 30_000)  // 08:20, in the early shift
        let state = session.snapshot(status: "paused", speed: nil).stations[2].machines[0].state
        #expect(state != "down")
        #expect(
            throws: LiveCommandError(.conflict, "machine place-1 is not down (it is \(state)): nothing to repair")
        ) {
            try session.perform("repair machine place-1", actor: "trainer", reason: "")
        }
        try session.perform("fail machine place-1 for 3h", actor: "trainer", reason: "feeder jam")
        #expect(session.snapshot(status: "paused", speed: nil).stations[2].machines[0].state == "down")
        try session.advance(to: 30_600)
        try session.perform("repair machine place-1", actor: "trainer", reason: "fixed early")
        let place = session.snapshot(status: "paused", speed: nil).stations[2].machines[0]
        #expect(place.state != "down")
        #expect(session.auditTrail.contains { $0.action == "repair-machine" && $0.time == 30_600 })
    }

    @Test("a text that is not an action of the scenario is refused with the nearest name, and changes nothing")
    func unknownNames() throws {
        let scenario = try flagship()
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        try session.advance(to: 1_000)
        let before = session.auditTrail.count
        #expect(
            throws: LiveCommandError(
                .badRequest, "`fail station reflw for 2h`: unknown station `reflw` (did you mean `reflow`?)")
        ) {
            try session.perform("fail station reflw for 2h", actor: "trainer", reason: "")
        }
        #expect(throws: LiveCommandError.self) { try session.perform("explode reflow", actor: "trainer", reason: "") }
        #expect(throws: LiveCommandError.self) {
            try session.perform("mark lot wifi-soc/3 bad with p 0.3", actor: "trainer", reason: "")
        }
        #expect(session.auditTrail.count == before && session.log.entries.isEmpty)
    }

    @Test("marking a lot bad during the session recalls it: quarantined, scoped, units held")
    func markLotBad() throws {
        let scenario = try flagship(["horizon=5d"])
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        // Lots of 3000 chips, about 64 boards an hour: lot 2 is in use on day 3.
        try session.advance(to: 3 * 86_400)
        try session.perform("mark lot wifi-soc/2 bad", actor: "trainer", reason: "supplier call")
        let actions = session.auditTrail.filter { $0.time == 3 * 86_400 }.map(\.action)
        #expect(actions.first == "mark-lot-bad")
        #expect(actions.contains("quarantine-lot"))
        #expect(actions.contains("hold-unit"))
    }

    @Test("the dispatching rule and the release policy can be switched, and the view says so")
    func switchPolicies() throws {
        let scenario = try flagship()
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        try session.advance(to: 10_000)
        try session.perform("dispatch spt", actor: "trainer", reason: "")
        try session.perform("set release conwip 20", actor: "trainer", reason: "")
        let line = session.snapshot(status: "paused", speed: nil).line
        #expect(line.dispatch == "spt")
        #expect(line.release == "conwip(cap: 20)")
    }
}

@Suite("Replaying a session")
struct ReplayTests {
    @Test("the log replays byte for byte: the same results and the same audit trail")
    func replay() throws {
        let scenario = try flagship()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logPath = directory.appendingPathComponent("session.log").path
        let session = try LiveSession(scenario: scenario, header: header(scenario), logPath: logPath)
        try session.advance(to: 20_000.5)
        try session.perform("fail station reflow for 1h", actor: "trainer", reason: "heater")
        for _ in 0..<13 { try session.stepEvent() }
        // A command right after single steps, at the time of the last event run.
        try session.perform("hold station print for 30m", actor: "Ada <ada@example.com>", reason: "look at paste")
        session.record(control: "speed 600", actor: "trainer")
        try session.advance(to: 100_000)
        try session.perform("add urgent order router-ax1800 x 50 due 8h", actor: "trainer", reason: "customer")
        try session.stepToDecision()
        try session.perform("dispatch edd", actor: "trainer", reason: "")
        try session.advance(to: scenario.horizon)
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let log = try SessionLog.read(text, path: logPath)
        #expect(log == session.log)
        #expect(log.actions.count == 4)
        let replayed = try LiveSession.replay(log, scenario: scenario)
        #expect(replayed.auditTrail == session.auditTrail)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(replayed.results) == encoder.encode(session.results))
        #expect(session.auditTrail.contains { $0.actor == "Ada <ada@example.com>" && $0.action == "hold-station" })
    }

    @Test("a log of another seed is refused with both seeds named")
    func otherSeed() throws {
        let scenario = try flagship()
        var log = SessionLog(header: header(scenario))
        log.header.seed = 7
        #expect(throws: SessionLogError.self) { try LiveSession.replay(log, scenario: scenario) }
    }

    @Test("a log that is not one, or whose entries go back in time, is refused at its line")
    func badLogs() throws {
        #expect(throws: SessionLogError("s.log: the file is empty; a session log starts with its header line")) {
            try SessionLog.read("", path: "s.log")
        }
        #expect(throws: SessionLogError.self) { try SessionLog.read("hello\n", path: "s.log") }
        let scenario = try flagship()
        var log = SessionLog(header: header(scenario))
        log.entries = [
            .init(time: 10, events: 5, actor: "trainer", action: "dispatch spt"),
            .init(time: 5, events: 3, actor: "trainer", action: "dispatch edd"),
        ]
        do {
            _ = try SessionLog.read(log.text, path: "s.log")
            Issue.record("an entry going back in time was read")
        } catch {
            #expect(error.description.hasPrefix("s.log:3: time 5.0 s comes before the entry above it (10.0 s)"))
        }
    }
}

@Suite("The live view")
struct LiveViewTests {
    @Test("a snapshot of the flagship shows every station and machine, and is under 50 KB as JSON")
    func snapshotSize() throws {
        let scenario = try flagship(["horizon=14d"])
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        try session.advance(to: 10 * 86_400)
        let snapshot = session.snapshot(status: "running", speed: 60)
        #expect(snapshot.stations.map(\.name) == scenario.layout.stations.map(\.name))
        #expect(snapshot.stations.reduce(0) { $0 + $1.machines.count } == scenario.equipment.machineNames.count)
        #expect(!snapshot.orders.isEmpty && !snapshot.decisions.isEmpty && snapshot.history.count > 100)
        #expect(snapshot.clock.day == 11 && snapshot.clock.time == "00:00")
        let size = try JSONEncoder().encode(snapshot).count
        print("flagship live snapshot: \(size) bytes")
        #expect(size < 50_000)
    }

    @Test("the clock gives the day, the time of day and the shift of the line's calendar")
    func shiftClock() throws {
        let scenario = try flagship()
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        // smt-router-line.yaml: early 06:00–14:00, late 14:00–22:00.
        try session.advance(to: 86_400 + 7 * 3_600 + 90)
        #expect(session.snapshot(status: "", speed: nil).clock == ShiftClock(day: 2, time: "07:01", shift: "early"))
        try session.advance(to: 86_400 + 23 * 3_600)
        #expect(session.snapshot(status: "", speed: nil).clock == ShiftClock(day: 2, time: "23:00", shift: nil))
    }

    @Test("an exercise pauses the session at its steps with the trainer's note and question")
    func exercisePauses() throws {
        // The flagship without its own exercise, and this one instead.
        let flagshipText = try String(
            contentsOfFile: "\(repositoryRoot)/scenarios/smt-router-line.yaml", encoding: .utf8)
        let yaml =
            String(flagshipText[..<(flagshipText.range(of: "\nexercise:")?.lowerBound ?? flagshipText.endIndex)])
                + """

                exercise:
                  title: A test
                  steps:
                    - { at: 2h, note: "Look at the printer", question: "Why is it busy?" }
                    - { at: 3h, do: "fail station reflow for 1h" }
                    - { at: 5h, pause: true }
                """
        let scenario = try ScenarioReader.parse(
            yaml: yaml, file: "x.yaml", directory: "\(repositoryRoot)/scenarios", overrides: ["horizon=2d"])
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        let first = try session.advance(to: 2 * 86_400, pausing: true)
        #expect(first?.note == "Look at the printer" && session.now == 7_200)
        #expect(session.snapshot(status: "paused", speed: nil).exercise?.question == "Why is it busy?")
        let second = try session.advance(to: 2 * 86_400, pausing: true)
        #expect(second?.time == 18_000 && session.now == 18_000)
        #expect(
            session.auditTrail.contains { $0.actor == "exercise" && $0.action == "fail-station" && $0.time == 10_800 })
        #expect(try session.advance(to: 2 * 86_400, pausing: true) == nil)
        #expect(session.isFinished)
    }

    @Test("the flagship's exercise, the bad chip lot, pauses before and after the recall it discusses")
    func flagshipExercise() throws {
        let scenario = try flagship([])
        let exercise = try #require(scenario.exercise)
        #expect(exercise.title == "The bad chip lot" && exercise.steps.allSatisfy { $0.actions.isEmpty })
        let session = try LiveSession(scenario: scenario, header: header(scenario))
        var pauses: [Double] = []
        while let step = try session.advance(to: 6 * 86_400, pausing: true) { pauses.append(step.time) }
        // 1d 06:30 = 86 400 + 23 400 s; 3d 23:45 = 259 200 + 85 500; 4d 00:05; 4d 08:05; 4d 10:00
        #expect(pauses == [109_800, 344_700, 345_900, 374_700, 381_600])
        // Between the second and third pause the supplier's call came: the lot was quarantined.
        #expect(session.auditTrail.contains { $0.action == "quarantine-lot" && $0.time == 345_600 })
    }
}
