import TaktKernel

/// Where a finished unit goes.
@usableFromInline
enum Destination {
    case station(Int32)
    case ship
    case scrap
}

extension Plant {
    // MARK: - Arrivals and units

    @inlinable
    mutating func arrival(from source: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let index = Int(source)
        sourceArrivals[index] += 1
        if case .process(let interarrival) = sources[index].arrivals,
            sourceArrivals[index] < sources[index].limit ?? .max
        {
            calendar.schedule(.arrival(source: source), after: interarrival.sample(streams.arrivals[index]))
        }
        statistics.arrivals += 1
        let product = nextProduct(from: Int(source))
        let station = layout.stepStation[layout.routeOffset[Int(product)]]
        guard hasRoom(station) else {
            statistics.lostArrivals += 1
            emit(.arrivalLost(source: source), at: calendar.now)
            return
        }
        let unit = newUnit(product: product, at: calendar.now)
        enter(unit, station: station, calendar: &calendar)
    }

    /// The product of the next unit from `source`: its product, or a draw from its mix.
    @inlinable
    mutating func nextProduct(from source: Int) -> Int32 {
        guard layout.sourceHasMix[source], let table = layout.sourceMixTable[source] else {
            return layout.sourceProduct[source]
        }
        if currentRun[source].left == 0 {
            let drawn = table.next(streams.productMix[source])
            currentRun[source] = (layout.sourceMixProducts[source][drawn], layout.sourceRunLength[source])
        }
        currentRun[source].left -= 1
        return currentRun[source].product
    }

    @inlinable
    mutating func newUnit(product: Int32, at time: SimTime) -> Int32 {
        let record = UnitRecord(serial: nextSerial, product: product, step: 0, released: time)
        nextSerial += 1
        statistics.released += 1
        lifetime.released += 1
        statistics.workInProcess.add(1, at: time)
        if _slowPath(statistics.workInProcess.level == 1) { reclassifyIdleMachines(at: time) }
        let slot: Int32
        if let free = freeUnitSlots.popLast() {
            slot = free
            units[Int(slot)] = record
        } else {
            units.append(record)
            slot = Int32(units.count - 1)
            if units.count > Self.maximumUnitsInProcess { unitLimitReached = true }
        }
        emit(.unitReleased(serial: record.serial, product: product), at: time)
        return slot
    }

    /// Gives the run up once WIP passed its bound (kept out of line, off the per-event path).
    @usableFromInline
    @inline(never)
    mutating func unitLimitStop(calendar: inout EventCalendar<PlantEvent>) {
        unitLimitReached = false
        calendar.abort(
            "more than \(Self.maximumUnitsInProcess) units in the plant at t = \(calendar.now) s: work in process grows without bound (arrivals faster than the line can work, or a hold that never ends); slow the arrivals, cap WIP with a release policy, or shorten the horizon"
        )
    }

    @inlinable
    mutating func removeUnit(_ unit: Int32, at time: SimTime) {
        statistics.workInProcess.add(-1, at: time)
        if _slowPath(statistics.workInProcess.level == 0) { reclassifyIdleMachines(at: time) }
        freeUnitSlots.append(unit)
    }

    // MARK: - Room, entering a station, starting work

    /// Whether `station` can take one more unit now: a free machine or a free buffer place.
    ///
    /// `mutating` only so that calls from mutating code borrow `self` instead of copying
    /// the whole plant (which a non-mutating call on a large struct may do).
    @inlinable
    @inline(__always)
    mutating func hasRoom(_ station: Int32) -> Bool {
        let s = Int(station)
        let capacity = layout.inputCapacity[s]
        let queued = queues.count(s)
        if queued < capacity { return true }
        guard !layout.traits[s].contains(.batch) else { return false }
        if !Controller.dispatches { return availableMachine(at: station) >= 0 }
        // Units may wait for an end-of-instant dispatch: idle machines count as room once each.
        return capacity == .max || queued < capacity + idleAvailableMachines(at: station)
    }

    /// The first machine of `station` that is idle and may start work, or −1 (`mutating`
    /// for the same reason as ``hasRoom(_:)``).
    @inlinable
    @inline(__always)
    mutating func availableMachine(at station: Int32) -> Int32 {
        let first = Int(layout.firstMachine[Int(station)])
        let end = first + Int(layout.machinesAtStation[Int(station)])
        let pool = Int(layout.operatorPoolOfStation[Int(station)])
        if pool >= 0, freeOperators[pool] == 0 { return -1 }
        if materialShort[Int(station)] { return -1 }
        for machine in first..<end where machines[machine].state == .idle {
            return Int32(machine)
        }
        return -1
    }

    /// Puts `unit` on a free machine of `station`, or in its buffer (the caller checked room).
    @inlinable
    @inline(__always)
    mutating func enter(_ unit: Int32, station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        units[Int(unit)].arrivedAt = calendar.now
        if Controller.observesArrivals {
            emit(.unitArrived(serial: units[Int(unit)].serial, station: station), at: calendar.now)
        }
        let traits = layout.traits[Int(station)]
        if traits.contains(.batch) {
            joinBatchQueue(unit, station: station, calendar: &calendar)
            return
        }
        let machine = availableMachine(at: station)
        if machine >= 0, !Controller.dispatches {
            startUnit(unit, on: machine, calendar: &calendar)
        } else {
            if machine >= 0 { scheduleDispatch(at: station, calendar: &calendar) }
            queues.push(unit, to: Int(station))
            statistics.bufferLevel[Int(station)].add(1, at: calendar.now)
            if traits.contains(.operators) { callOperator(to: station, at: calendar.now) }
            if traits.contains(.materials), materialShort[Int(station)], queues.count(Int(station)) == 1 {
                // Work now waits at a station out of material: its idle machines wait for material.
                reclassifyIdleMachines(of: station, at: calendar.now)
            }
            if Controller.observesArrivals {
                emit(.unitQueued(serial: units[Int(unit)].serial, station: station), at: calendar.now)
            }
        }
    }

    @inlinable
    @inline(__always)
    mutating func startUnit(_ unit: Int32, on machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let record = machines.address(of: m)
        let station = Int(record.pointee.station)
        let product = units[Int(unit)].product
        record.pointee.unit = unit
        statistics.recordStart(station: station, arrival: units[Int(unit)].arrivedAt, now: calendar.now)
        let traits = layout.traits[station]
        if traits.isDisjoint(with: [.operators, .setups, .materials]) {
            record.pointee.lastProduct = product
            beginSegment(
                machine, duration: cycleTime(station: station, product: product), isSetup: false, calendar: &calendar)
            emit(.processingStarted(serial: units[Int(unit)].serial, machine: machine), at: calendar.now)
            return
        }
        acquireOperator(for: machine, at: calendar.now)
        let last = record.pointee.lastProduct
        var setup: SimTime = 0
        if traits.contains(.setups), last >= 0, last != product {
            setup = layout.setupTimes[station][Int(last) * layout.productCount + Int(product)]
        }
        if setup > 0 {
            beginSegment(machine, duration: setup, isSetup: true, calendar: &calendar)
        } else {
            record.pointee.lastProduct = product
            beginSegment(
                machine, duration: cycleTime(station: station, product: product), isSetup: false, calendar: &calendar)
        }
        emit(.processingStarted(serial: units[Int(unit)].serial, machine: machine), at: calendar.now)
        let slot = Int(product) * layout.stationCount + station
        if layout.consumes[slot] { consumeMaterials(for: unit, at: Int32(station), slot: slot, calendar: &calendar) }
    }

    /// Draws a processing time for `product` at `station`.
    @inlinable
    @inline(__always)
    mutating func cycleTime(station: Int, product: Int32) -> SimTime {
        let index = station * layout.productCount + Int(product)
        let parameters = layout.cycleParameters[index]
        let time =
            parameters.needsTable
            ? layout.cycle[index].sample(streams.cycle[station]) : parameters.sample(cycleGenerators[station])
        // Full speed is the rule: skip the division (x / 1 is x exactly), which the start waits for.
        let share = speed[station]
        return share == 1 ? time : time / share
    }

    /// Starts (or resumes) a setup or processing segment of `duration` seconds.
    @inlinable
    @inline(__always)
    mutating func beginSegment(
        _ machine: Int32, duration: SimTime, isSetup: Bool, calendar: inout EventCalendar<PlantEvent>
    ) {
        let m = Int(machine)
        let record = machines.address(of: m)
        record.pointee.remainingWork = duration
        record.pointee.segmentStart = calendar.now
        record.pointee.segmentIsSetup = isSetup
        setState(machine, isSetup ? .setup : .busy, at: calendar.now)
        let traits = layout.traits[Int(record.pointee.station)]
        var end = PlantEvent.workDone(machine: machine)
        var delay = duration
        var priority = EventPriority.normal
        if traits.contains(.operatingTimeFailures), !isSetup, record.pointee.timeToFailure < duration {
            end = .failure(machine: machine)
            delay = record.pointee.timeToFailure
            priority = .urgent
        }
        if traits.contains(.interruptible) {
            record.pointee.workHandle = calendar.scheduleCancellable(end, at: calendar.now + delay, priority: priority)
        } else {
            calendar.schedule(end, after: delay, priority: priority)
        }
    }

    /// Stops the segment under way now, keeping the work left (and, on the operating-time
    /// clock, the operating time used) so that it resumes exactly.
    @inlinable
    mutating func interruptSegment(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let elapsed = calendar.now - machines[m].segmentStart
        machines[m].remainingWork -= elapsed
        if layout.failureClock[Int(machines[m].station)] == 1, !machines[m].segmentIsSetup {
            machines[m].timeToFailure -= elapsed
        }
        if let handle = machines[m].workHandle {
            calendar.cancel(handle)
            machines[m].workHandle = nil
        }
    }

    // MARK: - Finishing work

    @inlinable
    mutating func workDone(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let record = machines.address(of: m)
        record.pointee.workHandle = nil
        let unit = record.pointee.unit
        let station = Int(record.pointee.station)
        if record.pointee.segmentIsSetup {
            let product = units[Int(unit)].product
            record.pointee.lastProduct = product
            beginSegment(
                machine, duration: cycleTime(station: station, product: product), isSetup: false, calendar: &calendar)
            return
        }
        if record.pointee.hasOperator { releaseOperator(from: machine, calendar: &calendar) }
        if layout.traits[station].contains(.batch) {
            finishBatch(machine, calendar: &calendar)
            return
        }
        let worked = record.pointee.remainingWork
        if record.pointee.timeToFailure.isFinite { record.pointee.timeToFailure -= worked }
        if record.pointee.unitsToFailure != .max { record.pointee.unitsToFailure -= 1 }
        operatingSinceAdjustment[station] += worked
        statistics.processed[station] += 1
        statistics.timeInStation[station] += calendar.now - units[Int(unit)].arrivedAt
        emit(
            .processingFinished(
                serial: units[Int(unit)].serial, machine: machine, product: units[Int(unit)].product),
            at: calendar.now)
        let destination = nextDestination(of: unit, after: Int32(station), at: calendar.now)
        releaseUnit(from: machine, to: destination, calendar: &calendar)
    }

    /// Moves the machine's finished unit on, or blocks the machine when there is no room.
    @inlinable
    @inline(__always)
    mutating func releaseUnit(
        from machine: Int32, to destination: Destination, calendar: inout EventCalendar<PlantEvent>
    ) {
        let m = Int(machine)
        let record = machines.address(of: m)
        let unit = record.pointee.unit
        let now = calendar.now
        if pendingUnitHolds != 0, units[Int(unit)].holdRequested {
            units[Int(unit)].pendingDestination =
                switch destination {
                case .ship: UnitRecord.shipped
                case .scrap: UnitRecord.scrapped
                case .station(let next): next
                }
            record.pointee.unit = -1
            putInHoldArea(unit, takenOffAt: record.pointee.station, at: now)
            machineFreed(machine, calendar: &calendar)
            return
        }
        switch destination {
        case .ship:
            ship(unit, at: now)
        case .scrap:
            scrap(unit, at: record.pointee.station, time: now)
        case .station(let next):
            guard hasRoom(next) else {
                setState(machine, .blocked, at: now)
                blockedUpstream.push(machine, to: Int(next))
                record.pointee.inBlockedQueue = true
                return
            }
            record.pointee.unit = -1
            enter(unit, station: next, calendar: &calendar)
            machineFreed(machine, calendar: &calendar)
            return
        }
        record.pointee.unit = -1
        machineFreed(machine, calendar: &calendar)
    }

    /// A finished unit leaves the plant through the sink.
    @inlinable
    @inline(__always)
    mutating func ship(_ unit: Int32, at now: SimTime) {
        let record = units[Int(unit)]
        statistics.shipped += 1
        statistics.shippedByProduct[Int(record.product)] += 1
        lifetime.shipped += 1
        statistics.leadTime.add(now - record.released)
        statistics.lastShipment = now
        if record.defects != 0 {
            statistics.shippedDefective += 1
        } else {
            statistics.goodShippedByProduct[Int(record.product)] += 1
        }
        emit(.unitShipped(serial: record.serial, defective: record.defects != 0), at: now)
        removeUnit(unit, at: now)
    }

    /// A rejected unit is scrapped at `station`.
    @inlinable
    mutating func scrap(_ unit: Int32, at station: Int32, time now: SimTime) {
        statistics.scrapped += 1
        statistics.scrappedByProduct[Int(units[Int(unit)].product)] += 1
        lifetime.scrapped += 1
        emit(.unitScrapped(serial: units[Int(unit)].serial, station: station), at: now)
        removeUnit(unit, at: now)
    }

    /// Takes an operator from the station's pool for `machine`, if it needs one and has none.
    @inlinable
    mutating func acquireOperator(for machine: Int32, at now: SimTime) {
        let m = Int(machine)
        let pool = Int(layout.operatorPoolOfStation[Int(machines[m].station)])
        if pool >= 0, !machines[m].hasOperator {
            freeOperators[pool] -= 1
            machines[m].hasOperator = true
            if !machines[m].offShift { operatorsAtWork[pool].add(1, at: now) }
        }
    }

    /// A machine without a unit looks for its next work, or goes idle, on hold or down.
    ///
    /// This is the plant's decision point, so commands the controller sent in reaction to what
    /// just happened (a hold after a bad measurement, say) take effect here, before the next unit.
    @inlinable
    mutating func machineFreed(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        if !pendingCommands.isEmpty { applyCommands(calendar: &calendar) }
        let m = Int(machine)
        let record = machines.address(of: m)
        let now = calendar.now
        if record.pointee.maintenancePending > 0 {
            beginMaintenance(machine, calendar: &calendar)
            return
        }
        if record.pointee.holdRequested || record.pointee.offShift {
            record.pointee.interruptedState = .idle
            setState(machine, .plannedStop, at: now)
            return
        }
        if record.pointee.unitsToFailure <= 0 {
            breakDown(machine, interrupting: .idle, calendar: &calendar)
            return
        }
        let station = record.pointee.station
        let traits = layout.traits[Int(station)]
        let pool = traits.contains(.operators) ? Int(layout.operatorPoolOfStation[Int(station)]) : -1
        if pool >= 0, freeOperators[pool] == 0,
            !queues.isEmpty(Int(station)) || layout.unlimitedSource[Int(station)] >= 0
        {
            // Work is waiting but nobody can run it: queue for the next free operator.
            // (Reached before the material check: an operator is what it waits for first.)
            if !record.pointee.awaitingOperator {
                record.pointee.awaitingOperator = true
                waitingForOperator.push(machine, to: pool)
            }
            setState(machine, .idle, at: now)
            return
        }
        if traits.contains(.materials), materialShort[Int(station)] {
            // A material it consumes has run out: it waits for the supplier's next lot.
            setState(machine, .idle, at: now)
            pullBlocked(into: station, calendar: &calendar)
            return
        }
        if traits.contains(.batch) {
            startBatchIfReady(machine, calendar: &calendar)
            return
        }
        if Controller.dispatches, !dispatchingNow, !queues.isEmpty(Int(station)) {
            // Decide at the end of the instant, among everything that arrives by then.
            setStateReportingAtEndOfInstant(machine, .idle, at: now)
            scheduleDispatch(at: station, calendar: &calendar)
            pullBlocked(into: station, calendar: &calendar)
            return
        }
        if !queues.isEmpty(Int(station)) {
            var position = 0
            if Controller.dispatches, queues.count(Int(station)) > 1 {
                let waiting = WaitingUnits(queues: queues, station: Int(station), units: units)
                position = controller.selectNext(from: waiting, machine: machine, at: now)
                precondition(position >= 0 && position < waiting.count, "dispatch chose no waiting unit")
            }
            let unit = queues.remove(at: position, from: Int(station))
            statistics.bufferLevel[Int(station)].add(-1, at: now)
            startUnit(unit, on: machine, calendar: &calendar)
            pullBlocked(into: station, calendar: &calendar)
            return
        }
        let source = Int(layout.unlimitedSource[Int(station)])
        if source >= 0 {
            startUnit(newUnit(product: nextProduct(from: source), at: now), on: machine, calendar: &calendar)
            return
        }
        setState(machine, .idle, at: now)
        pullBlocked(into: station, calendar: &calendar)
    }

    /// Idle machines of `station` that may start work (operators permitting).
    @inlinable
    mutating func idleAvailableMachines(at station: Int32) -> Int {
        let pool = Int(layout.operatorPoolOfStation[Int(station)])
        let first = Int(layout.firstMachine[Int(station)])
        var idle = 0
        if materialShort[Int(station)] { return 0 }
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].state == .idle {
            idle += 1
        }
        return pool >= 0 ? min(idle, freeOperators[pool]) : idle
    }

    /// Marks `station` for the end-of-instant dispatch, once per instant. No event is needed:
    /// after each event the plant checks whether the instant is over (``dispatchIfInstantIsOver(calendar:)``).
    @inlinable
    mutating func scheduleDispatch(at station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        guard !dispatchPending[Int(station)] else { return }
        dispatchPending[Int(station)] = true
        stationsToDispatch.push(station, to: 0)
    }

    /// Runs the pending end-of-instant dispatches once no further event is due at this instant
    /// (dispatching may move units on and mark more stations, which run in the same instant),
    /// then tells the controller the machine states it deferred.
    @inlinable
    mutating func dispatchIfInstantIsOver(calendar: inout EventCalendar<PlantEvent>) {
        if let next = calendar.nextEventTime(), next <= calendar.now { return }
        repeat {
            while let station = stationsToDispatch.pop(0) {
                dispatchWaiting(at: station, calendar: &calendar)
                if !pendingCommands.isEmpty { applyCommands(calendar: &calendar) }
            }
            reportDeferredStates(at: calendar.now)
            if !pendingCommands.isEmpty { applyCommands(calendar: &calendar) }
        } while !stationsToDispatch.isEmpty(0)
    }

    /// The end-of-instant dispatch: every idle machine of `station` takes a waiting unit, chosen
    /// by the controller among all units there now.
    @inlinable
    mutating func dispatchWaiting(at station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        dispatchPending[Int(station)] = false
        dispatchingNow = true
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)]))
        where machines[m].state == .idle && !queues.isEmpty(Int(station)) {
            machineFreed(Int32(m), calendar: &calendar)
        }
        dispatchingNow = false
    }

    /// While `station` has room, moves units from blocked upstream machines into it, oldest first.
    @inlinable
    mutating func pullBlocked(into station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        while !blockedUpstream.isEmpty(Int(station)), hasRoom(station) {
            guard let upstream = blockedUpstream.pop(Int(station)) else { break }
            let u = Int(upstream)
            machines[u].inBlockedQueue = false
            if layout.traits[Int(machines[u].station)].contains(.batch) {
                pullFromBatch(upstream, into: station, calendar: &calendar)
                continue
            }
            let unit = machines[u].unit
            machines[u].unit = -1
            enter(unit, station: station, calendar: &calendar)
            if machines[u].state != .blocked {
                // Unloaded while broken or stopped: afterwards the machine is simply free.
                machines[u].interruptedState = .idle
            } else {
                machineFreed(upstream, calendar: &calendar)
            }
        }
    }
}
