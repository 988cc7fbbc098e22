/// A fixed number of first-in, first-out queues of integer ids (units, machines) in one
/// reference type: each a power-of-two ring buffer that grows when full.
///
/// The plant keeps one queue per station buffer, per blocked-machine list, per operator pool
/// and per batch machine. As a `FIFOQueue` in an array, each push or pop paid a copy-on-write
/// uniqueness check and optional wrapping; here it is a few loads and stores. Like
/// ``EntityTable`` it is shared, not copied.
public final class IndexQueues {
    @usableFromInline
    struct Ring {
        @usableFromInline var buffer: UnsafeMutablePointer<Int32>
        @usableFromInline var head: Int
        @usableFromInline var count: Int
        @usableFromInline var mask: Int
    }

    @exclusivity(unchecked) @usableFromInline var rings: UnsafeMutablePointer<Ring>
    /// How many queues there are.
    public let queueCount: Int

    /// `queues` empty queues, each with room for `initialCapacity` ids (rounded up to a power of two).
    public init(queues: Int, initialCapacity: Int = 8) {
        queueCount = queues
        var capacity = 1
        while capacity < Swift.max(initialCapacity, 1) { capacity <<= 1 }
        rings = .allocate(capacity: Swift.max(queues, 1))
        for q in 0..<queues {
            (rings + q).initialize(
                to: Ring(buffer: .allocate(capacity: capacity), head: 0, count: 0, mask: capacity - 1))
        }
    }

    deinit {
        for q in 0..<queueCount { rings[q].buffer.deallocate() }
        rings.deinitialize(count: queueCount)
        rings.deallocate()
    }

    /// The number of ids in queue `q`.
    @inlinable
    public func count(_ q: Int) -> Int {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        return rings[q].count
    }

    /// Whether queue `q` is empty.
    @inlinable
    public func isEmpty(_ q: Int) -> Bool { count(q) == 0 }

    /// The id at the front of queue `q`, or `nil`.
    @inlinable
    public func first(_ q: Int) -> Int32? {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        let ring = rings[q]
        return ring.count == 0 ? nil : ring.buffer[ring.head]
    }

    /// Appends `id` at the back of queue `q`; amortised O(1).
    @inlinable
    @inline(__always)
    public func push(_ id: Int32, to q: Int) {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        if rings[q].count > rings[q].mask { grow(q) }
        let ring = rings[q]
        ring.buffer[(ring.head &+ ring.count) & ring.mask] = id
        rings[q].count = ring.count &+ 1
    }

    /// Removes and returns the front id of queue `q`, or `nil` when it is empty.
    @inlinable
    @inline(__always)
    public func pop(_ q: Int) -> Int32? {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        let ring = rings[q]
        guard ring.count > 0 else { return nil }
        rings[q].head = (ring.head &+ 1) & ring.mask
        rings[q].count = ring.count &- 1
        return ring.buffer[ring.head]
    }

    /// The id at `position` (0 is the front) of queue `q`.
    @inlinable
    public func id(at position: Int, in q: Int) -> Int32 {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        let ring = rings[q]
        precondition(position >= 0 && position < ring.count, "queue position out of range")
        return ring.buffer[(ring.head &+ position) & ring.mask]
    }

    /// A read-only view of queue `q` that holds no reference: valid until the queue next
    /// changes. For a decision made in one call (a dispatching rule) that must not pay a
    /// retain and a release for the table it reads.
    @inlinable
    public func view(_ q: Int) -> QueueView {
        precondition(q >= 0 && q < queueCount, "queue index out of range")
        let ring = rings[q]
        return QueueView(buffer: ring.buffer, head: ring.head, count: ring.count, mask: ring.mask)
    }

    /// Removes and returns the id at `position` of queue `q`, keeping the others in order.
    ///
    /// - Complexity: O(position).
    @inlinable
    public func remove(at position: Int, from q: Int) -> Int32 {
        if position == 0, let front = pop(q) { return front }
        let removed = id(at: position, in: q)
        let ring = rings[q]
        var i = position
        while i > 0 {
            ring.buffer[(ring.head &+ i) & ring.mask] = ring.buffer[(ring.head &+ i &- 1) & ring.mask]
            i -= 1
        }
        rings[q].head = (ring.head &+ 1) & ring.mask
        rings[q].count = ring.count &- 1
        return removed
    }

    @usableFromInline
    @inline(never)
    func grow(_ q: Int) {
        let old = rings[q]
        let capacity = (old.mask + 1) * 2
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        for i in 0..<old.count { buffer[i] = old.buffer[(old.head + i) & old.mask] }
        old.buffer.deallocate()
        rings[q] = Ring(buffer: buffer, head: 0, count: old.count, mask: capacity - 1)
    }
}

/// One queue of an ``IndexQueues`` as it is now, read through a pointer (no reference held).
public struct QueueView {
    @usableFromInline let buffer: UnsafeMutablePointer<Int32>
    @usableFromInline let head: Int
    /// The number of ids.
    public let count: Int
    @usableFromInline let mask: Int

    @inlinable
    init(buffer: UnsafeMutablePointer<Int32>, head: Int, count: Int, mask: Int) {
        self.buffer = buffer
        self.head = head
        self.count = count
        self.mask = mask
    }

    /// The id at `position` (0 is the front).
    @inlinable
    public subscript(position: Int) -> Int32 {
        precondition(position >= 0 && position < count, "queue position out of range")
        return buffer[(head &+ position) & mask]
    }
}
