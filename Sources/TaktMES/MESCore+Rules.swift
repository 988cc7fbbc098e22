import TaktKernel
import TaktPlant

/// The MES's rules, scripted incidents and maintenance: the decisions a scenario writes down.
extension MESCore {
    // Timer tags, above the quality ones: maintenance calendars, OEE ticks, incidents, due dates.
    static var ruleTagBase: Int32 { Int32.min + 40_000_000 }
    static var ruleTagEnd: Int32 { Int32.min + 1_100_000_000 }
    static func maintenanceTag(_ plan: Int) -> Int32 { ruleTagBase + Int32(plan) }
    static func tickTag(_ index: Int) -> Int32 { Int32.min + 50_000_000 + Int32(index) }
    static func incidentTag(_ index: Int) -> Int32 { Int32.min + 60_000_000 + Int32(index) }
    static func dueTag(_ order: Int) -> Int32 { Int32.min + 100_000_000 + Int32(order) }
    /// The timer a live session schedules at its current time to have its commands carried out.
    public static var liveCommandTag: Int32 { Int32.min + 90_000_000 }

    /// Sets the first timers: incidents, calendar-time maintenance, OEE ticks.
    mutating func startRules(at time: Double, commands: inout [PlantCommand]) {
        for (index, incident) in settings.rules.incidents.enumerated() {
            commands.append(.setTimer(tag: Self.incidentTag(index), delay: max(0, incident.time - time)))
        }
        for (index, plan) in settings.maintenance.enumerated() {
            if case .calendarTime(let every) = plan.trigger {
                commands.append(.setTimer(tag: Self.maintenanceTag(index), delay: every))
            }
        }
        for (index, tick) in (rules?.ticks ?? []).enumerated() {
            commands.append(.setTimer(tag: Self.tickTag(index), delay: tick.period))
        }
    }

    mutating func ruleTimer(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        if tag == Self.liveCommandTag {
            let queued = liveCommands
            liveCommands.removeAll()
            for command in queued {
                for action in command.actions {
                    perform(action, actor: command.actor, reason: command.reason, at: time, commands: &commands)
                }
            }
            runFiredRules(at: time, commands: &commands)
        } else if tag >= Self.dueTag(0) {
            let order = Int(tag - Self.dueTag(0))
            if order < book.orders.count, !book.orders[order].isFinished {
                lateOrders.insert(order)
                rules?.lateOrdersChanged(by: 1, at: time, workInProcess: workInProcess)
                runFiredRules(at: time, commands: &commands)
            }
        } else if tag >= Self.incidentTag(0) {
            let index = Int(tag - Self.incidentTag(0))
            let incident = settings.rules.incidents[index]
            for action in incident.actions {
                perform(action, actor: incident.actor, reason: incident.text, at: time, commands: &commands)
            }
            runFiredRules(at: time, commands: &commands)
        } else if tag >= Self.tickTag(0) {
            let index = Int(tag - Self.tickTag(0))
            guard let tick = rules?.ticks[index] else { return }
            commands.append(.setTimer(tag: tag, delay: tick.period))
            oee.close(at: time)
            guard case .oee(let station, _) = settings.rules.facts[Int(tick.slot)] else { return }
            let account =
                station < 0 ? oee.total : oee.stationAccounts(stations: maintenanceDone.count)[Int(station)]
            rules!.tick(
                index, account: (account.fullyProductiveTime, account.plannedBusyTime), at: time,
                workInProcess: workInProcess)
            runFiredRules(at: time, commands: &commands)
        } else {
            let plan = settings.maintenance[Int(tag - Self.maintenanceTag(0))]
            if case .calendarTime(let every) = plan.trigger {
                commands.append(.setTimer(tag: tag, delay: every))
            }
            for machine in machinesOfStation[plan.station] {
                requestMaintenance(
                    machine, duration: plan.duration, planned: plan.planned, trigger: "calendar", at: time,
                    commands: &commands)
            }
        }
    }

    /// Updates the facts and the maintenance counters an observation changes, and acts on
    /// rules that fired.
    mutating func observeForRules(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        var station: Int32 = -1
        switch observation {
        case .processingFinished(let serial, let machine, _):
            station = stationOfMachine[Int(machine)]
            if !maintenancePlansOfStation[Int(station)].isEmpty {
                unitFinished(serial: serial, machine: machine, at: time, commands: &commands)
            }
        case .machineStateChanged(let machine, let from, let to, _):
            station = stationOfMachine[Int(machine)]
            if from == .busy { busySinceMaintenance[Int(machine)] += time - busySince[Int(machine)] }
            if to == .busy { busySince[Int(machine)] = time }
        case .maintenanceStarted(let machine):
            station = stationOfMachine[Int(machine)]
            maintenanceStarted(machine, at: time)
        case .maintenanceFinished(let machine):
            maintenanceFinished(machine, at: time)
            return
        case .measured(_, let s, _), .defectDetected(_, _, let s):
            station = s
        case .lotOpened(let material, let lot):
            openLotOfMaterial[Int(material)] = lot
            return
        default:
            return
        }
        guard rules != nil else { return }
        rules!.observe(observation, station: station, at: time, workInProcess: workInProcess)
        runFiredRules(at: time, commands: &commands)
    }

    /// A unit left the plant: the number in the plant changed, and its order may have been late.
    mutating func unitLeftForRules(_ serial: Int, order: Int, at time: Double, commands: inout [PlantCommand]) {
        rules!.workInProcessChanged(workInProcess, serial: serial, at: time)
        if book.orders[order].isFinished, lateOrders.remove(order) != nil {
            rules!.lateOrdersChanged(by: -1, at: time, workInProcess: workInProcess)
        }
        runFiredRules(at: time, commands: &commands)
    }

    /// Carries out the actions of the rules that fired, in the order they fired.
    mutating func runFiredRules(at time: Double, commands: inout [PlantCommand]) {
        guard rules?.hasFired == true else { return }
        for r in rules!.takeFired() {
            let rule = settings.rules.rules[Int(r)]
            if time >= observationStart { firings[Int(r)] += 1 }
            let reason = settings.audits ? rule.reason(factValues: rules!.factValues) : rule.text
            if settings.audits {
                audit(time, rule.actor, "rule-fired", "rule \(rule.name)", "became true: \(reason)")
            }
            for action in rule.actions {
                perform(action, actor: rule.actor, reason: reason, at: time, commands: &commands)
            }
        }
    }

    /// The states of a station's machines as the MES last heard them, for an entry's old
    /// value: `busy` for one machine, `2 busy, 1 idle` for several.
    func machineStates(ofStation station: Int) -> String {
        let machines = machinesOfStation[station]
        guard machines.count > 1 else {
            return machines.first.map { "\(oee.state(ofMachine: Int($0)))" } ?? ""
        }
        var counts = [Int](repeating: 0, count: MachineState.count)
        for machine in machines { counts[oee.state(ofMachine: Int(machine)).rawValue] += 1 }
        return MachineState.allCases.filter { counts[$0.rawValue] > 0 }.map { "\(counts[$0.rawValue]) \($0)" }
            .joined(separator: ", ")
    }

    /// Carries out one action, auditing it.
    mutating func perform(
        _ action: RuleAction, actor: String, reason: String, at time: Double, commands: inout [PlantCommand]
    ) {
        func note(_ what: String, _ subject: String, old: String = "", new: String = "") {
            if settings.audits { audit(time, actor, what, subject, reason, old: old, new: new) }
        }
        switch action {
        case .holdStation(let station, let duration):
            for machine in machinesOfStation[Int(station)] { commands.append(.holdMachine(machine)) }
            if duration > 0 { commands.append(.setTimer(tag: Self.spcReleaseTag(Int(station)), delay: duration)) }
            note(
                "hold-station", stationSubjects[Int(station)], old: machineStates(ofStation: Int(station)),
                new: duration > 0 ? "on hold for \(duration) s" : "on hold")
        case .releaseStation(let station):
            for machine in machinesOfStation[Int(station)] { commands.append(.releaseMachine(machine)) }
            note("release-station", stationSubjects[Int(station)], old: "on hold", new: "released")
        case .holdLot(let material, let lot):
            let number = lot > 0 ? lot : openLotOfMaterial[Int(material)]
            commands.append(.quarantineLot(material: material, lot: number))
            note("quarantine-lot", lotSubject(material: material, lot: number), old: "released", new: "quarantined")
        case .markLotBad(let material, let lot, _, _):
            // Found bad during the run (a scenario's incidents became recalls when it was read):
            // a recall now, which quarantines the lot, scopes it and holds what must be held.
            note("mark-lot-bad", lotSubject(material: material, lot: lot), old: "released", new: "found bad")
            guard genealogy != nil else {
                commands.append(.quarantineLot(material: material, lot: lot))
                note("quarantine-lot", lotSubject(material: material, lot: lot), old: "released", new: "quarantined")
                return
            }
            if settings.traceability == nil {
                settings.traceability = TraceabilitySettings(granularity: .serial, window: 3_600, recalls: [])
            }
            settings.traceability!.recalls.append(
                LotRecall(material: material, lot: lot, time: time, investigation: 4 * 3_600))
            recall(settings.traceability!.recalls.count - 1, at: time, commands: &commands)
        case .holdUnit(let named):
            let serial = named > 0 ? named : rules?.currentSerial ?? 0
            guard serial > 0, !openHolds.contains(serial) else { return }
            commands.append(.holdUnit(serial: serial))
            holdOpened(serial, at: time)
            heldByRules.append(serial)
            note("hold-unit", "unit \(serial)", old: "in process", new: "on hold")
        case .releaseUnit(let named):
            let serials = named > 0 ? [named] : heldByRules
            if named == 0 { heldByRules.removeAll() }
            for serial in serials where openHolds.contains(serial) {
                commands.append(.releaseUnitHold(serial: serial))
                holdClosed(serial, at: time)
                note("release-unit", "unit \(serial)", old: "on hold", new: "released")
            }
        case .releaseLot(let material, let lot):
            commands.append(.releaseLot(material: material, lot: lot))
            note("release-lot", lotSubject(material: material, lot: lot), old: "quarantined", new: "released")
        case .dispatch(let kind):
            let old = activeDispatch
            activeDispatch = Int32((dispatchRules.firstIndex(of: kind) ?? -1) + 1)
            let oldName = Int(old) < dispatchRuleNames.count ? dispatchRuleNames[Int(old)] : "\(old)"
            note("dispatch-rule", "dispatching", old: oldName, new: "\(kind)")
        case .maintain(let station, let duration):
            for machine in machinesOfStation[Int(station)] {
                requestMaintenance(machine, duration: duration, trigger: actor, at: time, commands: &commands)
            }
        case .adjust(let station):
            commands.append(.adjustProcess(station: station))
            note("adjust", stationSubjects[Int(station)])
        case .page(let role):
            if time >= observationStart, let index = pageRoles.firstIndex(of: role) { pages[index] += 1 }
            note("page", "role \(role)")
        case .set(let variable, let program):
            guard rules != nil else { return }
            let value = rules!.evaluate(program, at: time, workInProcess: workInProcess)
            let old = rules!.variable(Int(variable))
            note("set-variable", settings.rules.variables[Int(variable)].name, old: "\(old)", new: "\(value)")
            rules!.setVariable(Int(variable), to: value, at: time, workInProcess: workInProcess)
        case .setWIPCap(let cap):
            guard case .conwip(let old) = release else {
                note("set-wip-cap", "release policy", old: "\(release)", new: "ignored: not conwip")
                return
            }
            release = .conwip(cap: cap)
            note("set-wip-cap", "release policy", old: "\(old)", new: "\(cap)")
            if !backlog.isEmpty { releaseWhileAllowed(at: time, commands: &commands) }
        case .setSpeed(let station, let share):
            commands.append(.setSpeed(station: station, share: share))
            if stationSpeeds.isEmpty { stationSpeeds = Array(repeating: 1, count: machinesOfStation.count) }
            note("set-speed", stationSubjects[Int(station)], old: "\(stationSpeeds[Int(station)])", new: "\(share)")
            stationSpeeds[Int(station)] = share
        case .failStation(let station, let repair):
            for machine in machinesOfStation[Int(station)] {
                commands.append(.breakDown(machine: machine, repair: repair))
            }
            note(
                "fail-station", stationSubjects[Int(station)], old: machineStates(ofStation: Int(station)),
                new: "down for \(repair) s")
        case .failMachine(let machine, let repair):
            commands.append(.breakDown(machine: machine, repair: repair))
            note(
                "fail-machine", machineSubjects[Int(machine)], old: "\(oee.state(ofMachine: Int(machine)))",
                new: "down for \(repair) s")
        case .repairMachine(let machine):
            commands.append(.repairMachine(machine))
            note("repair-machine", machineSubjects[Int(machine)], old: "down", new: "repaired")
        case .setRelease(let policy):
            switch (release, policy) {
            case (.push, _), (.conwip, _):
                note("set-release", "release policy", old: "\(release)", new: "\(policy)")
                release = policy
                if !backlog.isEmpty { releaseWhileAllowed(at: time, commands: &commands) }
            default:
                note("set-release", "release policy", old: "\(release)", new: "ignored: only push and conwip switch")
            }
        case .holdOrder(let index):
            let id = Int(index)
            guard id < book.orders.count, !book.state(of: id).isEnded else { return }
            note("hold-order", "order \(book.orders[id].name)", old: "\(book.state(of: id))", new: "on hold")
            holdOrder(id, at: time)
        case .releaseOrder(let index):
            let id = Int(index)
            guard id < book.orders.count, book.orders[id].suspended else { return }
            note("release-order", "order \(book.orders[id].name)", old: "on hold", new: "released")
            releaseOrder(id, at: time, commands: &commands)
        case .abortOrder(let index):
            let id = Int(index)
            guard id < book.orders.count else { return }
            abort(id, at: time, reason: reason)
            if !backlog.isEmpty { releaseWhileAllowed(at: time, commands: &commands) }
        case .addOrder(let product, let quantity, let dueIn, let priority):
            let order = WorkOrder(
                id: book.orders.count, product: product, quantity: quantity, arrival: time, due: time + dueIn,
                priority: priority, makeUp: settings.makeUp)
            book.add(order)
            note("add-order", "order \(order.name)", new: "\(quantity) units due in \(dueIn) s")
            arrive(order.id, at: time, commands: &commands)
        }
    }
}
