import Testing
import TaktKernel

/// A model that logs every event it handles, with the time it ran.
struct LoggingModel: DiscreteEventModel {
    var log: [(SimTime, String)] = []
    var stopAfter: String?

    mutating func handle(_ event: String, calendar: inout EventCalendar<String>) {
        log.append((calendar.now, event))
        if event == stopAfter { calendar.requestStop() }
    }
}

@Suite("Event calendar")
struct EventCalendarTests {
    @Test("events run in time order")
    func timeOrder() {
        var calendar = EventCalendar<String>()
        calendar.schedule("c", at: 3)
        calendar.schedule("a", at: 1)
        calendar.schedule("b", at: 2)
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        #expect(simulation.run() == .calendarEmpty)
        #expect(simulation.model.log.map(\.1) == ["a", "b", "c"])
        #expect(simulation.model.log.map(\.0) == [1, 2, 3])
    }

    @Test("equal-time events run by priority, then in insertion order")
    func tieOrder() {
        var calendar = EventCalendar<String>()
        calendar.schedule("normal-1", at: 5)
        calendar.schedule("late", at: 5, priority: .late)
        calendar.schedule("normal-2", at: 5)
        calendar.schedule("urgent", at: 5, priority: .urgent)
        calendar.schedule("normal-3", at: 5)
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        simulation.run()
        #expect(simulation.model.log.map(\.1) == ["urgent", "normal-1", "normal-2", "normal-3", "late"])
    }

    @Test("time zero sorts before every positive time, and −0 counts as 0")
    func zeroTimes() {
        var calendar = EventCalendar<String>()
        calendar.schedule("later", at: 1e-300)
        calendar.schedule("zero", at: 0)
        calendar.schedule("negative-zero", at: -0.0)
        var order: [String] = []
        while let next = calendar.popNext() { order.append(next.event) }
        #expect(order == ["zero", "negative-zero", "later"])
    }

    @Test("a large random calendar pops in exactly the sorted (time, sequence) order")
    func matchesSortedOrder() {
        let stream = RandomStream(gslSeed: 7)
        var calendar = EventCalendar<Int>()
        var expected: [(SimTime, Int)] = []
        for id in 0..<20_000 {
            // Coarse times force many ties, which must keep insertion order.
            let time = (stream.uniform() * 500).rounded(.down)
            calendar.schedule(id, at: time)
            expected.append((time, id))
        }
        expected.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var popped: [(SimTime, Int)] = []
        while let next = calendar.popNext() { popped.append((next.time, next.event)) }
        #expect(popped.map(\.1) == expected.map(\.1))
        #expect(popped.map(\.0) == expected.map(\.0))
    }

    @Test(
        "pops and inserts interleaved, as a run does, give the sorted order, with and without references in the events",
        arguments: [false, true])
    func interleavedMatchesSortedOrder(eventsHoldReferences: Bool) {
        let stream = RandomStream(gslSeed: 11)
        var plain = EventCalendar<Int>()
        var named = EventCalendar<String>()
        var pending: [(time: SimTime, id: Int)] = []
        var popped: [Int] = []
        var expected: [Int] = []
        var next = 0
        func schedule(at time: SimTime) {
            if eventsHoldReferences {
                named.schedule("event \(next)", at: time)
            } else {
                plain.schedule(next, at: time)
            }
            pending.append((time, next))
            next += 1
        }
        for _ in 0..<64 { schedule(at: (stream.uniform() * 50).rounded(.down)) }
        for _ in 0..<20_000 {
            // The reference: the earliest pending, the first scheduled among equal times.
            let earliest = pending.indices.min {
                pending[$0].time < pending[$1].time
                    || (pending[$0].time == pending[$1].time && pending[$0].id < pending[$1].id)
            }!
            let (time, id) = pending.remove(at: earliest)
            expected.append(id)
            if eventsHoldReferences {
                popped.append(Int(named.popNext()!.event.dropFirst(6))!)
            } else {
                popped.append(plain.popNext()!.event)
            }
            let count = Int(stream.uniform() * 3)  // 0, 1 or 2 new events: the calendar shrinks and grows
            for _ in 0..<(pending.isEmpty ? 1 : count) { schedule(at: time + (stream.uniform() * 50).rounded(.down)) }
        }
        #expect(popped == expected)
        #expect((eventsHoldReferences ? named.pendingCount : plain.pendingCount) == pending.count)
    }

    @Test(
        "between a pop and the next schedule the earliest time, the pending count and the next event time are those of the events left"
    )
    func observersBetweenPopAndSchedule() {
        // Events without references: a pop leaves the heap's root empty until the next
        // schedule, so every question asked in between must look past it.
        let stream = RandomStream(gslSeed: 23)
        var calendar = EventCalendar<Int>()
        var pending: [(time: SimTime, id: Int, handle: EventHandle?)] = []
        // Cancelled entries stay in the heap until a pop or a look at the next event passes them.
        var tombstones: [(time: SimTime, id: Int)] = []
        var next = 0
        func schedule(at time: SimTime) {
            if stream.uniform() < 0.3 {
                pending.append((time, next, calendar.scheduleCancellable(next, at: time)))
            } else {
                calendar.schedule(next, at: time)
                pending.append((time, next, nil))
            }
            next += 1
        }
        func earliestLive() -> Int? {
            pending.indices.min {
                pending[$0].time < pending[$1].time
                    || (pending[$0].time == pending[$1].time && pending[$0].id < pending[$1].id)
            }
        }
        func dropTombstones(before time: SimTime, _ id: Int) {
            tombstones.removeAll { $0.time < time || ($0.time == time && $0.id < id) }
        }
        for _ in 0..<40 { schedule(at: (stream.uniform() * 20).rounded(.down)) }
        var mismatches = 0
        for _ in 0..<5_000 {
            guard let earliest = earliestLive() else { break }
            let expected = pending.remove(at: earliest)
            let popped = calendar.popNext()
            if popped?.event != expected.id || popped?.time != expected.time { mismatches += 1 }
            dropTombstones(before: expected.time, expected.id)
            // The root is empty now: ask everything a run loop or a model may ask.
            if calendar.pendingCount != pending.count { mismatches += 1 }
            if calendar.isEmpty != pending.isEmpty { mismatches += 1 }
            let entryTimes = pending.map(\.time) + tombstones.map(\.time)
            if calendar.earliestEntryTime != entryTimes.min() { mismatches += 1 }
            if stream.uniform() < 0.2, let cancellable = pending.indices.first(where: { pending[$0].handle != nil }) {
                let cancelled = calendar.cancel(pending[cancellable].handle!)
                if !cancelled { mismatches += 1 }
                let entry = pending.remove(at: cancellable)
                tombstones.append((entry.time, entry.id))
            }
            if stream.uniform() < 0.3 {
                let live = earliestLive()
                if calendar.nextEventTime() != live.map({ pending[$0].time }) { mismatches += 1 }
                if let live { dropTombstones(before: pending[live].time, pending[live].id) } else { tombstones = [] }
            }
            let count = Int(stream.uniform() * 3)  // 0, 1 or 2 new events
            for _ in 0..<(pending.isEmpty ? 1 : count) {
                schedule(at: expected.time + (stream.uniform() * 20).rounded(.down))
            }
        }
        #expect(mismatches == 0)
        #expect(calendar.pendingCount == pending.count)
    }

    @Test("a popped event that holds a reference is released by the calendar")
    func poppedReferenceIsReleased() {
        final class Lot {}
        var calendar = EventCalendar<Lot>()
        weak var released: Lot?
        do {
            let lot = Lot()
            released = lot
            calendar.schedule(lot, at: 1)
        }
        #expect(released != nil)
        _ = calendar.popNext()
        // The last entry popped is the one spare room would keep: it must not be kept.
        #expect(released == nil)
        #expect(calendar.isEmpty)
    }

    @Test("a cancelled event never runs and no longer counts as pending")
    func cancellation() {
        var calendar = EventCalendar<String>()
        calendar.schedule("a", at: 1)
        let handle = calendar.scheduleCancellable("cancelled", at: 2)
        calendar.schedule("c", at: 3)
        #expect(calendar.pendingCount == 3)
        let cancelled = calendar.cancel(handle)
        #expect(cancelled)
        #expect(calendar.pendingCount == 2)
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        simulation.run()
        #expect(simulation.model.log.map(\.1) == ["a", "c"])
        #expect(simulation.executedEvents == 2)
    }

    @Test("cancelling twice, or after the event ran, or with a recycled slot's old handle does nothing")
    func staleHandles() {
        var calendar = EventCalendar<String>()
        let first = calendar.scheduleCancellable("first", at: 1)
        let cancelledOnce = calendar.cancel(first)
        let cancelledTwice = calendar.cancel(first)
        #expect(cancelledOnce && !cancelledTwice)

        let ran = calendar.scheduleCancellable("ran", at: 2)
        let popped = calendar.popNext()
        #expect(popped?.event == "ran")
        let cancelledAfterRunning = calendar.cancel(ran)
        #expect(!cancelledAfterRunning)

        // The freed slot is reused under a new generation: old handles cannot touch it.
        let reused = calendar.scheduleCancellable("reused", at: 3)
        let staleCancels = [calendar.cancel(ran), calendar.cancel(first)]
        #expect(staleCancels == [false, false])
        let survivor = calendar.popNext()
        #expect(survivor?.event == "reused")
        let cancelledReusedAfterRunning = calendar.cancel(reused)
        #expect(!cancelledReusedAfterRunning)
        #expect(calendar.isEmpty)
    }

    @Test("run(until:) runs events strictly before the end and leaves the clock at the end")
    func runUntil() {
        var calendar = EventCalendar<String>()
        for (name, time) in [("a", 1.0), ("b", 2.0), ("at-end", 3.0), ("after", 4.0)] {
            calendar.schedule(name, at: time)
        }
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        #expect(simulation.run(until: 3) == .reachedTime)
        #expect(simulation.model.log.map(\.1) == ["a", "b"])
        #expect(simulation.now == 3)
        #expect(simulation.calendar.pendingCount == 2)
        simulation.run(until: 10)
        #expect(simulation.model.log.map(\.1) == ["a", "b", "at-end", "after"])
        #expect(simulation.now == 10)
    }

    @Test("run(until:) never runs a live event beyond the end when a cancelled one comes first")
    func cancelledEntryBeforeEnd() {
        // The earliest entry is cancelled and due before the end; the next live event is due
        // after it. It must stay pending, and the clock must never run backwards.
        var calendar = EventCalendar<String>()
        let cancelled = calendar.scheduleCancellable("cancelled", at: 1)
        calendar.schedule("later", at: 6)
        calendar.cancel(cancelled)
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        simulation.run(until: 3)
        #expect(simulation.model.log.isEmpty)
        #expect(simulation.now == 3)
        #expect(simulation.calendar.pendingCount == 1)
        simulation.run(until: 10)
        #expect(simulation.model.log.map(\.1) == ["later"])
        #expect(simulation.model.log.map(\.0) == [6])
    }

    @Test("run(events:) stops after exactly that many events")
    func runEventCount() {
        var calendar = EventCalendar<String>()
        for i in 0..<10 { calendar.schedule("e\(i)", at: Double(i)) }
        var simulation = Simulation(model: LoggingModel(), calendar: calendar)
        #expect(simulation.run(events: 4) == .reachedEventLimit)
        #expect(simulation.executedEvents == 4)
        #expect(simulation.now == 3)
        #expect(simulation.run(events: 100) == .calendarEmpty)
        #expect(simulation.executedEvents == 10)
    }

    @Test("a model can stop the run, and a later run resumes where it stopped")
    func requestStop() {
        var calendar = EventCalendar<String>()
        for name in ["a", "b", "c"] { calendar.schedule(name, at: 1) }
        var simulation = Simulation(model: LoggingModel(stopAfter: "b"), calendar: calendar)
        #expect(simulation.run(until: 100) == .stopRequested)
        #expect(simulation.model.log.map(\.1) == ["a", "b"])
        #expect(simulation.now == 1)
        #expect(simulation.run(until: 100) == .reachedTime)
        #expect(simulation.model.log.map(\.1) == ["a", "b", "c"])
    }

    @Test("an event scheduled after a delay runs at now + delay")
    func relativeScheduling() {
        var calendar = EventCalendar<String>(start: 10)
        calendar.schedule("x", after: 2.5)
        let next = calendar.popNext()
        #expect(next?.time == 12.5)
    }
}

@Suite("FIFO queue")
struct FIFOQueueTests {
    @Test("keeps first-in first-out order while growing and wrapping around")
    func orderAcrossGrowth() {
        var queue = FIFOQueue<Int>(capacity: 2)
        var expected: [Int] = []
        var popped: [Int] = []
        for i in 0..<100 {
            queue.push(i)
            expected.append(i)
            if i % 3 == 0, let front = queue.pop() { popped.append(front) }
        }
        while let front = queue.pop() { popped.append(front) }
        #expect(popped == expected)
        #expect(queue.isEmpty)
        #expect(queue.pop() == nil)
    }
}
