import TaktKernel

extension Plant {
    /// The first idle machine of `station`, operator or not, or −1.
    @inlinable
    mutating func firstIdleMachine(at station: Int32) -> Int32 {
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].state == .idle {
            return Int32(m)
        }
        return -1
    }

    /// A unit waits at a batch station; the first one starts the longest-wait clock, and a
    /// full batch starts at once on an idle machine.
    @inlinable
    mutating func joinBatchQueue(_ unit: Int32, station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let s = Int(station)
        queues.push(unit, to: s)
        statistics.bufferLevel[s].add(1, at: calendar.now)
        if Controller.observesArrivals {
            emit(.unitQueued(serial: units[Int(unit)].serial, station: station), at: calendar.now)
        }
        if queues.count(s) == 1 { startWaitClock(station, calendar: &calendar) }
        if layout.operatorPoolOfStation[s] >= 0 { callOperator(to: station, at: calendar.now) }
        if queues.count(s) >= Int(layout.batchCapacity[s]) {
            let machine = availableMachine(at: station)
            if machine >= 0 { machineFreed(machine, calendar: &calendar) }
        }
    }

    @inlinable
    mutating func startWaitClock(_ station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let s = Int(station)
        if let pending = batchTimer[s] { calendar.cancel(pending) }
        batchTimer[s] = calendar.scheduleCancellable(
            .batchWaitOver(station: station), at: calendar.now + layout.batchMaxWait[s])
    }

    /// Starts a batch on `machine` if a full batch waits or the first unit has waited long
    /// enough (its timer has fired); otherwise the machine idles.
    @inlinable
    mutating func startBatchIfReady(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let station = machines[m].station
        let s = Int(station)
        let capacity = Int(layout.batchCapacity[s])
        let source = Int(layout.unlimitedSource[s])
        if source >= 0 {
            while queues.count(s) < capacity {
                queues.push(newUnit(product: nextProduct(from: source), at: calendar.now), to: s)
                statistics.bufferLevel[s].add(1, at: calendar.now)
            }
        }
        let waitedEnough = !queues.isEmpty(s) && batchTimer[s] == nil
        guard queues.count(s) >= capacity || waitedEnough else {
            setState(machine, .idle, at: calendar.now)
            pullBlocked(into: station, calendar: &calendar)
            return
        }
        let size = min(capacity, queues.count(s))
        var first: Int32 = -1
        for _ in 0..<size {
            guard let unit = queues.pop(s) else { break }
            statistics.bufferLevel[s].add(-1, at: calendar.now)
            statistics.recordStart(station: s, arrival: units[Int(unit)].arrivedAt, now: calendar.now)
            batchUnits.push(unit, to: m)
            if first < 0 { first = unit }
        }
        machines[m].unit = first
        acquireOperator(for: machine, at: calendar.now)
        let firstProduct = units[Int(first)].product
        machines[m].lastProduct = firstProduct
        beginSegment(
            machine, duration: cycleTime(station: s, product: firstProduct), isSetup: false, calendar: &calendar)
        for _ in 0..<batchUnits.count(m) {
            guard let unit = batchUnits.pop(m) else { break }
            emit(.processingStarted(serial: units[Int(unit)].serial, machine: machine), at: calendar.now)
            let slot = Int(units[Int(unit)].product) * layout.stationCount + s
            if layout.consumes[slot] { consumeMaterials(for: unit, at: station, slot: slot, calendar: &calendar) }
            batchUnits.push(unit, to: m)
        }
        // Units left behind start a new wait; with none left the clock stops.
        if let pending = batchTimer[s] {
            calendar.cancel(pending)
            batchTimer[s] = nil
        }
        if !queues.isEmpty(s) { startWaitClock(station, calendar: &calendar) }
        pullBlocked(into: station, calendar: &calendar)
    }

    /// The batch is done: every unit is inspected and routed on its own, then released.
    @inlinable
    mutating func finishBatch(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let station = machines[m].station
        let count = batchUnits.count(m)
        let worked = machines[m].remainingWork
        if machines[m].timeToFailure.isFinite { machines[m].timeToFailure -= worked }
        if machines[m].unitsToFailure != .max { machines[m].unitsToFailure -= count }
        operatingSinceAdjustment[Int(station)] += worked
        for _ in 0..<count {
            guard let unit = batchUnits.pop(m) else { break }
            statistics.processed[Int(station)] += 1
            statistics.timeInStation[Int(station)] += calendar.now - units[Int(unit)].arrivedAt
            emit(
                .processingFinished(
                    serial: units[Int(unit)].serial, machine: machine, product: units[Int(unit)].product),
                at: calendar.now)
            switch nextDestination(of: unit, after: station, at: calendar.now) {
            case .ship: units[Int(unit)].pendingDestination = UnitRecord.shipped
            case .scrap: units[Int(unit)].pendingDestination = UnitRecord.scrapped
            case .station(let next): units[Int(unit)].pendingDestination = next
            }
            batchUnits.push(unit, to: m)
        }
        releaseBatch(machine, calendar: &calendar)
    }

    /// Moves the batch's units on in order; the machine blocks on the first that finds no room.
    @inlinable
    mutating func releaseBatch(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        while let unit = batchUnits.first(m) {
            let destination = units[Int(unit)].pendingDestination
            if pendingUnitHolds != 0, units[Int(unit)].holdRequested {
                _ = batchUnits.pop(m)
                putInHoldArea(unit, takenOffAt: machines[m].station, at: calendar.now)
            } else if destination == UnitRecord.shipped {
                _ = batchUnits.pop(m)
                ship(unit, at: calendar.now)
            } else if destination == UnitRecord.scrapped {
                _ = batchUnits.pop(m)
                scrap(unit, at: machines[m].station, time: calendar.now)
            } else if hasRoom(destination) {
                _ = batchUnits.pop(m)
                enter(unit, station: destination, calendar: &calendar)
            } else {
                setState(machine, .blocked, at: calendar.now)
                if !machines[m].inBlockedQueue {
                    machines[m].inBlockedQueue = true
                    blockedUpstream.push(machine, to: Int(destination))
                }
                return
            }
        }
        machines[m].unit = -1
        machineFreed(machine, calendar: &calendar)
    }

    /// A station with room takes the head unit of a blocked batch machine; a running machine
    /// then carries on releasing, a stopped one does so when it resumes.
    @inlinable
    mutating func pullFromBatch(_ machine: Int32, into station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        guard let unit = batchUnits.pop(m) else { return }
        enter(unit, station: station, calendar: &calendar)
        if machines[m].state == .blocked {
            releaseBatch(machine, calendar: &calendar)
        } else if batchUnits.isEmpty(m) {
            machines[m].unit = -1
            machines[m].interruptedState = .idle
        }
    }
}
