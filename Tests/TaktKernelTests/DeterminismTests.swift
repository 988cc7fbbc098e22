import Testing
import TaktKernel

/// Wraps a model and folds every executed event (time and kind) into an FNV-1a hash.
struct TracedModel<Inner: DiscreteEventModel>: DiscreteEventModel {
    var inner: Inner
    var traceHash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func handle(_ event: Inner.Event, calendar: inout EventCalendar<Inner.Event>) {
        for byte in withUnsafeBytes(of: calendar.now.bitPattern, Array.init) + Array("\(event)".utf8) {
            traceHash = (traceHash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        inner.handle(event, calendar: &calendar)
    }
}

@Suite("Determinism")
struct DeterminismTests {
    static func traceHash(seed: UInt64, replication: Int = 0) throws -> UInt64 {
        let queue = SingleServerQueue.simulation(
            interarrival: try .exponential(mean: 1.25), service: try .exponential(mean: 1),
            warmup: 100, seed: seed, replication: replication)
        var traced = Simulation(model: TracedModel(inner: queue.model), calendar: queue.calendar)
        traced.run(until: 20_000)
        return traced.model.traceHash
    }

    @Test("the same seed gives the identical event trace")
    func sameSeedSameTrace() throws {
        #expect(try Self.traceHash(seed: 7) == Self.traceHash(seed: 7))
    }

    @Test("another seed or replication gives another event trace")
    func otherSeedOtherTrace() throws {
        let base = try Self.traceHash(seed: 7)
        #expect(try Self.traceHash(seed: 8) != base)
        #expect(try Self.traceHash(seed: 7, replication: 1) != base)
    }

    @Test("replications run concurrently give bit-identical results to a sequential run")
    func threadCountDoesNotMatter() async throws {
        let interarrival = try Distribution.exponential(mean: 1.25)
        let service = try Distribution.exponential(mean: 1)
        func replicate(_ r: Int) -> SingleServerQueue.Results {
            SingleServerQueue.replicate(
                interarrival: interarrival, service: service, warmup: 100, runLength: 50_000, seed: 3, replication: r)
        }
        let sequential = (0..<8).map(replicate)
        let concurrent = await withTaskGroup(of: (Int, SingleServerQueue.Results).self) { group in
            for r in 0..<8 { group.addTask { (r, replicate(r)) } }
            var byIndex = [SingleServerQueue.Results?](repeating: nil, count: 8)
            for await (r, result) in group { byIndex[r] = result }
            return byIndex.compactMap { $0 }
        }
        #expect(concurrent == sequential)
    }
}

/// A model that schedules its next event at the same instant, for ever: a zero-time loop.
struct ZeroTimeLoop: DiscreteEventModel {
    var handled = 0
    mutating func handle(_ event: Int, calendar: inout EventCalendar<Int>) {
        handled += 1
        calendar.schedule(event, after: 0)
    }
}

@Suite("Progress in simulated time")
struct ProgressGuardTests {
    @Test("a zero-time loop is given up with a reason once one simulated second runs too many events")
    func zeroTimeLoopIsAborted() {
        var calendar = EventCalendar<Int>()
        calendar.schedule(7, at: 5)
        var simulation = Simulation(model: ZeroTimeLoop(), calendar: calendar)
        #expect(simulation.run(until: 100) == .aborted)
        #expect(simulation.model.handled == Int(Simulation<ZeroTimeLoop>.maximumEventsPerSecond))
        #expect(simulation.now == 5)
        #expect(throws: RunAborted.self) { try simulation.checkCompleted() }
        #expect(simulation.calendar.abortReason?.contains("no progress in simulated time") == true)
        #expect(simulation.run(until: 200) == .aborted, "an aborted run does not resume")
    }

    @Test("a model that moves time on is never stopped by the guard")
    func progressIsNotAborted() throws {
        var calendar = EventCalendar<Int>()
        calendar.schedule(0, at: 0)
        var simulation = Simulation(model: SteadyClock(), calendar: calendar)
        #expect(simulation.run(until: 1_000_000) == .reachedTime)
        try simulation.checkCompleted()
    }
}

/// One event every 0.1 s: ten per simulated second, far below the guard.
struct SteadyClock: DiscreteEventModel {
    mutating func handle(_ event: Int, calendar: inout EventCalendar<Int>) {
        calendar.schedule(event, after: 0.1)
    }
}
