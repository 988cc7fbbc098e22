import TaktMES
import TaktPlant
import TaktScenario

extension LiveSession {
    /// Open orders shown at most, and ended ones after them.
    static let openOrdersShown = 40
    static let endedOrdersShown = 10

    /// What a viewer sees now. Reads the plant and a copy of the MES's OEE accounts, so
    /// taking it changes nothing in the run.
    public func snapshot(status: String, speed: Double?) -> LiveSnapshot {
        let machines = model.machineViews()
        let wip = model.workInProcess()
        let oee = model.oeeSoFar()
        let stationAccounts = oee.stationAccounts(stations: scenario.layout.stations.count)
        let machineNames = scenario.equipment.machineNames
        var firstMachine = 0
        let stations = scenario.layout.stations.enumerated().map { s, station in
            let count = max(1, station.machines)
            defer { firstMachine += count }
            let account = stationAccounts[s]
            let measured = account.plannedBusyTime > 0
            return StationView(
                name: station.name, waiting: wip.inBuffer[s], capacity: station.inputCapacity,
                machines: (firstMachine..<(firstMachine + count)).map { m in
                    MachineLiveView(
                        name: machineNames[m], state: machines[m].state.description, since: machines[m].since,
                        units: machines[m].serials, underRepair: machines[m].underRepair)
                },
                oee: measured ? account.oee : nil, availability: measured ? account.availability : nil,
                effectiveness: measured ? account.effectiveness : nil, quality: measured ? account.qualityRatio : nil,
                completed: account.produced)
        }
        let total = oee.total
        let counts = model.counts
        let measured = total.plannedBusyTime > 0
        let line = LineView(
            workInProcess: wip.total, onHold: wip.onHold, released: counts.released, shipped: counts.shipped,
            scrapped: counts.scrapped, shippedLastHour: shippedLastHour(now: counts.shipped),
            oee: measured ? total.oee : nil, availability: measured ? total.availability : nil,
            effectiveness: measured ? total.effectiveness : nil, quality: measured ? total.qualityRatio : nil,
            dispatch: dispatch, release: release)
        return LiveSnapshot(
            scenario: scenario.name, time: now, warmup: scenario.warmup, horizon: scenario.horizon,
            clock: clock(at: now), status: isFinished ? "finished" : status, speed: speed, events: executedEvents,
            stations: stations, line: line, orders: orderViews(), decisions: decisions.reversed(), history: history,
            exercise: exerciseView(), failure: failure)
    }

    /// Units shipped in the last simulated hour (from the history samples).
    func shippedLastHour(now shipped: Int) -> Int {
        let since = now - 3_600
        guard let before = history.last(where: { $0.time <= since }) ?? history.first else { return shipped }
        return shipped - before.shipped
    }

    func orderViews() -> [OrderView] {
        let products = scenario.layout.products.map(\.name)
        func view(_ order: WorkOrder) -> OrderView {
            let ended = order.state.isEnded
            let endedAt = WorkOrderState.allCases.filter(\.isEnded).compactMap { order.enteredState[$0.rawValue] }.max()
            let late = ended ? (endedAt ?? 0) > order.due : now > order.due
            return OrderView(
                id: order.name, product: products[Int(order.product)], quantity: order.quantity,
                shipped: order.shipped, inProcess: order.inProcess, state: order.state.description,
                arrival: order.arrival, due: order.due, late: late, onHold: order.suspended || order.state == .held,
                priority: order.priority)
        }
        let known = model.orders.filter { $0.arrival <= now }
        let open = known.filter { !$0.state.isEnded }.map(view).sorted {
            $0.late != $1.late ? $0.late : $0.due < $1.due
        }
        let ended = known.filter(\.state.isEnded).suffix(Self.endedOrdersShown).reversed().map(view)
        return Array(open.prefix(Self.openOrdersShown)) + ended
    }

    func exerciseView() -> ExerciseView? {
        guard let exercise = scenario.exercise else { return nil }
        return ExerciseView(
            title: exercise.title, step: stepsReached, steps: exercise.steps.count, note: pauseNote?.note,
            question: pauseNote?.question, nextPause: nextPause)
    }

    /// Day, time of day and shift at `time` (the shift of the first calendar with shifts).
    func clock(at time: Double) -> ShiftClock {
        let day = Int((time / 86_400).rounded(.down)) + 1
        let ofDay = time - Double(day - 1) * 86_400
        let minutes = Int(ofDay / 60)
        let text = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        var shift: String?
        if let calendar = scenario.layout.calendars.first(where: { !$0.shifts.isEmpty }) {
            let cycle = calendar.cycle
            let inCycle = time.truncatingRemainder(dividingBy: cycle)
            shift =
                calendar.shifts.first { candidate in
                    var offset = (inCycle - candidate.start).truncatingRemainder(dividingBy: cycle)
                    if offset < 0 { offset += cycle }
                    return offset < candidate.length
                }?.name
            if shift?.isEmpty == true { shift = nil }
        }
        return ShiftClock(day: day, time: text, shift: shift)
    }
}

extension LiveSession {
    /// Replays `log` on `scenario`: each action at the simulated time and after the events
    /// the session had run, then on to the horizon. The result is the session's run, event
    /// for event.
    ///
    /// - Throws: ``SessionLogError`` when the log does not fit the scenario (another seed or
    ///   replication, an action it cannot read, a time the run cannot reach again).
    public static func replay(_ log: SessionLog, scenario: Scenario) throws -> LiveSession {
        guard log.header.seed == scenario.seed else {
            throw SessionLogError(
                "the session ran with seed \(log.header.seed); the scenario now has \(scenario.seed): give it the same seed (--set seed=\(log.header.seed))"
            )
        }
        let session = try LiveSession(scenario: scenario, replication: log.header.replication, header: log.header)
        for entry in log.actions {
            try session.advance(to: entry.time)
            while session.executedEvents < entry.events, !session.isFinished {
                try session.stepEvent()
            }
            guard session.now == entry.time, session.executedEvents == entry.events else {
                throw SessionLogError(
                    "`\(entry.action ?? "")` was given at \(entry.time) s after \(entry.events) events; this run is at \(session.now) s after \(session.executedEvents) events: the log belongs to another scenario or Takt version"
                )
            }
            do {
                try session.perform(entry.action ?? "", actor: entry.actor, reason: entry.reason)
            } catch {
                throw SessionLogError("`\(entry.action ?? "")` at \(entry.time) s: \(error.description)")
            }
        }
        try session.advance(to: scenario.horizon)
        return session
    }
}
