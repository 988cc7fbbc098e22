import TaktKernel

/// State accounting: each machine's state and the ISO 22400-2 time element its time goes to,
/// told to the controller with every change.
extension Plant {
    /// Changes a machine's state, adding the time spent in the old one.
    @inline(__always)
    @inlinable
    mutating func setState(_ machine: Int32, _ state: MachineState, at time: SimTime) {
        let m = Int(machine)
        let record = machines.address(of: m)
        let old = record.pointee.state
        statistics.stateTime[m &* MachineState.count &+ old.rawValue] += time - record.pointee.stateSince
        record.pointee.state = state
        record.pointee.stateSince = time
        guard Controller.observesPlant else { return }
        let element = timeElement(of: m, in: state)
        if old != state || record.pointee.element != element {
            record.pointee.element = element
            emit(.machineStateChanged(machine: machine, from: old, to: state, element: element), at: time)
        }
    }

    /// Tells the controller when what a machine's time counts as changed though its state did
    /// not (a break began during a repair, an operator was called).
    @inlinable
    mutating func reclassify(_ machine: Int32, at time: SimTime) {
        guard Controller.observesPlant else { return }
        let m = Int(machine)
        let element = timeElement(of: m, in: machines[m].state)
        guard machines[m].element != element else { return }
        machines[m].element = element
        let state = machines[m].state
        emit(.machineStateChanged(machine: machine, from: state, to: state, element: element), at: time)
    }

    /// Re-tells idle machines where units do not enter the line what they wait for: the line
    /// just emptied (no work released) or just got its first unit again (starved).
    @usableFromInline
    @inline(never)
    mutating func reclassifyIdleMachines(at time: SimTime) {
        for m in machines.indices where machines[m].state == .idle { reclassify(Int32(m), at: time) }
    }

    /// The ISO 22400-2 element a machine's time goes to in `state`, planned before unplanned:
    /// off shift or in planned maintenance is planned down time whatever else holds.
    /// (`mutating` only so that it borrows the plant instead of copying it, as ``hasRoom(_:)``.)
    @inline(__always)
    @inlinable
    mutating func timeElement(of m: Int, in state: MachineState) -> TimeElement {
        switch state {
        case .busy: return .production
        case .setup: return .setup
        default: break
        }
        let record = machines.address(of: m)
        if record.pointee.offShift { return .offShift }
        switch state {
        case .down:
            return .breakdown
        case .blocked:
            return .blocked
        case .plannedStop:
            if record.pointee.maintenancePending != 0 {
                return record.pointee.maintenancePlanned ? .plannedMaintenance : .unplannedMaintenance
            }
            return .mesHold
        default:
            let s = Int(record.pointee.station)
            if record.pointee.awaitingOperator, !queues.isEmpty(s) || layout.unlimitedSource[s] >= 0 {
                return .waitingForOperator
            }
            if materialShort[s], !queues.isEmpty(s) || layout.unlimitedSource[s] >= 0 {
                return .waitingForMaterial
            }
            if layout.traits[s].contains(.entry) || statistics.workInProcess.level == 0 {
                return .noWorkReleased
            }
            return .starved
        }
    }

    @inlinable
    mutating func flushStateTimes(at time: SimTime) {
        for m in machines.indices {
            statistics.stateTime[m * MachineState.count + machines[m].state.rawValue] += time - machines[m].stateSince
            machines[m].stateSince = time
        }
    }
}
