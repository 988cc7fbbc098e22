import Foundation
import TaktExperiment
import TaktMES
import TaktScenario

/// Drives a ``LiveSession`` against the wall clock — paced (simulated seconds per wall
/// second) or as fast as it goes — takes controls and commands between slices, and publishes
/// the visible state to any number of viewers, coalesced, at most ``publishInterval`` apart.
public actor LiveRunner {
    /// How fast simulated time runs.
    public enum Speed: Sendable, Equatable, CustomStringConvertible {
        /// Simulated seconds per wall-clock second.
        case paced(Double)
        /// As fast as the simulation goes.
        case max

        /// Reads `60`, `60x`, `600×` or `max`.
        public static func parse(_ text: String) -> Speed? {
            let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
            if trimmed == "max" { return .max }
            var digits = trimmed
            if digits.hasSuffix("x") || digits.hasSuffix("×") { digits.removeLast() }
            guard let value = Double(digits), value > 0, value <= 1_000_000, value.isFinite else { return nil }
            return .paced(value)
        }

        public var description: String {
            switch self {
            case .paced(let rate): rate == rate.rounded() ? "\(Int(rate))" : "\(rate)"
            case .max: "max"
            }
        }

        var rate: Double? {
            if case .paced(let rate) = self { return rate }
            return nil
        }
    }

    /// What a step runs.
    public enum Step: String, Sendable, CaseIterable {
        /// One event.
        case event
        /// One simulated minute.
        case minute
        /// Until the MES's next decision (other than dispatching).
        case decision
    }

    /// The fewest wall-clock seconds between two published states.
    public static let publishInterval = 0.1

    let session: LiveSession
    public private(set) var speed: Speed
    public private(set) var paused: Bool
    /// Where pacing started: the wall clock and the simulated time then.
    var anchor: (wall: ContinuousClock.Instant, simulated: Double)
    /// At `max`: the simulated seconds of the next slice (adapted to about 20 ms of work).
    var slice = 60.0
    var viewers: [Int: AsyncStream<Data>.Continuation] = [:]
    var nextViewer = 0
    var latest: Data = Data()
    var lastPublished = ContinuousClock.now
    var changed = true
    var loop: Task<Void, Never>?
    var finishedHandlers: [@Sendable (LiveSession) -> Void] = []
    /// Whether the session stops at the exercise's pauses.
    let pausesAtSteps: Bool

    /// A session of `scenario` at `speed`, running unless `paused`, stopping at the exercise's
    /// pauses unless `exercise` is false.
    public init(
        scenario: Scenario, replication: Int = 0, header: SessionLog.Header, logPath: String? = nil,
        speed: Speed = .paced(60), paused: Bool = false, exercise: Bool = true
    ) throws {
        pausesAtSteps = exercise
        session = try LiveSession(scenario: scenario, replication: replication, header: header, logPath: logPath)
        self.speed = speed
        self.paused = paused
        anchor = (ContinuousClock.now, 0)
        latest = Self.encode(session.snapshot(status: paused ? "paused" : "running", speed: speed.rate))
    }

    /// Starts pacing the session; `onFinish` runs once when it reaches its horizon.
    public func start(onFinish: (@Sendable (LiveSession) -> Void)? = nil) {
        if let onFinish { finishedHandlers.append(onFinish) }
        guard loop == nil else { return }
        anchor = (ContinuousClock.now, session.now)
        loop = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let pause = await self.tick()
                if pause > 0 { try? await Task.sleep(for: .seconds(pause)) } else { await Task.yield() }
            }
        }
    }

    /// Stops pacing and ends every viewer's stream.
    public func stop() {
        loop?.cancel()
        loop = nil
        for viewer in viewers.values { viewer.finish() }
        viewers.removeAll()
    }

    /// Runs the next slice and publishes; returns how long to wait before the next.
    func tick() -> Double {
        var wait = 0.02
        if !paused, !session.isFinished {
            let started = ContinuousClock.now
            let target: Double
            switch speed {
            case .paced(let rate):
                target = anchor.simulated + rate * (ContinuousClock.now - anchor.wall).seconds
            case .max:
                target = session.now + slice
                wait = 0
            }
            do {
                if try session.advance(to: target, pausing: pausesAtSteps) != nil {
                    paused = true
                    session.record(control: "pause", actor: "exercise")
                }
            } catch {
                paused = true
            }
            if case .max = speed {
                let took = (ContinuousClock.now - started).seconds
                if took < 0.01 { slice = min(slice * 2, 86_400) } else if took > 0.04 { slice = max(slice / 2, 1) }
            }
            changed = true
            if session.isFinished { finish() }
        }
        publishIfDue()
        return wait
    }

    func finish() {
        let handlers = finishedHandlers
        finishedHandlers = []
        for handler in handlers { handler(session) }
    }

    var status: String { session.isFinished ? "finished" : paused ? "paused" : "running" }

    /// Publishes the state when it changed and the last was long enough ago.
    func publishIfDue(force: Bool = false) {
        let now = ContinuousClock.now
        guard changed, force || (now - lastPublished).seconds >= Self.publishInterval else { return }
        latest = Self.encode(session.snapshot(status: status, speed: speed.rate))
        lastPublished = now
        changed = false
        for viewer in viewers.values { viewer.yield(latest) }
    }

    static func encode(_ snapshot: LiveSnapshot) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(snapshot)) ?? Data("{}".utf8)
    }

    /// The current state as JSON (what `/api/state` answers).
    public func state() -> Data {
        publishIfDue(force: true)
        return latest
    }

    /// The current state.
    public func snapshot() -> LiveSnapshot { session.snapshot(status: status, speed: speed.rate) }

    /// A stream of states as JSON: the current one at once, then each published one; a slow
    /// viewer gets the newest and skips the ones it missed.
    public func subscribe() -> (id: Int, states: AsyncStream<Data>) {
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(1))
        nextViewer += 1
        let id = nextViewer
        viewers[id] = continuation
        continuation.yield(latest)
        return (id, stream)
    }

    /// Ends viewer `id`'s stream.
    public func unsubscribe(_ id: Int) { viewers.removeValue(forKey: id)?.finish() }

    /// Viewers attached now.
    public var viewerCount: Int { viewers.count }

    /// Pauses the session.
    public func pause(actor: String) {
        guard !paused else { return }
        paused = true
        session.record(control: "pause", actor: actor)
        changed = true
        publishIfDue(force: true)
    }

    /// Resumes pacing from the current simulated time.
    public func resume(actor: String) {
        guard paused, !session.isFinished else { return }
        paused = false
        anchor = (ContinuousClock.now, session.now)
        session.record(control: "resume", actor: actor)
        changed = true
        publishIfDue(force: true)
    }

    /// Changes the pace from now on.
    public func setSpeed(_ speed: Speed, actor: String) {
        self.speed = speed
        anchor = (ContinuousClock.now, session.now)
        session.record(control: "speed \(speed)", actor: actor)
        changed = true
        publishIfDue(force: true)
    }

    /// Runs one step (pausing the session first).
    public func step(_ step: Step, actor: String) throws {
        if !paused { pause(actor: actor) }
        switch step {
        case .event: try session.stepEvent()
        case .minute: try session.advance(to: session.now + 60)
        case .decision: try session.stepToDecision()
        }
        anchor = (ContinuousClock.now, session.now)
        changed = true
        if session.isFinished { finish() }
        publishIfDue(force: true)
    }

    /// Carries out an MES action now (see ``LiveSession/perform(_:actor:reason:)``).
    @discardableResult
    public func perform(_ action: String, actor: String, reason: String) throws(LiveCommandError) -> SessionLog.Entry {
        let entry = try session.perform(action, actor: actor, reason: reason)
        changed = true
        publishIfDue(force: true)
        return entry
    }

    /// The session's log so far.
    public var log: SessionLog { session.log }

    /// The session's results, once it reached its horizon.
    public var results: ExperimentResults? { session.results }

    /// The simulated time now.
    public var now: Double { session.now }
}

extension Duration {
    /// In seconds, as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
