import TaktKernel

/// Where a unit in the plant is right now.
public enum UnitLocation: Sendable, Equatable {
    /// Waiting in a station's input buffer.
    case buffer(station: Int32)
    /// On a machine: in setup or process, finished and blocked, or in a batch.
    case machine(Int32)
    /// In the hold area.
    case onHold
}

/// The units in the plant at one instant, by place: what an MES's live WIP view shows.
public struct WorkInProcessSnapshot: Sendable, Equatable {
    /// Per station: units waiting in its input buffer.
    public var inBuffer: [Int]
    /// Per station: units on its machines.
    public var onMachines: [Int]
    /// Units in the hold area.
    public var onHold: Int
    /// Every unit, by serial number (ascending), with where it is.
    public var units: [(serial: Int, location: UnitLocation)]

    /// Units in the plant: every buffer, every machine and the hold area.
    public var total: Int { inBuffer.reduce(0, +) + onMachines.reduce(0, +) + onHold }

    /// Units at `station`: its buffer and its machines.
    public func atStation(_ station: Int) -> Int { inBuffer[station] + onMachines[station] }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.inBuffer == rhs.inBuffer && lhs.onMachines == rhs.onMachines && lhs.onHold == rhs.onHold
            && lhs.units.elementsEqual(rhs.units) { $0.serial == $1.serial && $0.location == $1.location }
    }
}

extension Plant {
    /// Every unit in the plant now and where it is. Walks buffers and machines, so it is for
    /// queries (a live view, a test), not for the per-event path.
    public func workInProcess() -> WorkInProcessSnapshot {
        var snapshot = WorkInProcessSnapshot(
            inBuffer: Array(repeating: 0, count: layout.stationCount),
            onMachines: Array(repeating: 0, count: layout.stationCount), onHold: holdArea.count, units: [])
        for s in 0..<layout.stationCount {
            snapshot.inBuffer[s] = queues.count(s)
            for position in 0..<queues.count(s) {
                snapshot.units.append((units[Int(queues.id(at: position, in: s))].serial, .buffer(station: Int32(s))))
            }
        }
        for m in machines.indices {
            let station = Int(machines[m].station)
            let onMachine: [Int32] =
                layout.traits[station].contains(.batch)
                ? (0..<batchUnits.count(m)).map { batchUnits.id(at: $0, in: m) }
                : (machines[m].unit >= 0 ? [machines[m].unit] : [])
            snapshot.onMachines[station] += onMachine.count
            for unit in onMachine { snapshot.units.append((units[Int(unit)].serial, .machine(Int32(m)))) }
        }
        for (unit, _) in holdArea { snapshot.units.append((units[Int(unit)].serial, .onHold)) }
        snapshot.units.sort { $0.serial < $1.serial }
        return snapshot
    }
}

/// One machine as a live view shows it.
public struct MachineView: Sendable, Equatable {
    public var state: MachineState
    /// Since when, seconds.
    public var since: Double
    /// The serial numbers of the units on it (several in a batch).
    public var serials: [Int]
    /// Down with a technician at it (a repair command can end the repair now).
    public var underRepair: Bool
}

extension Plant {
    /// Every machine's state and the units on it, by machine (for a live view, not the
    /// per-event path).
    public func machineViews() -> [MachineView] {
        machines.indices.map { m in
            let station = Int(machines[m].station)
            let onMachine: [Int32] =
                layout.traits[station].contains(.batch)
                ? (0..<batchUnits.count(m)).map { batchUnits.id(at: $0, in: m) }
                : (machines[m].unit >= 0 ? [machines[m].unit] : [])
            return MachineView(
                state: machines[m].state, since: machines[m].stateSince,
                serials: onMachine.map { units[Int($0)].serial },
                underRepair: machines[m].state == .down && machines[m].repairHandle != nil)
        }
    }
}
