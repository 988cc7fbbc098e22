/// Names one cancellable event in an ``EventCalendar`` so it can be cancelled in O(1).
///
/// A handle stays safe to use after its event has fired or been cancelled: the calendar
/// recycles the slot under a new generation, and a stale handle simply cancels nothing.
@frozen
public struct EventHandle: Hashable, Sendable {
    @usableFromInline let slot: UInt32
    @usableFromInline let generation: UInt32

    @inlinable
    init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }
}
