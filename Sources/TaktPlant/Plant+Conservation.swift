/// Where every unit of a plant is: the conservation check that no command, incident or state
/// change loses or duplicates a unit.
public struct UnitBalance: Sendable, Equatable, CustomStringConvertible {
    /// Units released, shipped and scrapped since time 0.
    public var released: Int
    public var shipped: Int
    public var scrapped: Int
    /// Units the plant holds a record for (released, not yet shipped or scrapped).
    public var inProcess: Int
    /// Distinct units found somewhere: on a machine, in a batch, in a buffer or in the hold area.
    public var located: Int
    /// Units found in two places at once.
    public var duplicated: Int

    /// Every released unit is shipped, scrapped or in process, and every unit in process is in
    /// exactly one place.
    public var holds: Bool {
        released == shipped + scrapped + inProcess && located == inProcess && duplicated == 0
    }

    public var description: String {
        "released \(released) = shipped \(shipped) + scrapped \(scrapped) + in process \(inProcess); located \(located), in two places \(duplicated)"
    }
}

extension Plant {
    /// Counts where every unit is (off the per-event path: it walks every machine and queue).
    public func unitBalance() -> UnitBalance {
        var seen = [Bool](repeating: false, count: units.count)
        var located = 0
        var duplicated = 0
        func found(_ unit: Int32) {
            guard unit >= 0, Int(unit) < seen.count else { return }
            if seen[Int(unit)] {
                duplicated += 1
            } else {
                seen[Int(unit)] = true
                located += 1
            }
        }
        for m in 0..<layout.machineCount {
            if layout.batchCapacity[Int(machines[m].station)] > 0 {
                for position in 0..<batchUnits.count(m) { found(batchUnits.id(at: position, in: m)) }
            } else {
                found(machines[m].unit)
            }
        }
        for s in 0..<layout.stationCount {
            for position in 0..<queues.count(s) { found(queues.id(at: position, in: s)) }
        }
        for held in holdArea { found(held.unit) }
        return UnitBalance(
            released: lifetime.released, shipped: lifetime.shipped, scrapped: lifetime.scrapped,
            inProcess: unitsInProcess, located: located, duplicated: duplicated)
    }
}
