import TaktKernel
import TaktPlant

/// Runs the scenario's rules inside the MES: keeps the live facts they read, and evaluates a
/// rule only on the events that can change one of its facts.
///
/// A rule fires when its condition becomes true (it was false, or never evaluated) and fires
/// again only after it has been false. A rule that reads an event fact (`spc.signal(…)`)
/// fires on each such event. Windowed facts (`fail_rate`, `units`) are brought up to date
/// when the rule is evaluated; OEE over a window is sampled on a tick of 1/60 of its window
/// (every 15 min for OEE since the warm-up), and rules reading it are evaluated on the tick.
public struct RuleEngine {
    public let settings: RuleSettings
    /// Per fact slot: its value at the last refresh.
    var values: [Double]
    var stack: [Double]
    /// Per rule: whether its condition was true at its last evaluation.
    var wasTrue: [Bool]
    let readsEvent: [Bool]
    // Which rules to evaluate on which event.
    let rulesOnFinished: [[Int32]]
    let rulesOnMeasured: [[Int32]]
    let rulesOnSignal: [[Int32]]
    let rulesOnState: [[Int32]]
    let rulesOnWIP: [Int32]
    let rulesOnOrders: [Int32]
    let rulesOnVariable: [[Int32]]
    let rulesOfSlot: [[Int32]]
    /// Per slot of a windowed fact: the finish times and failure times inside its window.
    var finishedTimes: [FIFOQueue<Double>]
    var failedTimes: [FIFOQueue<Double>]
    var lastFailedSerial: [Int]
    let windowSlotsOfStation: [[Int32]]
    /// Per OEE slot: (fully productive time, planned busy time) at each tick in its window.
    var snapshots: [FIFOQueue<(Double, Double)>]
    /// The OEE slots and their tick periods.
    public let ticks: [(slot: Int32, period: Double)]
    var down: [Int]
    var unitsSinceMaintenance: [Int]
    var lastMeasurement: [Double]
    var lateCount = 0
    var variables: [Double]
    /// The unit whose event is being evaluated (−1 none), for `hold unit`.
    public internal(set) var currentSerial = -1
    /// Rules that fired and whose actions the MES has still to carry out.
    var fired: [Int32] = []

    /// An engine for `settings` over a plant of `stations` stations.
    public init(settings: RuleSettings, stations: Int) {
        self.settings = settings
        let slots = settings.facts.count
        values = Array(repeating: 0, count: slots)
        stack = Array(repeating: 0, count: max(1, settings.rules.map(\.condition.depth).max() ?? 1))
        wasTrue = Array(repeating: false, count: settings.rules.count)
        var rulesOfSlot = [[Int32]](repeating: [], count: slots)
        for (r, rule) in settings.rules.enumerated() {
            for slot in rule.condition.facts { rulesOfSlot[Int(slot)].append(Int32(r)) }
        }
        self.rulesOfSlot = rulesOfSlot
        readsEvent = settings.rules.map { rule in
            rule.condition.facts.contains {
                if case .spcSignal = settings.facts[Int($0)] { return true }
                return false
            }
        }
        var onFinished = [[Int32]](repeating: [], count: stations)
        var onMeasured = onFinished
        var onSignal = onFinished
        var onState = onFinished
        var onWIP: [Int32] = []
        var onOrders: [Int32] = []
        var onVariable = [[Int32]](repeating: [], count: settings.variables.count)
        var windowSlots = [[Int32]](repeating: [], count: stations)
        var ticks: [(Int32, Double)] = []
        func add(_ rules: [Int32], to list: inout [Int32]) {
            for rule in rules where !list.contains(rule) { list.append(rule) }
        }
        for (slot, fact) in settings.facts.enumerated() {
            let rules = rulesOfSlot[slot]
            switch fact {
            case .workInProcess: add(rules, to: &onWIP)
            case .failRate(let s, _), .unitsFinished(let s, _):
                add(rules, to: &onFinished[Int(s)])
                windowSlots[Int(s)].append(Int32(slot))
            case .oee(_, let window): ticks.append((Int32(slot), window > 0 ? window / 60 : 900))
            case .spcSignal(let s): add(rules, to: &onSignal[Int(s)])
            case .lateOrders, .anyOrderLate: add(rules, to: &onOrders)
            case .machinesDown(let s): add(rules, to: &onState[Int(s)])
            case .measurement(let s): add(rules, to: &onMeasured[Int(s)])
            case .unitsSinceMaintenance(let s): add(rules, to: &onFinished[Int(s)])
            case .variable(let v): add(rules, to: &onVariable[Int(v)])
            }
        }
        rulesOnFinished = onFinished
        rulesOnMeasured = onMeasured
        rulesOnSignal = onSignal
        rulesOnState = onState
        rulesOnWIP = onWIP
        rulesOnOrders = onOrders
        rulesOnVariable = onVariable
        windowSlotsOfStation = windowSlots
        self.ticks = ticks
        finishedTimes = Array(repeating: FIFOQueue(capacity: 4), count: slots)
        failedTimes = finishedTimes
        lastFailedSerial = Array(repeating: -1, count: slots)
        snapshots = Array(repeating: FIFOQueue(capacity: 4), count: slots)
        down = Array(repeating: 0, count: stations)
        unitsSinceMaintenance = down
        lastMeasurement = Array(repeating: 0, count: stations)
        variables = settings.variables.map(\.value)
    }

    /// Whether rules fired whose actions are still to run.
    public var hasFired: Bool { !fired.isEmpty }

    /// Takes the rules that fired, in the order they fired.
    mutating func takeFired() -> [Int32] {
        var taken: [Int32] = []
        swap(&taken, &fired)
        return taken
    }

    // MARK: - Events

    /// A plant observation: updates the facts it changes and evaluates the rules reading them.
    mutating func observe(
        _ observation: PlantObservation, station: Int32, at time: Double, workInProcess: Int
    ) {
        switch observation {
        case .processingFinished(let serial, _, _):
            let s = Int(station)
            unitsSinceMaintenance[s] += 1
            for slot in windowSlotsOfStation[s] { finishedTimes[Int(slot)].push(time) }
            evaluate(rulesOnFinished[s], serial: serial, at: time, workInProcess: workInProcess)
        case .defectDetected(let serial, _, _):
            for slot in windowSlotsOfStation[Int(station)] where lastFailedSerial[Int(slot)] != serial {
                lastFailedSerial[Int(slot)] = serial
                failedTimes[Int(slot)].push(time)
            }
        case .measured(let serial, _, let value):
            lastMeasurement[Int(station)] = value
            evaluate(rulesOnMeasured[Int(station)], serial: serial, at: time, workInProcess: workInProcess)
        case .machineStateChanged(_, let from, let to, _):
            if from == .down { down[Int(station)] -= 1 }
            if to == .down { down[Int(station)] += 1 }
            if from == .down || to == .down {
                evaluate(rulesOnState[Int(station)], serial: -1, at: time, workInProcess: workInProcess)
            }
        case .maintenanceStarted:
            unitsSinceMaintenance[Int(station)] = 0
        default:
            break
        }
    }

    /// The number of units in the plant changed.
    mutating func workInProcessChanged(_ workInProcess: Int, serial: Int, at time: Double) {
        if !rulesOnWIP.isEmpty { evaluate(rulesOnWIP, serial: serial, at: time, workInProcess: workInProcess) }
    }

    /// An order became late (+1) or a late order was completed (−1).
    mutating func lateOrdersChanged(by change: Int, at time: Double, workInProcess: Int) {
        lateCount += change
        evaluate(rulesOnOrders, serial: -1, at: time, workInProcess: workInProcess)
    }

    /// Whether anything reads the late-order count (so the MES sets due-date timers).
    public var watchesOrders: Bool { !rulesOnOrders.isEmpty }

    /// A control chart signalled at `station`.
    mutating func signal(station: Int, serial: Int, at time: Double, workInProcess: Int) {
        guard !rulesOnSignal[station].isEmpty else { return }
        for (slot, fact) in settings.facts.enumerated() where fact == .spcSignal(station: Int32(station)) {
            values[slot] = 1
        }
        evaluate(rulesOnSignal[station], serial: serial, at: time, workInProcess: workInProcess)
        for (slot, fact) in settings.facts.enumerated() where fact == .spcSignal(station: Int32(station)) {
            values[slot] = 0
        }
    }

    /// A variable was set.
    mutating func setVariable(_ v: Int, to value: Double, at time: Double, workInProcess: Int) {
        variables[v] = value
        evaluate(rulesOnVariable[v], serial: -1, at: time, workInProcess: workInProcess)
    }

    /// The tick of an OEE fact: samples the account and evaluates the rules reading it.
    mutating func tick(
        _ index: Int, account: (fullyProductive: Double, plannedBusy: Double), at time: Double, workInProcess: Int
    ) {
        let (slot, period) = ticks[index]
        let s = Int(slot)
        guard case .oee(_, let window) = settings.facts[s] else { return }
        snapshots[s].push(account)
        if window > 0 {
            let keep = Int((window / period).rounded()) + 1
            while snapshots[s].count > keep { _ = snapshots[s].pop() }
        }
        let oldest = window > 0 ? snapshots[s].first ?? (0, 0) : (0, 0)
        let planned = account.plannedBusy - oldest.1
        values[s] = planned > 0 ? (account.fullyProductive - oldest.0) / planned : 0
        evaluate(rulesOfSlot[s], serial: -1, at: time, workInProcess: workInProcess)
    }

    /// The warm-up is over: OEE accounts restart, so do their samples.
    mutating func startObservation() {
        for index in snapshots.indices { snapshots[index] = FIFOQueue(capacity: 4) }
    }

    // MARK: - Evaluation

    mutating func refresh(_ slot: Int, at time: Double, workInProcess: Int) {
        switch settings.facts[slot] {
        case .workInProcess:
            values[slot] = Double(workInProcess)
        case .failRate(_, let window):
            trim(slot, before: time - window)
            let finished = finishedTimes[slot].count
            values[slot] = finished > 0 ? min(1, Double(failedTimes[slot].count) / Double(finished)) : 0
        case .unitsFinished(_, let window):
            trim(slot, before: time - window)
            values[slot] = Double(finishedTimes[slot].count)
        case .lateOrders: values[slot] = Double(lateCount)
        case .anyOrderLate: values[slot] = lateCount > 0 ? 1 : 0
        case .machinesDown(let s): values[slot] = Double(down[Int(s)])
        case .measurement(let s): values[slot] = lastMeasurement[Int(s)]
        case .unitsSinceMaintenance(let s): values[slot] = Double(unitsSinceMaintenance[Int(s)])
        case .variable(let v): values[slot] = variables[Int(v)]
        case .oee, .spcSignal: break
        }
    }

    mutating func trim(_ slot: Int, before limit: Double) {
        while let first = finishedTimes[slot].first, first <= limit { _ = finishedTimes[slot].pop() }
        while let first = failedTimes[slot].first, first <= limit { _ = failedTimes[slot].pop() }
    }

    mutating func evaluate(_ rules: [Int32], serial: Int, at time: Double, workInProcess: Int) {
        guard !rules.isEmpty else { return }
        currentSerial = serial
        for r in rules {
            let rule = Int(r)
            for slot in settings.rules[rule].condition.facts {
                refresh(Int(slot), at: time, workInProcess: workInProcess)
            }
            let isTrue = settings.rules[rule].condition.evaluate(facts: values, stack: &stack) != 0
            if isTrue, !wasTrue[rule] { fired.append(r) }
            wasTrue[rule] = isTrue && !readsEvent[rule]
        }
    }

    /// The value of `program` now (the value of a `set` action).
    mutating func evaluate(_ program: RuleProgram, at time: Double, workInProcess: Int) -> Double {
        for slot in program.facts { refresh(Int(slot), at: time, workInProcess: workInProcess) }
        if stack.count < program.depth { stack += Array(repeating: 0, count: program.depth - stack.count) }
        return program.evaluate(facts: values, stack: &stack)
    }

    /// The current value of a variable.
    public func variable(_ v: Int) -> Double { variables[v] }

    /// The values every fact slot had at its last refresh (for tests and the audit trail).
    public var factValues: [Double] { values }
}
