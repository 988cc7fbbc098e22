import TaktKernel
import TaktPlant

/// Keeps an ``OEEAccount`` per machine from the plant's observations, as an MES would from
/// machine signals: state changes give the time model, finished units the produced count,
/// defects created at a machine its rejects.
public struct OEECalculator: Sendable {
    /// One machine's running record.
    struct MachineRecord {
        /// Its account (state times are kept in ``Storage/stateTime`` while running).
        var counts = OEEAccount()
        /// The state it is in and since when.
        var state = MachineState.idle
        var since: SimTime
        /// The serial of the last unit it finished, whether that unit was the first after a
        /// setup or stop, and whether it was already counted as a reject.
        var lastSerial = -1
        var lastWasStartup = false
        var lastRejected = false
        var restarted = true
    }

    /// Everything that changes, in one box of plain memory: copied only when a shared
    /// calculator is written (value semantics), so an observation pays one uniqueness check
    /// and no per-array checks.
    final class Storage: @unchecked Sendable {
        let machineCount: Int
        let stationCount: Int
        let machines: UnsafeMutablePointer<MachineRecord>
        /// Per (machine × MachineState.count + state): seconds, flat so an update is one write.
        let stateTime: UnsafeMutablePointer<Double>
        /// Per station: the machine that finished a unit last.
        let lastFinished: UnsafeMutablePointer<Int32>

        init(machines: [MachineRecord], stations: Int) {
            machineCount = machines.count
            stationCount = stations
            self.machines = .allocate(capacity: max(1, machines.count))
            self.machines.initialize(from: machines, count: machines.count)
            stateTime = .allocate(capacity: max(1, machines.count * MachineState.count))
            stateTime.initialize(repeating: 0, count: machines.count * MachineState.count)
            lastFinished = .allocate(capacity: max(1, stations))
            lastFinished.initialize(repeating: -1, count: stations)
        }

        deinit {
            machines.deinitialize(count: machineCount)
            machines.deallocate()
            stateTime.deallocate()
            lastFinished.deallocate()
        }

        func copy() -> Storage {
            let copy = Storage(
                machines: Array(UnsafeBufferPointer(start: machines, count: machineCount)), stations: stationCount)
            copy.stateTime.update(from: stateTime, count: machineCount * MachineState.count)
            copy.lastFinished.update(from: lastFinished, count: stationCount)
            return copy
        }

        /// The record of machine `m`, bounds-checked.
        func machine(_ m: Int) -> UnsafeMutablePointer<MachineRecord> {
            precondition(m >= 0 && m < machineCount, "machine out of range")
            return machines + m
        }
    }

    var storage: Storage
    /// Per machine: planned runtime per unit (PRU), seconds.
    let idealCycle: [Double]
    /// Per machine: its station.
    let stationOfMachine: [Int32]

    /// A calculator for every machine of `layout`, with planned runtime per unit `idealCycle`
    /// per station (machines are numbered station by station, as the plant numbers them).
    public init(layout: PlantLayout, idealCycle: [Double]) {
        var stationOfMachine: [Int32] = []
        for (s, station) in layout.stations.enumerated() {
            stationOfMachine += Array(repeating: Int32(s), count: station.machines)
        }
        self.init(
            stationOfMachine: stationOfMachine, idealCycle: stationOfMachine.map { idealCycle[Int($0)] },
            stations: layout.stations.count)
    }

    /// A calculator for machines with the given stations and planned runtimes per unit, all
    /// starting idle at `start`.
    public init(stationOfMachine: [Int32], idealCycle: [Double], stations: Int, start: SimTime = 0) {
        self.stationOfMachine = stationOfMachine
        self.idealCycle = idealCycle
        storage = Storage(
            machines: Array(repeating: MachineRecord(since: start), count: stationOfMachine.count), stations: stations)
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
        case .machineStateChanged(let machine, _, let to):
            let store = uniqueStorage
            let record = store.machine(Int(machine))
            store.stateTime[Int(machine) &* MachineState.count &+ record.pointee.state.rawValue] +=
                time - record.pointee.since
            record.pointee.state = to
            record.pointee.since = time
            if to == .down { record.pointee.counts.failures += 1 }
            if to == .setup || to == .down || to == .plannedStop { record.pointee.restarted = true }
        case .processingFinished(let serial, let machine):
            let store = uniqueStorage
            let m = Int(machine)
            let record = store.machine(m)
            record.pointee.counts.produced += 1
            record.pointee.counts.idealTimeProduced += idealCycle[m]
            store.lastFinished[Int(stationOfMachine[m])] = machine
            record.pointee.lastSerial = serial
            record.pointee.lastWasStartup = record.pointee.restarted
            record.pointee.lastRejected = false
            record.pointee.restarted = false
        case .defectCreated(let serial, _, let station):
            let store = uniqueStorage
            precondition(station >= 0 && Int(station) < store.stationCount, "station out of range")
            let machine = store.lastFinished[Int(station)]
            guard machine >= 0 else { return }
            let m = Int(machine)
            let record = store.machine(m)
            guard record.pointee.lastSerial == serial, !record.pointee.lastRejected else { return }
            record.pointee.lastRejected = true
            record.pointee.counts.rejects += 1
            record.pointee.counts.idealTimeRejected += idealCycle[m]
            if record.pointee.lastWasStartup {
                record.pointee.counts.startupRejects += 1
                record.pointee.counts.idealTimeStartupRejected += idealCycle[m]
            }
        default:
            break
        }
    }

    /// Brings every machine's time up to `time` (call before reading the accounts).
    public mutating func close(at time: SimTime) {
        let store = uniqueStorage
        for m in 0..<store.machineCount {
            store.stateTime[m * MachineState.count + store.machines[m].state.rawValue] += time - store.machines[m].since
            store.machines[m].since = time
        }
    }

    /// Per machine: its account, state times included.
    public var accounts: [OEEAccount] {
        (0..<storage.machineCount).map { m in
            var account = storage.machines[m].counts
            account.time = Array(
                UnsafeBufferPointer(start: storage.stateTime + m * MachineState.count, count: MachineState.count))
            return account
        }
    }

    /// Forgets everything before `time` (the end of the warm-up); states carry on.
    public mutating func reset(at time: SimTime) {
        let store = uniqueStorage
        for m in 0..<store.machineCount {
            store.machines[m].counts = OEEAccount()
            store.machines[m].since = time
        }
        store.stateTime.update(repeating: 0, count: store.machineCount * MachineState.count)
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
