import TaktKernel
import TaktPlant

/// Keeps an ``OEEAccount`` per machine from the plant's observations, as an MES would from
/// machine signals: state changes give the time model, finished units the produced count,
/// defects created at a machine its rejects.
public struct OEECalculator: Sendable {
    /// Per machine: its account (state times are kept flat in ``stateTime`` while running).
    var counts: [OEEAccount]
    /// Per (machine × MachineState.count + state): seconds, flat so an update is one write.
    var stateTime: [Double]
    /// Per machine: the state it is in and since when.
    var state: [MachineState]
    var since: [SimTime]
    /// Per machine: planned runtime per unit (PRU), seconds.
    let idealCycle: [Double]
    /// Per machine: its station; per station: the machine that finished a unit last.
    let stationOfMachine: [Int32]
    var lastFinished: [Int32]
    /// Per machine: the serial of the last unit it finished, whether that unit was the first
    /// after a setup or stop, and whether it was already counted as a reject.
    var lastSerial: [Int]
    var lastWasStartup: [Bool]
    var lastRejected: [Bool]
    var restarted: [Bool]

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
        counts = Array(repeating: OEEAccount(), count: stationOfMachine.count)
        stateTime = Array(repeating: 0, count: stationOfMachine.count * MachineState.count)
        state = Array(repeating: .idle, count: stationOfMachine.count)
        since = Array(repeating: start, count: stationOfMachine.count)
        lastFinished = Array(repeating: -1, count: stations)
        lastSerial = Array(repeating: -1, count: stationOfMachine.count)
        lastWasStartup = Array(repeating: false, count: stationOfMachine.count)
        lastRejected = Array(repeating: false, count: stationOfMachine.count)
        restarted = Array(repeating: true, count: stationOfMachine.count)
    }

    /// Takes one observation into account.
    public mutating func observe(_ observation: PlantObservation, at time: SimTime) {
        switch observation {
        case .machineStateChanged(let machine, _, let to):
            let m = Int(machine)
            stateTime[m &* MachineState.count &+ state[m].rawValue] += time - since[m]
            state[m] = to
            since[m] = time
            if to == .down { counts[m].failures += 1 }
            if to == .setup || to == .down || to == .plannedStop { restarted[m] = true }
        case .processingFinished(let serial, let machine):
            let m = Int(machine)
            counts[m].produced += 1
            counts[m].idealTimeProduced += idealCycle[m]
            lastFinished[Int(stationOfMachine[m])] = machine
            lastSerial[m] = serial
            lastWasStartup[m] = restarted[m]
            lastRejected[m] = false
            restarted[m] = false
        case .defectCreated(let serial, _, let station):
            let machine = lastFinished[Int(station)]
            guard machine >= 0 else { return }
            let m = Int(machine)
            guard lastSerial[m] == serial, !lastRejected[m] else { return }
            lastRejected[m] = true
            counts[m].rejects += 1
            counts[m].idealTimeRejected += idealCycle[m]
            if lastWasStartup[m] {
                counts[m].startupRejects += 1
                counts[m].idealTimeStartupRejected += idealCycle[m]
            }
        default:
            break
        }
    }

    /// Brings every machine's time up to `time` (call before reading the accounts).
    public mutating func close(at time: SimTime) {
        for m in counts.indices {
            stateTime[m * MachineState.count + state[m].rawValue] += time - since[m]
            since[m] = time
        }
    }

    /// Per machine: its account, state times included.
    public var accounts: [OEEAccount] {
        counts.indices.map { m in
            var account = counts[m]
            account.time = Array(stateTime[(m * MachineState.count)..<((m + 1) * MachineState.count)])
            return account
        }
    }

    /// Forgets everything before `time` (the end of the warm-up); states carry on.
    public mutating func reset(at time: SimTime) {
        for m in counts.indices {
            counts[m] = OEEAccount()
            since[m] = time
        }
        for i in stateTime.indices { stateTime[i] = 0 }
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
