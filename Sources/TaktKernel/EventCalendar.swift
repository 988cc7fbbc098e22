/// The future-event list: pending events ordered by (time, priority, insertion sequence).
///
/// Events are value types stored inline in an implicit d-ary min-heap (``arity``), so
/// scheduling and popping allocate nothing once the storage has grown to the peak number of
/// pending events. Equal-time events run by ``EventPriority``, then in the order they were
/// scheduled, which makes every run reproducible.
///
/// Cancellation uses tombstones (as NeXosim and SimPy do): ``cancel(_:)`` marks the event's
/// slot in O(1) and the event is dropped when it reaches the top of the heap. Only events
/// scheduled with ``scheduleCancellable(_:at:priority:)`` take a slot, so the common case pays
/// nothing for the feature.
///
/// ```swift
/// var calendar = EventCalendar<Int>()
/// calendar.schedule(7, at: 2.5)
/// let handle = calendar.scheduleCancellable(8, at: 1.0)
/// calendar.cancel(handle)
/// calendar.popNext()   // (time: 2.5, event: 7)
/// ```
///
/// The storage is held in ``EntityTable``s, as the plant's entities are: a write pays no
/// copy-on-write check, which on the MES flagship was six calls into the Swift runtime per
/// event (the heap on each insert and pop, the cancellation slots on each cancellable event).
/// So a calendar is not copied: a copy would share its pending events with the original.
///
/// A pop leaves the root of the heap empty until the next schedule fills it (events without
/// references only). Handling an event nearly always schedules the next one, and putting it
/// straight into the root costs one sift instead of two: the last entry no longer moves to
/// the root and sinks, and the new one no longer climbs from a leaf. The order of events
/// does not depend on the heap's shape: keys are unique, so it is the same either way.
public struct EventCalendar<Event> {
    /// Children per heap node. With the packed key and bottom-up sift-down, binary beat 4-ary
    /// by 15–30% on the hold model at 64 and 10,000 pending (`takt bench hold`, see
    /// docs/performance.md); change it here to re-measure.
    @usableFromInline static var arity: Int { 2 }

    /// Marks an entry that has no cancellation slot.
    @usableFromInline static var noSlot: UInt32 { .max }

    /// The heap is `entries[0..<heapCount]`. For events without references, popped entries
    /// stay beyond it as spare room, so that an insert after a pop writes in place.
    @usableFromInline let entries: EntityTable<CalendarEntry<Event>>
    @usableFromInline var heapCount: Int
    /// Whether `entries[0]` is the event popped last, not a pending one: the next insert
    /// takes its place, or the next look at the calendar fills it from the last entry.
    @usableFromInline var rootIsEmpty: Bool
    @usableFromInline var nextSequence: UInt64
    @usableFromInline let slotGenerations: EntityTable<UInt32>
    @usableFromInline let slotCancelled: EntityTable<Bool>
    @usableFromInline let freeSlots: EntityTable<UInt32>
    @usableFromInline var tombstones: Int

    @usableFromInline var clock: SimTime
    @usableFromInline var stopFlag: Bool

    /// The current simulated time: the time of the event being (or last) executed.
    @inlinable
    public var now: SimTime { clock }

    /// Set by ``requestStop()``; the run loop stops before the next event.
    @inlinable
    public var isStopRequested: Bool { stopFlag }

    /// Creates an empty calendar whose clock reads `start`.
    ///
    /// - Parameter reservingCapacity: the expected peak number of pending events, to avoid
    ///   growing the storage during the run.
    @inlinable
    public init(start: SimTime = 0, reservingCapacity capacity: Int = 0) {
        precondition(start >= 0, "simulated time starts at 0 or later")
        entries = EntityTable([], minimumCapacity: capacity)
        heapCount = 0
        rootIsEmpty = false
        nextSequence = 0
        slotGenerations = EntityTable([])
        slotCancelled = EntityTable([])
        freeSlots = EntityTable([])
        tombstones = 0
        clock = start
        stopFlag = false
        abortReasonStorage = nil
    }

    /// The number of events still to run (cancelled ones excluded).
    @inlinable
    public var pendingCount: Int { heapCount - tombstones - (rootIsEmpty ? 1 : 0) }

    /// Whether no event is left to run.
    @inlinable
    public var isEmpty: Bool { pendingCount == 0 }

    /// Schedules `event` at the absolute time `time`, which may not lie in the past.
    ///
    /// - Complexity: O(log n) comparisons; no allocation once storage has grown.
    @inlinable
    public mutating func schedule(_ event: Event, at time: SimTime, priority: EventPriority = .normal) {
        precondition(time >= now, "an event cannot be scheduled in the past (or at NaN)")
        insert(CalendarEntry(key: key(time, priority), slot: Self.noSlot, event: event))
    }

    /// Schedules `event` `delay` seconds from now; `delay` must be zero or positive.
    ///
    /// - Complexity: O(log n).
    @inlinable
    public mutating func schedule(_ event: Event, after delay: SimTime, priority: EventPriority = .normal) {
        schedule(event, at: now + delay, priority: priority)
    }

    /// Schedules `event` at `time` and returns a handle that can cancel it.
    ///
    /// - Complexity: O(log n); amortised O(1) for the slot.
    @inlinable
    @discardableResult
    public mutating func scheduleCancellable(
        _ event: Event, at time: SimTime, priority: EventPriority = .normal
    ) -> EventHandle {
        precondition(time >= now, "an event cannot be scheduled in the past (or at NaN)")
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = UInt32(slotGenerations.count)
            precondition(slot != Self.noSlot, "too many cancellable events pending")
            slotGenerations.append(0)
            slotCancelled.append(false)
        }
        insert(CalendarEntry(key: key(time, priority), slot: slot, event: event))
        return EventHandle(slot: slot, generation: slotGenerations[Int(slot)])
    }

    /// Cancels the event behind `handle`; returns `false` when it already ran or was cancelled.
    ///
    /// - Complexity: O(1). The event stays in the heap as a tombstone until it surfaces.
    @inlinable
    @discardableResult
    public mutating func cancel(_ handle: EventHandle) -> Bool {
        let slot = Int(handle.slot)
        guard slot < slotGenerations.count, slotGenerations[slot] == handle.generation,
            !slotCancelled[slot]
        else { return false }
        slotCancelled[slot] = true
        tombstones += 1
        return true
    }

    /// Removes and returns the earliest live event and moves the clock to its time.
    ///
    /// - Complexity: O(log n) per popped entry, tombstones included.
    @inlinable
    public mutating func popNext() -> (time: SimTime, event: Event)? {
        popNext(before: .infinity)
    }

    /// Removes and returns the earliest live event due strictly before `end`, moving the clock
    /// to its time; `nil` when none is. Cancelled entries before `end` are dropped on the way,
    /// and nothing due at or after `end` is touched.
    ///
    /// - Complexity: O(log n) per popped entry, tombstones included.
    @inlinable
    public mutating func popNext(before end: SimTime) -> (time: SimTime, event: Event)? {
        while true {
            if rootIsEmpty { fillRoot() }
            guard heapCount > 0, entries[0].time < end else { return nil }
            let entry = removeFirst()
            if entry.slot != Self.noSlot, releaseSlot(entry.slot) { continue }
            clock = entry.time
            return (entry.time, entry.event)
        }
    }

    /// The time of the earliest live event, dropping cancelled entries at the top first; `nil`
    /// when nothing is pending. Lets a model ask "is this instant over?".
    ///
    /// - Complexity: O(log n) per dropped tombstone, O(1) otherwise.
    @inlinable
    public mutating func nextEventTime() -> SimTime? {
        if rootIsEmpty, heapCount > 1 {
            // Keep the root empty for the schedule that usually follows: the earliest entry
            // is the earlier child, and if it is live that is the answer.
            let earliest = entries[earliestChildOfRoot()]
            if earliest.slot == Self.noSlot || !slotCancelled[Int(earliest.slot)] { return earliest.time }
        }
        while true {
            if rootIsEmpty { fillRoot() }
            guard heapCount > 0 else { return nil }
            let first = entries[0]
            guard first.slot != Self.noSlot, slotCancelled[Int(first.slot)] else { return first.time }
            let entry = removeFirst()
            _ = releaseSlot(entry.slot)
        }
    }

    /// The time of the earliest pending entry (possibly a cancelled one), or `nil` when empty.
    ///
    /// A cancelled entry's time is a lower bound for the next live event, which is all a
    /// run loop bounded by time needs.
    @inlinable
    public var earliestEntryTime: SimTime? {
        guard rootIsEmpty else { return heapCount > 0 ? entries[0].time : nil }
        return heapCount > 1 ? entries[earliestChildOfRoot()].time : nil
    }

    /// Asks the run loop to stop before the next event; ``Simulation`` clears it on the next run.
    @inlinable
    public mutating func requestStop() { stopFlag = true }

    /// Why the run was given up, once a model or the run loop called ``abort(_:)``.
    @inlinable
    public var abortReason: String? { abortReasonStorage }
    @usableFromInline var abortReasonStorage: String?

    /// Gives the run up for `reason` (a person's sentence): the run loop stops before the
    /// next event and no later run resumes it. Not for the per-event path: it is the way out
    /// when a run cannot go on (no progress in simulated time, a memory bound reached).
    @inlinable
    public mutating func abort(_ reason: String) {
        if abortReasonStorage == nil { abortReasonStorage = reason }
        stopFlag = true
    }

    // MARK: - Internals

    /// The entry's sort key: time bits, then priority, then insertion sequence.
    ///
    /// Times are never negative (the clock starts at or after 0 and never runs back), and the
    /// bit patterns of non-negative doubles sort like their values, so one unsigned 128-bit
    /// comparison orders entries by (time, priority, sequence) without a branch.
    @inlinable
    func key(_ time: SimTime, _ priority: EventPriority) -> UInt128 {
        let timeBits = (time + 0.0).bitPattern  // + 0.0 turns −0 into +0
        return UInt128(timeBits) << 64 | UInt128(UInt64(priority.rank) << 56 | nextSequence)
    }

    /// The index of the root's earliest child; below an empty root each child heads a heap
    /// of its own, so the earliest pending entry is one of them. Needs `heapCount > 1`.
    @inlinable
    @inline(__always)
    func earliestChildOfRoot() -> Int {
        var earliest = 1
        var child = 2
        while child < Swift.min(1 &+ Self.arity, heapCount) {
            if entries[child].runsBefore(entries[earliest]) { earliest = child }
            child &+= 1
        }
        return earliest
    }

    /// Frees a popped entry's slot; returns whether the entry had been cancelled.
    @inlinable
    mutating func releaseSlot(_ slot: UInt32) -> Bool {
        let index = Int(slot)
        let wasCancelled = slotCancelled[index]
        slotCancelled[index] = false
        slotGenerations[index] &+= 1
        freeSlots.append(slot)
        if wasCancelled { tombstones -= 1 }
        return wasCancelled
    }

    @inlinable
    mutating func insert(_ entry: CalendarEntry<Event>) {
        nextSequence += 1
        precondition(nextSequence < 1 << 56, "event sequence exhausted")
        if rootIsEmpty {
            rootIsEmpty = false
            Self.siftDown(entry, from: 0, in: UnsafeMutableBufferPointer(start: entries.base, count: heapCount))
            return
        }
        let last = heapCount
        heapCount += 1
        if last == entries.count { entries.append(entry) }
        Self.siftUp(entry, from: last, in: UnsafeMutableBufferPointer(start: entries.base, count: heapCount))
    }

    /// Takes the earliest entry off the heap. For events without references the root is
    /// left empty (``rootIsEmpty``), for the next insert or ``fillRoot()`` to fill.
    @inlinable
    @inline(__always)
    mutating func removeFirst() -> CalendarEntry<Event> {
        if _isPOD(Event.self) {
            rootIsEmpty = true
            return entries.base[0]
        }
        // Events holding references: the popped entry leaves the storage, releasing them.
        heapCount -= 1
        let last = entries.popLast()!
        if heapCount == 0 { return last }
        let heap = UnsafeMutableBufferPointer(start: entries.base, count: heapCount)
        let first = heap[0]
        Self.siftDown(last, from: 0, in: heap)
        return first
    }

    /// Fills the root left empty by a pop with the last entry, as a classic pop does.
    @inlinable
    @inline(__always)
    mutating func fillRoot() {
        rootIsEmpty = false
        heapCount -= 1
        let count = heapCount
        if count > 0 {
            let storage = entries.base
            Self.siftDown(storage[count], from: 0, in: UnsafeMutableBufferPointer(start: storage, count: count))
        }
    }

    /// Moves `entry` up from the hole at `index` (Williams 1964, with a hole instead of swaps).
    @inlinable
    @inline(__always)
    static func siftUp(
        _ entry: CalendarEntry<Event>, from index: Int, in heap: UnsafeMutableBufferPointer<CalendarEntry<Event>>
    ) {
        var hole = index
        while hole > 0 {
            let parent = (hole - 1) / arity
            guard entry.runsBefore(heap[parent]) else { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = entry
    }

    /// Places `entry` (the former last element) into the hole at `index` after a pop.
    ///
    /// Bottom-up (Wegener 1993): the hole first sinks to a leaf along the earliest children
    /// without comparing against `entry`, which usually belongs near the bottom anyway, then
    /// `entry` sifts up from there. About half the comparisons of the classic sift-down.
    @inlinable
    @inline(__always)
    static func siftDown(
        _ entry: CalendarEntry<Event>, from index: Int, in heap: UnsafeMutableBufferPointer<CalendarEntry<Event>>
    ) {
        let count = heap.count
        var hole = index
        while true {
            let firstChild = hole &* arity &+ 1
            if firstChild >= count { break }
            var best = firstChild
            let end = Swift.min(firstChild &+ arity, count)
            var child = firstChild &+ 1
            while child < end {
                if heap[child].runsBefore(heap[best]) { best = child }
                child &+= 1
            }
            heap[hole] = heap[best]
            hole = best
        }
        siftUp(entry, from: hole, in: heap)
    }
}

/// One pending event with its sort key.
@usableFromInline
@frozen
struct CalendarEntry<Event> {
    /// Time bits in the high 64, priority in the next 8, insertion sequence in the low 56.
    @usableFromInline var key: UInt128
    /// The event before the slot, so that it starts on an 8-byte boundary: after a 4-byte
    /// slot an 8-byte payload was read back with a load that straddled two stores, which
    /// stalled store-to-load forwarding on every insert.
    @usableFromInline var event: Event
    @usableFromInline var slot: UInt32

    @inlinable
    init(key: UInt128, slot: UInt32, event: Event) {
        self.key = key
        self.slot = slot
        self.event = event
    }

    @inlinable
    var time: SimTime { Double(bitPattern: UInt64(truncatingIfNeeded: key >> 64)) }

    @inlinable
    @inline(__always)
    func runsBefore(_ other: CalendarEntry<Event>) -> Bool { key < other.key }
}
