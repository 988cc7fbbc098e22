import TaktKernel
import TaktPlant

/// Keeps an ``OEEAccount`` per machine from the plant's observations, as an MES would from
/// machine signals: state changes (with their ISO 22400-2 time element) give the time model,
/// finished units the produced count, and a defect an inspection or test finds a reject of the
/// machine that made it. A defect nobody finds is an escape, not a reject (the MES cannot
/// know of it): see `escape_rate`.
public struct OEECalculator: Sendable {
    /// One machine's running record.
    struct MachineRecord {
        /// Its account (element times are kept in ``Storage/elementTime`` while running).
        var counts = OEEAccount()
        /// The state and time element it is in, and since when (the last time its account was
        /// brought up to date).
        var state = MachineState.idle
        var element = TimeElement.noWorkReleased
        var since: SimTime
        /// When the current spell in ``element`` began (not reset by the warm-up): a spell
        /// shorter than the minor-stop threshold is a small stop.
        var spellStart: SimTime
        /// The serial of the last unit it finished, whether that unit was the first after a
        /// setup or stop, and whether it was already marked for a reject.
        var lastSerial = -1
        var lastProduct: Int32 = 0
        var lastWasStartup = false
        var lastRejected = false
        var restarted = true
    }

    /// A defect the MES does not know of yet: the unit and the machine (with whether that was
    /// its first unit after a restart) that made it, charged as a reject once an inspection
    /// or test finds it.
    struct LatentReject {
        var serial: Int
        var machine: Int32
        var product: Int32
        var startup: Bool
    }

    /// Everything that changes, in one box of plain memory: copied only when a shared
    /// calculator is written (value semantics), so an observation pays one uniqueness check
    /// and no per-array checks.
    final class Storage: @unchecked Sendable {
        let machineCount: Int
        let stationCount: Int
        let machines: UnsafeMutablePointer<MachineRecord>
        /// Per (machine × TimeElement.count + element): seconds, flat so an update is one write.
        let elementTime: UnsafeMutablePointer<Double>
        /// The same for the seconds of small stops.
        let smallStopTime: UnsafeMutablePointer<Double>
        /// Per station: the machine that finished a unit last.
        let lastFinished: UnsafeMutablePointer<Int32>
        /// Defects made and not yet found (few: only defective units in the line), and how
        /// many (kept behind a `let` pointer, so the per-unit test pays no exclusivity check).
        var latent: [LatentReject] = [] {
            didSet { latentCount.pointee = latent.count }
        }
        let latentCount: UnsafeMutablePointer<Int>
        /// Units a measurement found out of specification, not yet out of the line (serial,
        /// product); and per product, how many of them shipped in the window.
        var nonconforming: [(serial: Int, product: Int32)] = [] {
            didSet { nonconformingCount.pointee = nonconforming.count }
        }
        let nonconformingCount: UnsafeMutablePointer<Int>
        var shippedNonconforming: [Int] = []

        init(machines: [MachineRecord], stations: Int) {
            machineCount = machines.count
            stationCount = stations
            self.machines = .allocate(capacity: max(1, machines.count))
            self.machines.initialize(from: machines, count: machines.count)
            elementTime = .allocate(capacity: max(1, machines.count * TimeElement.count))
            elementTime.initialize(repeating: 0, count: machines.count * TimeElement.count)
            smallStopTime = .allocate(capacity: max(1, machines.count * TimeElement.count))
            smallStopTime.initialize(repeating: 0, count: machines.count * TimeElement.count)
            lastFinished = .allocate(capacity: max(1, stations))
            lastFinished.initialize(repeating: -1, count: stations)
            latentCount = .allocate(capacity: 1)
            latentCount.initialize(to: 0)
            nonconformingCount = .allocate(capacity: 1)
            nonconformingCount.initialize(to: 0)
        }

        deinit {
            machines.deinitialize(count: machineCount)
            machines.deallocate()
            elementTime.deallocate()
            smallStopTime.deallocate()
            lastFinished.deallocate()
            latentCount.deallocate()
            nonconformingCount.deallocate()
        }

        func copy() -> Storage {
            let copy = Storage(
                machines: Array(UnsafeBufferPointer(start: machines, count: machineCount)), stations: stationCount)
            copy.elementTime.update(from: elementTime, count: machineCount * TimeElement.count)
            copy.smallStopTime.update(from: smallStopTime, count: machineCount * TimeElement.count)
            copy.lastFinished.update(from: lastFinished, count: stationCount)
            copy.latent = latent
            copy.nonconforming = nonconforming
            copy.shippedNonconforming = shippedNonconforming
            return copy
        }

        /// The record of machine `m`, bounds-checked.
        func machine(_ m: Int) -> UnsafeMutablePointer<MachineRecord> {
            precondition(m >= 0 && m < machineCount, "machine out of range")
            return machines + m
        }
    }

    var storage: Storage
    /// Per (machine × ``productCount`` + product): planned runtime per unit (PRU), seconds.
    let idealCycle: [Double]
    /// The number of products ``idealCycle`` distinguishes (at least 1).
    let productCount: Int
    /// Per station: its measurement's specification limits (±∞ without); a unit measured
    /// outside them is a reject the MES found.
    let specification: [(lower: Double, upper: Double)]
    /// Per machine: its station.
    let stationOfMachine: [Int32]
    /// A stop shorter than this (seconds) is a small stop, a performance loss; a longer one
    /// is an availability loss of its cause.
    public let minorStopThreshold: Double

    /// When the observation window began (the end of the warm-up).
    var windowStart: SimTime = -.infinity

    /// The minor-stop threshold when a scenario names none: 5 minutes.
    public static let defaultMinorStopThreshold = 300.0

    /// A calculator for every machine of `layout`, with planned runtime per unit `idealCycle`
    /// per station (machines are numbered station by station, as the plant numbers them).
    /// A station's per-product `idealCycleByProduct` overrides its planned runtime for those products.
    public init(layout: PlantLayout, idealCycle: [Double], minorStopThreshold: Double = defaultMinorStopThreshold) {
        var stationOfMachine: [Int32] = []
        for (s, station) in layout.stations.enumerated() {
            stationOfMachine += Array(repeating: Int32(s), count: station.machines)
        }
        let products = max(1, layout.products.count)
        let table = stationOfMachine.flatMap { s in
            (0..<products).map { p in layout.stations[Int(s)].idealCycleByProduct[p] ?? idealCycle[Int(s)] }
        }
        self.init(
            stationOfMachine: stationOfMachine, idealCycleByProduct: table, products: products,
            stations: layout.stations.count, minorStopThreshold: minorStopThreshold,
            specification: layout.stations.map {
                ($0.measurement?.lowerSpecification ?? -.infinity, $0.measurement?.upperSpecification ?? .infinity)
            })
    }

    /// A calculator for machines with the given stations and planned runtimes per unit (one
    /// per machine, whatever the product), all starting idle with no work at `start`.
    public init(
        stationOfMachine: [Int32], idealCycle: [Double], stations: Int, start: SimTime = 0,
        minorStopThreshold: Double = defaultMinorStopThreshold
    ) {
        self.init(
            stationOfMachine: stationOfMachine, idealCycleByProduct: idealCycle, products: 1, stations: stations,
            start: start, minorStopThreshold: minorStopThreshold)
    }

    init(
        stationOfMachine: [Int32], idealCycleByProduct: [Double], products: Int, stations: Int, start: SimTime = 0,
        minorStopThreshold: Double, specification: [(lower: Double, upper: Double)]? = nil
    ) {
        self.stationOfMachine = stationOfMachine
        idealCycle = idealCycleByProduct
        productCount = products
        self.specification = specification ?? Array(repeating: (-.infinity, .infinity), count: stations)
        self.minorStopThreshold = minorStopThreshold
        storage = Storage(
            machines: Array(
                repeating: MachineRecord(since: start, spellStart: start), count: stationOfMachine.count),
            stations: stations)
        storage.shippedNonconforming = Array(repeating: 0, count: products)
    }

    /// The storage, copied first if another calculator shares it.
    var uniqueStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// The state machine `machine` is in, as the last observation said.
    public func state(ofMachine machine: Int) -> MachineState { storage.machine(machine).pointee.state }

    /// Takes one observation into account.
    @inline(__always)
    public mutating func observe(_ observation: PlantObservation, at time: SimTime) {
        switch observation {
        case .machineStateChanged(let machine, _, let to, let element):
            let store = uniqueStorage
            let m = Int(machine)
            let record = store.machine(m)
            let old = record.pointee.element
            let slot = m &* TimeElement.count &+ old.rawValue
            store.elementTime[slot] += time - record.pointee.since
            if element != old {
                let spell = record.pointee.spellStart
                if old.canBeSmallStop, time - spell < minorStopThreshold {
                    // The part of the spell inside the observation window.
                    store.smallStopTime[slot] += time - Swift.max(spell, windowStart)
                }
                record.pointee.element = element
                record.pointee.spellStart = time
            }
            if to != .busy {
                if to == .down, record.pointee.state != .down { record.pointee.counts.failures += 1 }
                if to == .setup || to == .down || to == .plannedStop { record.pointee.restarted = true }
            }
            record.pointee.state = to
            record.pointee.since = time
        case .processingFinished(let serial, let machine, let product):
            let store = uniqueStorage
            let m = Int(machine)
            let record = store.machine(m)
            let p = Int(product) < productCount ? product : 0
            record.pointee.counts.produced += 1
            record.pointee.counts.idealTimeProduced += idealCycle[m &* productCount &+ Int(p)]
            store.lastFinished[Int(stationOfMachine[m])] = machine
            record.pointee.lastSerial = serial
            record.pointee.lastProduct = p
            record.pointee.lastWasStartup = record.pointee.restarted
            record.pointee.lastRejected = false
            record.pointee.restarted = false
        case .defectCreated(let serial, _, let station):
            noteDefect(serial: serial, station: station)
        case .defectDetected(let serial, _, _):
            guard storage.latentCount.pointee > 0 else { return }
            chargeRejects(serial: serial)
        case .measured(let serial, let station, let value):
            let limits = specification[Int(station)]
            if value < limits.lower || value > limits.upper { markNonconforming(serial: serial, station: station) }
        case .unitShipped(let serial, _):
            // Shipped with a defect nobody found: an escape, never a reject the MES knew of.
            if storage.latentCount.pointee > 0 { forgetDefects(serial: serial) }
            if storage.nonconformingCount.pointee > 0 { unitLeft(serial: serial, shipped: true) }
        case .unitScrapped(let serial, _):
            if storage.latentCount.pointee > 0 { forgetDefects(serial: serial) }
            if storage.nonconformingCount.pointee > 0 { unitLeft(serial: serial, shipped: false) }
        default:
            break
        }
    }

    /// A defect was made on the unit machine ``lastFinished`` just finished: remembered until
    /// an inspection finds it (kept out of line: defects are rare).
    @inline(never)
    mutating func noteDefect(serial: Int, station: Int32) {
        let store = uniqueStorage
        precondition(station >= 0 && Int(station) < store.stationCount, "station out of range")
        let machine = store.lastFinished[Int(station)]
        guard machine >= 0 else { return }
        let record = store.machine(Int(machine))
        guard record.pointee.lastSerial == serial, !record.pointee.lastRejected else { return }
        record.pointee.lastRejected = true
        store.latent.append(
            LatentReject(
                serial: serial, machine: machine, product: record.pointee.lastProduct,
                startup: record.pointee.lastWasStartup))
    }

    /// An inspection found a defect on unit `serial`: every machine that made one on it has a reject.
    @inline(never)
    mutating func chargeRejects(serial: Int, machine: Int32? = nil) {
        let store = uniqueStorage
        var index = 0
        while index < store.latent.count {
            let latent = store.latent[index]
            guard latent.serial == serial, machine == nil || latent.machine == machine else {
                index += 1
                continue
            }
            let m = Int(latent.machine)
            let record = store.machine(m)
            let ideal = idealCycle[m * productCount + Int(latent.product)]
            record.pointee.counts.rejects += 1
            record.pointee.counts.idealTimeRejected += ideal
            if latent.startup {
                record.pointee.counts.startupRejects += 1
                record.pointee.counts.idealTimeStartupRejected += ideal
            }
            store.latent.remove(at: index)
        }
    }

    /// A measurement at `station` found unit `serial` out of specification: a reject of the
    /// machine that just made it (once, whatever else it found), and a unit the MES knows is
    /// nonconforming until it leaves the line.
    @inline(never)
    mutating func markNonconforming(serial: Int, station: Int32) {
        let store = uniqueStorage
        let machine = store.lastFinished[Int(station)]
        guard machine >= 0 else { return }
        let record = store.machine(Int(machine))
        guard record.pointee.lastSerial == serial else { return }
        store.nonconforming.append((serial, record.pointee.lastProduct))
        if record.pointee.lastRejected {
            // A defect made here too: found now, counted once.
            chargeRejects(serial: serial, machine: machine)
            return
        }
        record.pointee.lastRejected = true
        let m = Int(machine)
        let ideal = idealCycle[m * productCount + Int(record.pointee.lastProduct)]
        record.pointee.counts.rejects += 1
        record.pointee.counts.idealTimeRejected += ideal
        if record.pointee.lastWasStartup {
            record.pointee.counts.startupRejects += 1
            record.pointee.counts.idealTimeStartupRejected += ideal
        }
    }

    /// A unit left the line; if the MES knew it nonconforming and it shipped, the line counts
    /// it as a reject.
    @inline(never)
    mutating func unitLeft(serial: Int, shipped: Bool) {
        let store = uniqueStorage
        guard let index = store.nonconforming.firstIndex(where: { $0.serial == serial }) else { return }
        if shipped { store.shippedNonconforming[Int(store.nonconforming[index].product)] += 1 }
        store.nonconforming.remove(at: index)
    }

    /// Per product: units shipped in the window that a measurement had found out of specification.
    public var shippedNonconformingByProduct: [Int] { storage.shippedNonconforming }

    /// Unit `serial` left the line: its defects nobody found are escapes, not rejects.
    @inline(never)
    mutating func forgetDefects(serial: Int) {
        let store = uniqueStorage
        store.latent.removeAll { $0.serial == serial }
    }

    /// Brings every machine's time up to `time` (call before reading the accounts).
    public mutating func close(at time: SimTime) {
        let store = uniqueStorage
        for m in 0..<store.machineCount {
            store.elementTime[m * TimeElement.count + store.machines[m].element.rawValue] +=
                time - store.machines[m].since
            store.machines[m].since = time
        }
    }

    /// Per machine: its account, element times included. A spell still under way counts as a
    /// small stop when it has lasted less than the threshold so far.
    public var accounts: [OEEAccount] {
        (0..<storage.machineCount).map { m in
            let record = storage.machines[m]
            var account = record.counts
            account.time = Array(
                UnsafeBufferPointer(start: storage.elementTime + m * TimeElement.count, count: TimeElement.count))
            account.smallStopTime = Array(
                UnsafeBufferPointer(start: storage.smallStopTime + m * TimeElement.count, count: TimeElement.count))
            if record.element.canBeSmallStop, record.since - record.spellStart < minorStopThreshold {
                account.smallStopTime[record.element.rawValue] +=
                    record.since - Swift.max(record.spellStart, windowStart)
            }
            return account
        }
    }

    /// Forgets everything before `time` (the end of the warm-up); states and spells carry on.
    public mutating func reset(at time: SimTime) {
        let store = uniqueStorage
        for m in 0..<store.machineCount {
            store.machines[m].counts = OEEAccount()
            store.machines[m].since = time
        }
        windowStart = time
        store.elementTime.update(repeating: 0, count: store.machineCount * TimeElement.count)
        for p in store.shippedNonconforming.indices { store.shippedNonconforming[p] = 0 }
        store.smallStopTime.update(repeating: 0, count: store.machineCount * TimeElement.count)
    }

    /// The accounts of the machines of each station, summed.
    public func stationAccounts(stations: Int) -> [OEEAccount] {
        var result = Array(repeating: OEEAccount(), count: stations)
        for (m, account) in accounts.enumerated() { result[Int(stationOfMachine[m])].add(account) }
        return result
    }

    /// All machines summed: the line's (or site's) account.
    public var total: OEEAccount {
        accounts.reduce(into: OEEAccount()) { $0.add($1) }
    }
}
