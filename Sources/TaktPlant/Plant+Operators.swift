import TaktKernel

extension Plant {
    /// Makes sure one idle machine of `station` is queued for an operator, now that a unit
    /// is waiting there.
    @inlinable
    mutating func callOperator(to station: Int32, at now: SimTime) {
        let pool = Int(layout.operatorPoolOfStation[Int(station)])
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].state == .idle {
            if machines[m].awaitingOperator {
                reclassify(Int32(m), at: now)
                return
            }
            machines[m].awaitingOperator = true
            waitingForOperator.push(Int32(m), to: pool)
            reclassify(Int32(m), at: now)
            return
        }
    }

    /// The operator leaves the machine when its unit is done and goes to the machine that has
    /// waited longest for one; machines that no longer need an operator are passed over.
    @inlinable
    mutating func releaseOperator(from machine: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(machine)
        let pool = Int(layout.operatorPoolOfStation[Int(machines[m].station)])
        machines[m].hasOperator = false
        freeOperators[pool] += 1
        if !machines[m].offShift { operatorsAtWork[pool].add(-1, at: calendar.now) }
        while freeOperators[pool] > 0, let waiting = waitingForOperator.pop(pool) {
            machines[Int(waiting)].awaitingOperator = false
            if machines[Int(waiting)].state == .idle { machineFreed(waiting, calendar: &calendar) }
        }
    }

    /// `station` goes off shift (`onShift` false) or back on: an operator of its pool holding
    /// one of its machines stops or resumes being at work, and the pool stops attending once
    /// none of its stations is on shift (utilisation is over attendance time).
    @inlinable
    mutating func operatorShift(at station: Int32, onShift: Bool, at now: SimTime) {
        let pool = Int(layout.operatorPoolOfStation[Int(station)])
        guard pool >= 0 else { return }
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].hasOperator {
            operatorsAtWork[pool].add(onShift ? 1 : -1, at: now)
        }
        let size = Double(names.operatorPools[pool].size)
        if onShift {
            poolStationsOnShift[pool] += 1
            if poolStationsOnShift[pool] == 1 { operatorsAttending[pool].add(size, at: now) }
        } else {
            poolStationsOnShift[pool] -= 1
            if poolStationsOnShift[pool] == 0 { operatorsAttending[pool].add(-size, at: now) }
        }
    }
}
