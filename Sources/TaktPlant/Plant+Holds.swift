import TaktKernel

/// Unit holds: the MES takes a unit off the line into the hold area and later lets it go on.
///
/// Holds are rare, so finding a unit by serial scans the buffers and machines; the per-unit
/// path pays one counter test (``Plant/pendingUnitHolds``) while no hold is outstanding.
extension Plant {
    /// Carries out ``PlantCommand/holdUnit(serial:)``.
    @inlinable
    mutating func holdUnit(serial: Int, calendar: inout EventCalendar<PlantEvent>) {
        let now = calendar.now
        for s in 0..<layout.stationCount {
            for position in 0..<queues.count(s) where units[Int(queues.id(at: position, in: s))].serial == serial {
                let unit = queues.remove(at: position, from: s)
                statistics.bufferLevel[s].add(-1, at: now)
                units[Int(unit)].pendingDestination = Int32(s)
                putInHoldArea(unit, takenOffAt: Int32(s), at: now)
                if queues.isEmpty(s), let timer = batchTimer[s] {
                    calendar.cancel(timer)
                    batchTimer[s] = nil
                }
                pullBlocked(into: Int32(s), calendar: &calendar)
                return
            }
        }
        for m in machines.indices {
            let machine = Int32(m)
            if layout.traits[Int(machines[m].station)].contains(.batch) {
                for position in 0..<batchUnits.count(m)
                where units[Int(batchUnits.id(at: position, in: m))].serial == serial {
                    requestHold(of: batchUnits.id(at: position, in: m))
                    // A blocked batch lets its held units go to the hold area at once, and then
                    // waits for the station its new first unit goes to.
                    if machines[m].state == .blocked {
                        _ = leaveBlockedQueue(machine)
                        releaseBatch(machine, calendar: &calendar)
                    }
                    return
                }
                continue
            }
            let unit = machines[m].unit
            guard unit >= 0, units[Int(unit)].serial == serial else { continue }
            guard machines[m].inBlockedQueue else {
                requestHold(of: unit)
                return
            }
            // Finished and waiting for room downstream: off the machine now.
            let destination = leaveBlockedQueue(machine)
            units[Int(unit)].pendingDestination = destination
            machines[m].unit = -1
            putInHoldArea(unit, takenOffAt: machines[m].station, at: now)
            if machines[m].state == .blocked {
                machineFreed(machine, calendar: &calendar)
            } else {
                machines[m].interruptedState = .idle
            }
            return
        }
    }

    /// Carries out ``PlantCommand/releaseUnitHold(serial:)``.
    @inlinable
    mutating func releaseHold(serial: Int, calendar: inout EventCalendar<PlantEvent>) {
        let now = calendar.now
        if let index = holdArea.firstIndex(where: { units[Int($0.unit)].serial == serial }) {
            let (unit, station) = holdArea.remove(at: index)
            emit(.unitHoldReleased(serial: serial), at: now)
            let destination = units[Int(unit)].pendingDestination
            if destination == UnitRecord.shipped {
                ship(unit, at: now)
            } else if destination == UnitRecord.scrapped {
                scrap(unit, at: station, time: now)
            } else {
                admit(unit, to: destination, calendar: &calendar)
            }
            return
        }
        guard pendingUnitHolds > 0 else { return }
        for m in machines.indices {
            let onMachine =
                layout.traits[Int(machines[m].station)].contains(.batch)
                ? (0..<batchUnits.count(m)).map { batchUnits.id(at: $0, in: m) } : [machines[m].unit]
            for unit in onMachine where unit >= 0 && units[Int(unit)].serial == serial {
                if units[Int(unit)].holdRequested {
                    units[Int(unit)].holdRequested = false
                    pendingUnitHolds -= 1
                    emit(.unitHoldReleased(serial: serial), at: now)
                }
                return
            }
        }
    }

    /// Carries out ``PlantCommand/reworkHeldUnit(serial:station:)``.
    @inlinable
    mutating func reworkHeldUnit(serial: Int, at station: Int32, calendar: inout EventCalendar<PlantEvent>) {
        guard let index = holdArea.firstIndex(where: { units[Int($0.unit)].serial == serial }) else { return }
        let unit = holdArea[index].unit
        guard units[Int(unit)].pendingDestination >= 0 else {
            releaseHold(serial: serial, calendar: &calendar)
            return
        }
        holdArea.remove(at: index)
        emit(.unitHoldReleased(serial: serial), at: calendar.now)
        // After rework the unit goes to the station of its current route step: where it was going.
        units[Int(unit)].inRework = true
        statistics.reworks += 1
        admit(unit, to: station, calendar: &calendar)
    }

    /// Marks a unit in process to go to the hold area when its operation ends.
    @inlinable
    mutating func requestHold(of unit: Int32) {
        guard !units[Int(unit)].holdRequested else { return }
        units[Int(unit)].holdRequested = true
        pendingUnitHolds += 1
    }

    /// Moves `unit` (already off its buffer or machine) into the hold area.
    @inlinable
    mutating func putInHoldArea(_ unit: Int32, takenOffAt station: Int32, at now: SimTime) {
        if units[Int(unit)].holdRequested {
            units[Int(unit)].holdRequested = false
            pendingUnitHolds -= 1
        }
        holdArea.append((unit, station))
        emit(.unitHeld(serial: units[Int(unit)].serial, station: station), at: now)
    }

    /// Takes `machine` out of the blocked queue it waits in; returns that queue's station.
    @inlinable
    mutating func leaveBlockedQueue(_ machine: Int32) -> Int32 {
        machines[Int(machine)].inBlockedQueue = false
        for s in 0..<layout.stationCount {
            for position in 0..<blockedUpstream.count(s) where blockedUpstream.id(at: position, in: s) == machine {
                _ = blockedUpstream.remove(at: position, from: s)
                return Int32(s)
            }
        }
        preconditionFailure("machine \(machine) is marked blocked but waits in no queue")
    }

    /// The serial numbers of the units in the hold area, in the order they were put there.
    public var unitsOnHold: [Int] { holdArea.map { units[Int($0.unit)].serial } }
}
