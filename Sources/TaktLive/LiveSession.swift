import Foundation
import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

/// One replication of a scenario with its MES, advanced in slices of simulated time, with
/// commands taken between slices at the current simulated time: the live core that a
/// browser dashboard, a replay or later façades (MQTT, agents) drive.
///
/// Deterministic: the events run do not depend on where the slices end (the kernel's
/// `run(until:)` runs the events strictly before its end), and a command takes effect after
/// exactly the events run so far — the log records their count, so a replay of the log
/// reproduces the session event for event. Not thread-safe: one owner drives it (the
/// ``LiveRunner`` actor, or a replay).
public final class LiveSession {
    public let scenario: Scenario
    public let replication: Int
    let model: any LiveModel
    /// Every command so far.
    public private(set) var log: SessionLog
    let logFile: SessionLogFile?
    /// Every audit entry of the MES so far, in order.
    public private(set) var auditTrail: [AuditEntry] = []
    var drained: [AuditEntry] = []
    /// The last decisions in words (routine ones left out: ``isShown(_:)``), oldest first.
    var decisions: [DecisionView] = []
    /// WIP and output every ``historyStep``, over the last ``historyLength``.
    var history: [HistoryPoint] = []
    var nextSample = 0.0
    var warmedUp: Bool
    /// The exercise's steps reached so far, and the last pause's note and question.
    var stepsReached = 0
    var pauseNote: (note: String?, question: String?)?
    /// The dispatching rule and release policy in force (they change by command).
    var dispatch: String
    var release: String
    /// Resolves command texts to MES actions over the scenario's names.
    let vocabulary: LiveVocabulary
    /// The results, once the horizon is reached.
    public private(set) var results: ExperimentResults?

    static let historyStep = 300.0
    static let historyLength = 12 * 3_600.0
    static let decisionsKept = 30

    /// Starts replication `replication` of `scenario` (which needs an `mes:` section: commands
    /// go through the MES), recording its commands under `header`, also to `logPath` if given.
    public init(scenario: Scenario, replication: Int = 0, header: SessionLog.Header, logPath: String? = nil) throws {
        guard let mes = scenario.mes else {
            throw LiveCommandError(
                .badRequest,
                "\(scenario.file): a live session needs an `mes:` section: every command goes through the MES")
        }
        var scenario = scenario
        // A trainer may break any machine down, so every station can stop mid-unit.
        for s in scenario.layout.stations.indices { scenario.layout.stations[s].interruptible = true }
        self.scenario = scenario
        self.replication = replication
        model = try scenario.visitDispatchRule(LiveModelBuilder(scenario: scenario, replication: replication))
        log = SessionLog(header: header)
        logFile = try logPath.map { try SessionLogFile(path: $0, header: header) }
        warmedUp = scenario.warmup <= 0
        dispatch = "\(mes.dispatch)"
        release = Self.describe(mes.settings.release)
        let names = scenario.layout
        vocabulary = LiveVocabulary(
            stations: names.stations.map(\.name), materials: names.materials.map(\.name),
            products: names.products.map(\.name), variables: mes.settings.rules.variables.map(\.name),
            orders: mes.settings.orderBook.map(\.name), defects: names.defectTypes,
            machines: scenario.equipment.machineNames)
        sample()
    }

    /// Simulated seconds since time 0.
    public var now: Double { model.now }
    /// Events run so far.
    public var executedEvents: UInt64 { model.executedEvents }
    public var isFinished: Bool { results != nil || failure != nil }
    /// Why the run was given up, if it was.
    public var failure: String? { model.abortReason }

    /// When the next pause of the exercise comes, if any is left.
    public var nextPause: Double? {
        scenario.exercise?.steps[stepsReached...].first { $0.pause }?.time
    }

    /// Advances to `time` (at most the horizon). With `pausing`, stops at the exercise's next
    /// pause on the way and returns it; returns nil when it reached `time`.
    @discardableResult
    public func advance(to time: Double, pausing: Bool = false) throws -> Exercise.Step? {
        guard !isFinished else { return nil }
        var target = min(time, scenario.horizon)
        var pause: Exercise.Step?
        if pausing, let at = nextPause, at <= target {
            target = at
            pause = scenario.exercise?.steps[stepsReached...].first { $0.pause }
        }
        // Cut at the history's sample times and at the end of the warm-up (where the
        // statistics restart, as in a batch run); cuts change no event.
        while now < target, failure == nil {
            let end = min(target, nextSample, warmedUp ? .infinity : scenario.warmup)
            model.run(until: end)
            if !warmedUp, now >= scenario.warmup {
                model.endWarmup(at: scenario.warmup)
                warmedUp = true
            }
            if now >= nextSample { sample() }
        }
        passSteps(through: now)
        if let pause { pauseNote = (pause.note, pause.question) }
        try settle()
        return pause
    }

    /// Runs one event (never past the horizon), ending the warm-up first when it comes.
    public func stepEvent() throws {
        guard !isFinished else { return }
        guard let next = model.nextEventTime(), next < scenario.horizon else {
            try advance(to: scenario.horizon)
            return
        }
        if !warmedUp, next >= scenario.warmup { try advance(to: scenario.warmup) }
        model.runOneEvent()
        if now >= nextSample { sample() }
        passSteps(through: now)
        try settle()
    }

    /// Runs events until the MES records a decision other than dispatching, at most
    /// `limit` simulated seconds ahead (one day by default).
    public func stepToDecision(limit: Double = 86_400) throws {
        let end = min(scenario.horizon, now + limit)
        let before = decisions.last?.seq ?? 0
        while !isFinished, now < end, (decisions.last?.seq ?? 0) == before {
            guard let next = model.nextEventTime(), next < end else {
                try advance(to: end)
                return
            }
            try stepEvent()
        }
    }

    /// Carries out `text` — an MES action in the incident language (`fail station reflow for
    /// 2h`, `hold lot wifi-soc/3`, `add urgent order router-ax3000 x 20 due 8h`) — at the
    /// current simulated time, audited as `actor` with `reason`, and logs it.
    ///
    /// - Throws: ``LiveCommandError`` when the text is not an action of this scenario, or
    ///   the plant cannot do it now (a machine to repair that is not down); nothing changes.
    @discardableResult
    public func perform(_ text: String, actor: String, reason: String) throws(LiveCommandError) -> SessionLog.Entry {
        guard !isFinished else { throw LiveCommandError(.conflict, "the session has reached its horizon") }
        let actions = try parse(text)
        try checkFeasible(actions)
        let entry = SessionLog.Entry(
            time: now, events: executedEvents, actor: actor, action: text, reason: reason)
        model.submit(actions, actor: actor, reason: reason)
        log.entries.append(entry)
        logFile?.append(entry)
        // The command's own event runs now, before anything else that is due later.
        do { try runDueCommand() } catch { throw LiveCommandError(.conflict, "\(error)") }
        return entry
    }

    /// Records a control of the session (pause, resume, a speed): it changes no result.
    public func record(control: String, actor: String) {
        let entry = SessionLog.Entry(time: now, events: executedEvents, actor: actor, control: control)
        log.entries.append(entry)
        logFile?.append(entry)
    }

    /// The actions of `text`, or why it is not one.
    func parse(_ text: String) throws(LiveCommandError) -> [RuleAction] {
        var vocabulary = vocabulary
        let action: RuleAction
        do throws(RuleError) {
            action = try vocabulary.action(RuleParser.command(text), incident: true)
        } catch {
            let hint = error.suggestion.map { " (did you mean `\($0)`?)" } ?? ""
            throw LiveCommandError(.badRequest, "`\(text)`: \(error.message)\(hint)")
        }
        switch action {
        case .set(_, _):
            throw LiveCommandError(
                .badRequest, "`\(text)`: a trainer sets the MES's variables through its rules, not directly")
        case .holdUnit(let serial) where serial == 0:
            throw LiveCommandError(.badRequest, "`\(text)`: name the unit, as in `hold unit 120`")
        case .markLotBad(_, _, let probability, _) where probability > 0:
            throw LiveCommandError(
                .badRequest,
                "`\(text)`: a lot's defect probability is part of the plant from the start: give `mark lot … bad with p …` as a scripted incident or exercise step; during a session, `mark lot … bad` recalls the lot"
            )
        default:
            return [action]
        }
    }

    /// Refuses what the plant cannot do now.
    func checkFeasible(_ actions: [RuleAction]) throws(LiveCommandError) {
        let machines = model.machineViews()
        let names = scenario.equipment.machineNames
        for case .repairMachine(let machine) in actions {
            let view = machines[Int(machine)]
            guard view.state == .down else {
                throw LiveCommandError(
                    .conflict, "machine \(names[Int(machine)]) is not down (it is \(view.state)): nothing to repair")
            }
            guard view.underRepair else {
                throw LiveCommandError(
                    .conflict,
                    "machine \(names[Int(machine)]) waits for a technician: its repair starts when one is free")
            }
        }
    }

    /// Runs the events due at the current instant that a command scheduled.
    func runDueCommand() throws {
        while let next = model.nextEventTime(), next <= now, failure == nil {
            model.runOneEvent()
        }
        try settle()
    }

    /// Takes the MES's new audit entries and, at the horizon, the results.
    func settle() throws {
        model.drainAudit(into: &drained)
        for entry in drained {
            auditTrail.append(entry)
            guard Self.isShown(entry) else { continue }
            decisions.append(
                DecisionView(
                    seq: auditTrail.count, time: entry.time, actor: entry.actor, action: entry.action,
                    subject: entry.subject, text: DecisionWording.text(entry)))
            if entry.action == "dispatch-rule" { dispatch = entry.new }
            if entry.action == "set-release" || entry.action == "set-wip-cap", !entry.new.hasPrefix("ignored") {
                release = entry.action == "set-wip-cap" ? "conwip(cap: \(entry.new))" : entry.new
            }
        }
        if decisions.count > Self.decisionsKept { decisions.removeFirst(decisions.count - Self.decisionsKept) }
        if let failure { throw LiveCommandError(.conflict, "the run was given up: \(failure)") }
        if results == nil, now >= scenario.horizon {
            results = Experiment.summarise(scenario, [try model.finish()])
        }
    }

    /// Steps of the exercise at or before `time` count as reached.
    func passSteps(through time: Double) {
        guard let steps = scenario.exercise?.steps else { return }
        while stepsReached < steps.count, steps[stepsReached].time <= time { stepsReached += 1 }
    }

    /// Records WIP and output now, and when the next sample is due.
    func sample() {
        let counts = model.counts
        history.append(
            HistoryPoint(
                time: now, workInProcess: counts.released - counts.shipped - counts.scrapped,
                shipped: counts.shipped))
        let oldest = now - Self.historyLength
        if let first = history.firstIndex(where: { $0.time >= oldest }), first > 0 { history.removeFirst(first) }
        nextSample = (now / Self.historyStep).rounded(.down) * Self.historyStep + Self.historyStep
    }

    static func describe(_ policy: ReleasePolicy) -> String { "\(policy)" }

    /// Whether the ticker shows `entry`: every decision but the routine ones — dispatching,
    /// releasing a unit, and an order's moves to released or running.
    static func isShown(_ entry: AuditEntry) -> Bool {
        switch entry.action {
        case "dispatch", "release": false
        case "order-state": ["held", "completed", "closed", "aborted"].contains(entry.new)
        default: true
        }
    }
}

/// A command a live session refused, and how the server answers it.
public struct LiveCommandError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The HTTP status family: a malformed command, or one the session cannot carry out now.
    public enum Kind: Sendable, Equatable {
        case badRequest, conflict
    }
    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
