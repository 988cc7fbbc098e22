import TaktKernel
import TaktPlant

/// Maintenance work orders: preventive ones from the scenario's plans (calendar time,
/// operating time, unit count), condition-based ones from rules, each recorded from request
/// to finish.
extension MESCore {
    /// Asks for maintenance of `machine`, unless a work order for it is already open.
    mutating func requestMaintenance(
        _ machine: Int32, duration: Double, planned: Bool = false, trigger: String, at time: Double,
        commands: inout [PlantCommand]
    ) {
        let m = Int(machine)
        guard openMaintenance[m] == nil else { return }
        maintenanceOrdersIssued += 1
        openMaintenance[m] = MaintenanceOrder(
            id: maintenanceOrdersIssued, machine: machine, station: stationOfMachine[m], trigger: trigger,
            requested: time)
        commands.append(.startMaintenance(machine: machine, duration: duration, planned: planned))
        if settings.audits {
            audit(
                time, trigger.hasPrefix("rule") || trigger == "incident" ? trigger : "maintenance-plan",
                "maintenance-requested", machineSubjects[Int(machine)],
                "work order \(maintenanceOrdersIssued), \(trigger)",
                new: "\(duration) s")
        }
    }

    /// A unit finished at a station with maintenance plans: counts toward unit and
    /// operating-time triggers.
    mutating func unitFinished(serial: Int, machine: Int32, at time: Double, commands: inout [PlantCommand]) {
        let m = Int(machine)
        unitsSinceMaintenance[m] += 1
        // The unit's own processing is still running on the clock: count it up to now.
        let operating =
            busySinceMaintenance[m] + (oee.state(ofMachine: m) == .busy ? time - busySince[m] : 0)
        for index in maintenancePlansOfStation[Int(stationOfMachine[m])] {
            let plan = settings.maintenance[index]
            switch plan.trigger {
            case .units(let count) where unitsSinceMaintenance[m] >= count:
                requestMaintenance(
                    machine, duration: plan.duration, planned: plan.planned, trigger: "units", at: time,
                    commands: &commands)
            case .operatingTime(let seconds) where operating >= seconds:
                requestMaintenance(
                    machine, duration: plan.duration, planned: plan.planned, trigger: "operating-time", at: time,
                    commands: &commands)
            default:
                break
            }
        }
    }

    mutating func maintenanceStarted(_ machine: Int32, at time: Double) {
        let m = Int(machine)
        unitsSinceMaintenance[m] = 0
        busySinceMaintenance[m] = 0
        openMaintenance[m]?.started = time
        if settings.audits, let order = openMaintenance[m] {
            audit(
                time, maintainers[Int(order.station)], "maintenance-started", machineSubjects[m],
                "work order \(order.id), \(order.trigger); waited \(MESRule.shown(time - order.requested)) s for the machine and its technician",
                old: "available", new: "in maintenance")
        }
    }

    mutating func maintenanceFinished(_ machine: Int32, at time: Double) {
        let m = Int(machine)
        guard var order = openMaintenance[m] else { return }
        order.finished = time
        openMaintenance[m] = nil
        if time >= observationStart { maintenanceDone[Int(order.station)] += 1 }
        if settings.retainsHistory { maintenanceOrders.append(order) }
        if settings.audits {
            audit(
                time, maintainers[Int(order.station)], "maintenance-done", machineSubjects[Int(machine)],
                "work order \(order.id), \(order.trigger)", old: "in maintenance", new: "available")
        }
    }

    /// The warm-up is over: counts restart.
    mutating func startRuleObservation(at time: Double) {
        observationStart = time
        for index in maintenanceDone.indices { maintenanceDone[index] = 0 }
        for index in pages.indices { pages[index] = 0 }
        for index in firings.indices { firings[index] = 0 }
        shippedWithOpenHold = 0
        unitsHeld = 0
        rules?.startObservation()
    }
}
