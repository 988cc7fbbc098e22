import TaktKernel

/// State accounting: each machine's state and the ISO 22400-2 time element its time goes to,
/// told to the controller whenever they differ from what it last heard (for a machine that
/// frees while units wait for the end-of-instant dispatch, at the end of that instant).
extension Plant {
    /// Changes a machine's state, adding the time spent in the old one, and tells the controller.
    @inline(__always)
    @inlinable
    mutating func setState(_ machine: Int32, _ state: MachineState, at time: SimTime) {
        accountState(machine, state, at: time)
        guard Controller.observesPlant else { return }
        report(machine, at: time)
    }

    /// Changes a machine's state like ``setState(_:_:at:)`` but tells the controller only at
    /// the end of the instant, and only if the state still differs from what it last heard.
    ///
    /// For a machine that frees while units wait for the end-of-instant dispatch: it nearly
    /// always takes one of them at once, and an idle spell of no length changes no time the
    /// controller accounts (ISO 22400-2 times are durations). Telling it of the idle and the
    /// busy that follows cost two observations per unit moved.
    @inlinable
    mutating func setStateReportingAtEndOfInstant(_ machine: Int32, _ state: MachineState, at time: SimTime) {
        accountState(machine, state, at: time)
        guard Controller.observesPlant else { return }
        let record = machines.address(of: Int(machine))
        guard !record.pointee.reportDue else { return }
        record.pointee.reportDue = true
        machinesToReport.push(machine, to: 0)
    }

    @inline(__always)
    @inlinable
    mutating func accountState(_ machine: Int32, _ state: MachineState, at time: SimTime) {
        let m = Int(machine)
        let record = machines.address(of: m)
        let old = record.pointee.state
        statistics.stateTime[m &* MachineState.count &+ old.rawValue] += time - record.pointee.stateSince
        record.pointee.state = state
        record.pointee.stateSince = time
    }

    /// Tells the controller a machine's state and time element where either differs from what
    /// it last heard: a state change, or a change of what its time counts as though its state
    /// did not change (a break began during a repair, an operator was called).
    @inline(__always)
    @inlinable
    mutating func report(_ machine: Int32, at time: SimTime) {
        let m = Int(machine)
        let record = machines.address(of: m)
        let state = record.pointee.state
        let element = timeElement(of: m, in: state)
        let reported = record.pointee.reportedState
        if reported != state || record.pointee.element != element {
            record.pointee.reportedState = state
            record.pointee.element = element
            emit(.machineStateChanged(machine: machine, from: reported, to: state, element: element), at: time)
        }
    }

    /// Tells the controller the states it has not heard of yet (at the end of an instant).
    @inlinable
    mutating func reportDeferredStates(at time: SimTime) {
        while let machine = machinesToReport.pop(0) {
            machines[Int(machine)].reportDue = false
            report(machine, at: time)
        }
    }

    /// Tells the controller when what a machine's time counts as changed though its state did
    /// not (a break began during a repair, an operator was called).
    @inlinable
    mutating func reclassify(_ machine: Int32, at time: SimTime) {
        guard Controller.observesPlant else { return }
        report(machine, at: time)
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
