import TaktKernel

extension Plant {
    /// Makes sure one idle machine of `station` is queued for an operator, now that a unit
    /// is waiting there.
    @inlinable
    mutating func callOperator(to station: Int32) {
        let pool = Int(layout.operatorPoolOfStation[Int(station)])
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].state == .idle {
            if machines[m].awaitingOperator { return }
            machines[m].awaitingOperator = true
            waitingForOperator.push(Int32(m), to: pool)
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
        operatorsAtWork[pool].add(-1, at: calendar.now)
        while freeOperators[pool] > 0, let waiting = waitingForOperator.pop(pool) {
            machines[Int(waiting)].awaitingOperator = false
            if machines[Int(waiting)].state == .idle { machineFreed(waiting, calendar: &calendar) }
        }
    }
}
