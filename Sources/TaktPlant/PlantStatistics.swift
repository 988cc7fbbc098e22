import TaktKernel

/// What the plant measures over the observation window (after the warm-up).
@usableFromInline
struct PlantStatistics {
    @usableFromInline var windowStart: SimTime = 0
    /// Per (machine × MachineState.count + state): seconds in that state.
    @usableFromInline let stateTime: EntityTable<Double>
    /// Units in the plant (work in process), time-weighted. No level histogram: no result
    /// reports one, and keeping it cost an array write with a copy-on-write check (a call
    /// into the Swift runtime) on every change of level.
    @usableFromInline var workInProcess = TimeWeightedLevel(tracksLevels: false)
    /// Per station: units waiting in its input buffer, time-weighted (no level histogram).
    @usableFromInline let bufferLevel: EntityTable<TimeWeightedLevel>
    /// Time from release to shipping, per shipped unit.
    @usableFromInline var leadTime = Tally()
    @usableFromInline var released = 0
    @usableFromInline var shipped = 0
    @usableFromInline var shippedDefective = 0
    @usableFromInline var scrapped = 0
    @usableFromInline var lostArrivals = 0
    @usableFromInline var arrivals = 0
    @usableFromInline var reworks = 0
    /// Per product: good units shipped (no undetected defect).
    @usableFromInline let goodShippedByProduct: EntityTable<Int>
    /// Per product: units shipped (as the MES sees them: defects nobody found included), and scrapped.
    @usableFromInline let shippedByProduct: EntityTable<Int>
    @usableFromInline let scrappedByProduct: EntityTable<Int>
    /// When the last unit shipped (not reset by the warm-up).
    @usableFromInline var lastShipment: SimTime = 0
    /// Per station: units processed.
    @usableFromInline let processed: EntityTable<Int>
    /// Per station's queue: units that started processing, those of them that had to wait,
    /// their total wait in the input queue, and (per unit processed) the total time from
    /// arrival at the station to the end of its processing.
    @usableFromInline let started: EntityTable<Int>
    @usableFromInline let waited: EntityTable<Int>
    @usableFromInline let queueWait: EntityTable<Double>
    @usableFromInline let timeInStation: EntityTable<Double>
    /// Per inspection station: good units it rejected (false calls).
    @usableFromInline let falseRejects: EntityTable<Int>
    /// Per material: replenishment lots delivered.
    @usableFromInline let lotsDelivered: EntityTable<Int>
    /// Per measuring station: units measured, and those outside the specification limits.
    @usableFromInline let measured: EntityTable<Int>
    @usableFromInline let outOfSpecification: EntityTable<Int>

    /// A unit that arrived at `station` at `arrival` starts processing at `now`.
    @inlinable
    @inline(__always)
    func recordStart(station: Int, arrival: SimTime, now: SimTime) {
        let wait = now - arrival
        started[station] += 1
        if wait > 0 {
            waited[station] += 1
            queueWait[station] += wait
        }
    }

    init(machines: Int, stations: Int, products: Int, materials: Int = 0) {
        lotsDelivered = EntityTable(repeating: 0, count: materials)
        goodShippedByProduct = EntityTable(repeating: 0, count: products)
        shippedByProduct = EntityTable(repeating: 0, count: products)
        scrappedByProduct = EntityTable(repeating: 0, count: products)
        stateTime = EntityTable(repeating: 0, count: machines * MachineState.count)
        bufferLevel = EntityTable(repeating: TimeWeightedLevel(tracksLevels: false), count: stations)
        processed = EntityTable(repeating: 0, count: stations)
        started = EntityTable(repeating: 0, count: stations)
        waited = EntityTable(repeating: 0, count: stations)
        queueWait = EntityTable(repeating: 0, count: stations)
        timeInStation = EntityTable(repeating: 0, count: stations)
        falseRejects = EntityTable(repeating: 0, count: stations)
        measured = EntityTable(repeating: 0, count: stations)
        outOfSpecification = EntityTable(repeating: 0, count: stations)
    }

    /// Forgets everything before `time`, keeping current levels.
    @inlinable
    mutating func reset(at time: SimTime) {
        windowStart = time
        for i in stateTime.indices { stateTime[i] = 0 }
        workInProcess.reset(at: time)
        for i in bufferLevel.indices { bufferLevel[i].reset(at: time) }
        leadTime = Tally()
        released = 0
        shipped = 0
        shippedDefective = 0
        scrapped = 0
        lostArrivals = 0
        arrivals = 0
        reworks = 0
        for i in goodShippedByProduct.indices { goodShippedByProduct[i] = 0 }
        for i in shippedByProduct.indices { shippedByProduct[i] = 0 }
        for i in scrappedByProduct.indices { scrappedByProduct[i] = 0 }
        for i in lotsDelivered.indices { lotsDelivered[i] = 0 }
        for i in processed.indices {
            processed[i] = 0
            started[i] = 0
            waited[i] = 0
            queueWait[i] = 0
            timeInStation[i] = 0
            falseRejects[i] = 0
            measured[i] = 0
            outOfSpecification[i] = 0
        }
    }
}
