/// A first-in, first-out queue on a growable ring buffer: O(1) push and pop, and no
/// allocation once it has grown to its peak length.
public struct FIFOQueue<Element> {
    @usableFromInline var storage: ContiguousArray<Element?>
    @usableFromInline var head: Int
    /// The number of queued elements.
    public var count: Int { length }
    @usableFromInline var length: Int

    /// An empty queue with room for `capacity` elements before it grows.
    @inlinable
    public init(capacity: Int = 16) {
        storage = ContiguousArray(repeating: nil, count: Swift.max(capacity, 1))
        head = 0
        length = 0
    }

    /// Whether the queue is empty.
    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// The element that would be popped next.
    @inlinable
    public var first: Element? { count == 0 ? nil : storage[head] }

    /// Appends `element` at the back.
    @inlinable
    public mutating func push(_ element: Element) {
        if count == storage.count { grow() }
        var tail = head + count
        if tail >= storage.count { tail -= storage.count }
        storage[tail] = element
        length += 1
    }

    /// Removes and returns the front element, or `nil` when empty.
    @inlinable
    public mutating func pop() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count { head = 0 }
        length -= 1
        return element
    }

    @usableFromInline
    mutating func grow() {
        var bigger = ContiguousArray<Element?>(repeating: nil, count: storage.count * 2)
        for i in 0..<count {
            bigger[i] = storage[(head + i) % storage.count]
        }
        storage = bigger
        head = 0
    }
}
