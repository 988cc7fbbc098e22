import TaktKernel

extension Plant {
    /// A failure event: calendar-time failures arrive whatever the machine does; operating-time
    /// ones only ever interrupt processing.
    @inlinable
    mutating func fail(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let state = machines[m].state
        if state == .plannedStop || state == .down {
            // Not running, so not failing: a calendar-time failure in a planned stop, or while a
            // scripted breakdown has the machine down already, is skipped and its clock restarts.
            if let failures = layout.failures[Int(machines[m].station)] {
                calendar.schedule(
                    .failure(machine: machine),
                    after: failures.between.sample(streams.failure[Int(machines[m].station)]), priority: .urgent)
            }
            return
        }
        if state == .busy || state == .setup {
            interruptSegment(machine, calendar: &calendar)
        }
        breakDown(machine, interrupting: state, calendar: &calendar)
    }

    /// Puts the machine down and asks for a repair; `interrupting` is what it resumes after.
    @inlinable
    mutating func breakDown(
        _ machine: Int32, interrupting state: MachineState, calendar: inout EventCalendar<PlantEvent>
    ) {
        let m = Int(machine)
        machines[m].interruptedState = state
        setState(machine, .down, at: calendar.now)
        let pool = Int(layout.technicianPoolOfStation[Int(machines[m].station)])
        if pool < 0 || freeTechnicians[pool] > 0 {
            if pool >= 0 { freeTechnicians[pool] -= 1 }
            scheduleRepair(machine, calendar: &calendar)
        } else {
            waitingForTechnician[pool].push(machine)
        }
    }

    @inlinable
    mutating func scheduleRepair(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let station = Int(machines[m].station)
        // Cancellable (same place in the event order as a plain event), so a repair command
        // can end it early.
        if machines[m].forcedRepair > 0 {
            machines[m].repairHandle = calendar.scheduleCancellable(
                .repairDone(machine: machine), at: calendar.now + machines[m].forcedRepair)
            return
        }
        guard let failures = layout.failures[station] else { return }
        machines[m].repairHandle = calendar.scheduleCancellable(
            .repairDone(machine: machine), at: calendar.now + failures.repair.sample(streams.repair[station]))
    }

    @inlinable
    mutating func repairDone(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        machines[m].repairHandle = nil
        releaseTechnician(station: Int(machines[m].station), calendar: &calendar)
        if machines[m].forcedRepair > 0 {
            // The station's own failure clock runs on; a forced failure does not renew it.
            machines[m].forcedRepair = 0
        } else {
            renewFailureClock(machine, calendar: &calendar)
        }
        resume(machine, calendar: &calendar)
    }

    /// A technician of `station`'s pool is free: the longest-waiting repair or maintenance
    /// gets them, else they go back to the pool.
    @inlinable
    mutating func releaseTechnician(station: Int, calendar: inout EventCalendar<PlantEvent>) {
        let pool = Int(layout.technicianPoolOfStation[station])
        guard pool >= 0 else { return }
        if let next = waitingForTechnician[pool].pop() {
            if machines[Int(next)].state == .down {
                scheduleRepair(next, calendar: &calendar)
            } else {
                startMaintenanceWork(next, calendar: &calendar)
            }
        } else {
            freeTechnicians[pool] += 1
        }
    }

    /// Returns a machine to what it was doing before a failure or planned stop — unless it is
    /// (still) in a planned stop of its calendar, where it waits for the stop to end.
    @inlinable
    mutating func resume(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        if machines[m].offShift {
            setState(machine, .plannedStop, at: calendar.now)
            return
        }
        switch machines[m].interruptedState {
        case .busy, .setup:
            beginSegment(
                machine, duration: machines[m].remainingWork, isSetup: machines[m].segmentIsSetup,
                calendar: &calendar)
        case .blocked where layout.batchCapacity[Int(machines[m].station)] > 0:
            releaseBatch(machine, calendar: &calendar)
        case .blocked:
            setState(machine, .blocked, at: calendar.now)
        case .idle, .plannedStop, .down:
            setState(machine, .idle, at: calendar.now)
            machineFreed(machine, calendar: &calendar)
        }
    }

    /// Draws the next time (or unit count) to failure: a repaired machine is as good as new.
    @inlinable
    mutating func renewFailureClock(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let station = Int(machines[m].station)
        guard let failures = layout.failures[station] else { return }
        switch failures.clock {
        case .operatingTime:
            machines[m].timeToFailure = failures.between.sample(streams.failure[station])
        case .calendarTime:
            calendar.schedule(
                .failure(machine: machine), after: failures.between.sample(streams.failure[station]), priority: .urgent)
        case .units(let count):
            machines[m].unitsToFailure = count
        }
    }

    // MARK: - Planned maintenance

    /// Stops the machine for its maintenance; the work starts when a technician of its
    /// station's pool is free (the pool its repairs use: repairs and maintenance share it).
    @inlinable
    mutating func beginMaintenance(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        machines[m].interruptedState = .idle
        setState(machine, .plannedStop, at: calendar.now)
        let pool = Int(layout.technicianPoolOfStation[Int(machines[m].station)])
        if pool >= 0 {
            guard freeTechnicians[pool] > 0 else {
                waitingForTechnician[pool].push(machine)
                return
            }
            freeTechnicians[pool] -= 1
        }
        startMaintenanceWork(machine, calendar: &calendar)
    }

    @inlinable
    mutating func startMaintenanceWork(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        calendar.schedule(.maintenanceDone(machine: machine), after: machines[m].maintenancePending)
        machines[m].maintenancePending = -1  // in progress
        emit(.maintenanceStarted(machine: machine), at: calendar.now)
    }

    @inlinable
    mutating func maintenanceDone(_ machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        machines[m].maintenancePending = 0
        emit(.maintenanceFinished(machine: machine), at: calendar.now)
        releaseTechnician(station: Int(machines[m].station), calendar: &calendar)
        let station = Int(machines[m].station)
        if let failures = layout.failures[station], failures.clock != .calendarTime {
            renewFailureClock(machine, calendar: &calendar)
        }
        machineFreed(machine, calendar: &calendar)
    }

    // MARK: - Commands from the MES

    /// Carries out the controller's pending commands in the order sent, including any sent
    /// while carrying them out; a nested call (from a decision point inside a command) returns
    /// at once and leaves them to the outer loop.
    @inlinable
    mutating func applyCommands(calendar: inout EventCalendar<PlantEvent>) {
        guard !applyingCommands else { return }
        applyingCommands = true
        var index = 0
        while index < pendingCommands.count {
            apply(pendingCommands[index], calendar: &calendar)
            index += 1
        }
        pendingCommands.removeAll(keepingCapacity: true)
        applyingCommands = false
    }

    @inlinable
    mutating func apply(_ command: PlantCommand, calendar: inout EventCalendar<PlantEvent>) {
        switch command {
        case .holdMachine(let machine):
            let m = Int(machine)
            machines[m].holdRequested = true
            if machines[m].state == .idle {
                machines[m].interruptedState = .idle
                setState(machine, .plannedStop, at: calendar.now)
            }
        case .releaseMachine(let machine):
            let m = Int(machine)
            machines[m].holdRequested = false
            if machines[m].state == .plannedStop, machines[m].maintenancePending == 0, !machines[m].offShift {
                // A machine held through the end of a break still has the unit the break paused.
                resume(machine, calendar: &calendar)
            }
        case .startMaintenance(let machine, let duration, let planned):
            let m = Int(machine)
            guard machines[m].maintenancePending == 0 else { return }
            machines[m].maintenancePending = duration
            machines[m].maintenancePlanned = planned
            if machines[m].state == .idle || machines[m].state == .plannedStop {
                beginMaintenance(machine, calendar: &calendar)
            }
        case .adjustProcess(let station, let offset):
            operatingSinceAdjustment[Int(station)] = 0
            processOffset[Int(station)] = offset
        case .setTimer(let tag, let delay):
            calendar.schedule(.controllerTimer(tag: tag), after: delay)
        case .releaseUnit(let product):
            let station = layout.stepStation[layout.routeOffset[Int(product)]]
            admit(newUnit(product: product, at: calendar.now), to: station, calendar: &calendar)
        case .holdUnit(let serial):
            holdUnit(serial: serial, calendar: &calendar)
        case .releaseUnitHold(let serial):
            releaseHold(serial: serial, calendar: &calendar)
        case .scrapHeldUnit(let serial):
            if let index = holdArea.firstIndex(where: { units[Int($0.unit)].serial == serial }) {
                let (unit, station) = holdArea.remove(at: index)
                scrap(unit, at: station, time: calendar.now)
            }
        case .reworkHeldUnit(let serial, let station):
            reworkHeldUnit(serial: serial, at: station, calendar: &calendar)
        case .breakDown(let machine, let repair):
            let m = Int(machine)
            let state = machines[m].state
            guard state != .down, machines[m].maintenancePending == 0 else { return }
            precondition(
                layout.traits[Int(machines[m].station)].contains(.interruptible) || (state != .busy && state != .setup),
                "a breakdown command needs the station marked interruptible")
            if state == .busy || state == .setup { interruptSegment(machine, calendar: &calendar) }
            machines[m].forcedRepair = repair
            // In a planned stop the machine keeps what the stop interrupted (a paused unit),
            // and takes it up again when both the repair and the stop are over.
            breakDown(
                machine, interrupting: state == .plannedStop ? machines[m].interruptedState : state,
                calendar: &calendar)
        case .repairMachine(let machine):
            let m = Int(machine)
            guard machines[m].state == .down, let repair = machines[m].repairHandle else { return }
            calendar.cancel(repair)
            repairDone(machine, calendar: &calendar)
        case .setSpeed(let station, let share):
            speed[Int(station)] = share
        case .quarantineLot(let material, let lot):
            quarantineLot(material: material, lot: lot, calendar: &calendar)
        case .releaseLot(let material, let lot):
            if material >= 0, Int(material) < quarantinedLots.count { quarantinedLots[Int(material)].remove(lot) }
        }
    }

    /// Puts `unit` into `station`: on a machine or in its buffer, even beyond its places (the
    /// MES decided it goes there).
    @inlinable
    mutating func admit(_ unit: Int32, to station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        if layout.traits[Int(station)].contains(.batch) || hasRoom(station) {
            enter(unit, station: station, calendar: &calendar)
            return
        }
        units[Int(unit)].arrivedAt = calendar.now
        queues.push(unit, to: Int(station))
        statistics.bufferLevel[Int(station)].add(1, at: calendar.now)
        if Controller.observesArrivals {
            emit(.unitArrived(serial: units[Int(unit)].serial, station: station), at: calendar.now)
            emit(.unitQueued(serial: units[Int(unit)].serial, station: station), at: calendar.now)
        }
    }
}
