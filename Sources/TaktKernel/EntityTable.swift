/// A growable table of entities (machines, units) indexed by integer id, with reference
/// semantics and no copy-on-write check on writes.
///
/// The architecture keeps entities in arrays indexed by id. A Swift `Array` pays a
/// uniqueness check on every element write, which on the plant's per-event path added up to
/// about 17 checks per event. A table is shared, not copied: a model that needs a
/// snapshot copies it explicitly with ``copy()``. Indices are bounds-checked.
///
/// The storage fields are `@exclusivity(unchecked)`: they are touched only by this type's
/// own accessors, and dynamic exclusivity checks on them cost more than the whole event.
public final class EntityTable<Element> {
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) @usableFromInline var capacity: Int
    @exclusivity(unchecked) @usableFromInline var storedCount: Int

    /// A table holding `elements`, with room for at least `minimumCapacity` before it grows.
    public init(_ elements: some Collection<Element>, minimumCapacity: Int = 0) {
        capacity = Swift.max(elements.count, minimumCapacity, 1)
        base = .allocate(capacity: capacity)
        storedCount = 0
        for element in elements {
            (base + storedCount).initialize(to: element)
            storedCount += 1
        }
    }

    /// A table of `count` copies of `element`.
    public convenience init(repeating element: Element, count: Int) {
        self.init(repeatElement(element, count: count))
    }

    deinit {
        base.deinitialize(count: storedCount)
        base.deallocate()
    }

    /// The number of entities.
    @inlinable
    public var count: Int { storedCount }

    /// The valid ids, 0 ..< count.
    @inlinable
    public var indices: Range<Int> { 0..<storedCount }

    /// The entity with id `index`.
    @inlinable
    public subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < storedCount, "entity id out of range")
            return UnsafePointer(base + index)
        }
        unsafeMutableAddress {
            precondition(index >= 0 && index < storedCount, "entity id out of range")
            return base + index
        }
    }

    /// The entity with id `index`, in place: one range check for any number of reads and
    /// writes of its fields, where each subscript would check again and reload the storage.
    /// Valid until the table next grows or shrinks: never hold it across a call that may add
    /// or remove entities.
    @inlinable
    @inline(__always)
    public func address(of index: Int) -> UnsafeMutablePointer<Element> {
        precondition(index >= 0 && index < storedCount, "entity id out of range")
        return base + index
    }

    /// The entities through a pointer that holds no reference: valid until the table next
    /// grows or shrinks. For a decision made in one call that must not pay a retain and a
    /// release for the table it reads.
    @inlinable
    public var unsafeElements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: storedCount) }

    /// Adds an entity at the end; amortised O(1).
    @inlinable
    public func append(_ element: Element) {
        if storedCount == capacity { grow() }
        (base + storedCount).initialize(to: element)
        storedCount += 1
    }

    /// Removes and returns the last entity, or `nil` when empty.
    @inlinable
    public func popLast() -> Element? {
        guard storedCount > 0 else { return nil }
        storedCount -= 1
        return (base + storedCount).move()
    }

    /// Removes every entity, keeping the storage.
    public func removeAll() {
        base.deinitialize(count: storedCount)
        storedCount = 0
    }

    @usableFromInline
    @inline(never)
    func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: storedCount)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// An independent copy, for snapshots.
    public func copy() -> EntityTable<Element> {
        EntityTable(UnsafeBufferPointer(start: base, count: storedCount), minimumCapacity: capacity)
    }
}
