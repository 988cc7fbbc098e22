import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Wraps the MES (or the OEE monitor) and streams what it hears and decides into a trace
/// store: units, operations, lot draws, measurements, defects, and the audit trail. Records
/// go out in batches as they happen, so memory stays flat however long the run.
public struct TraceWriter<Inner: OEEKeeping>: WrappingController {
    public var inner: Inner
    let store: TraceStore
    /// Per machine: when its current operation started, whether with a setup, and its state.
    var operationStart: [Double]
    var operationSetup: [Bool]
    var machineState: [MachineState]
    /// The audit entries taken from `inner` last (a buffer kept to avoid allocating).
    var auditEntries: [AuditEntry] = []
    /// The first error writing, if any (a controller cannot throw; the run checks it).
    public private(set) var failure: Error?

    /// A writer around `inner` into `store`.
    init(_ inner: Inner, store: TraceStore) {
        self.inner = inner
        self.store = store
        operationStart = Array(repeating: 0, count: store.names.machines.count)
        operationSetup = Array(repeating: false, count: store.names.machines.count)
        machineState = Array(repeating: .idle, count: store.names.machines.count)
    }

    public static var observesPlant: Bool { true }

    public mutating func start(at time: Double, commands: inout [PlantCommand]) {
        inner.start(at: time, commands: &commands)
        writeAudit()
    }

    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        inner.timerFired(tag, at: time, commands: &commands)
        writeAudit()
    }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        if Inner.observesPlant { inner.observe(observation, at: time, commands: &commands) }
        guard failure == nil else { return }
        do {
            switch observation {
            case .unitReleased(let serial, let product):
                try store.append(
                    .unit(
                        serial: serial, product: product, order: inner.workOrder(ofSerial: serial), released: time
                    ))
            case .machineStateChanged(let machine, _, let to, _):
                machineState[Int(machine)] = to
            case .processingStarted(_, let machine):
                operationStart[Int(machine)] = time
                operationSetup[Int(machine)] = machineState[Int(machine)] == .setup
            case .processingFinished(let serial, let machine, _):
                let m = Int(machine)
                try store.append(
                    .operation(
                        serial: serial, machine: machine, start: operationStart[m], end: time, setup: operationSetup[m])
                )
            case .lotConsumed(let serial, let material, let lot, let quantity, let station):
                try store.append(
                    .lotDraw(
                        serial: serial, material: material, lot: lot, quantity: quantity, station: station, time: time))
            case .measured(let serial, let station, let value):
                try store.append(.measurement(serial: serial, station: station, value: value, time: time))
            case .defectCreated(let serial, let defect, let station):
                try store.append(.defect(serial: serial, defect: defect, station: station, time: time, found: false))
            case .defectDetected(let serial, let defect, let station):
                try store.append(.defect(serial: serial, defect: defect, station: station, time: time, found: true))
            case .unitShipped(let serial, _):
                try store.append(.exit(serial: serial, scrapped: false, time: time))
            case .unitScrapped(let serial, _):
                try store.append(.exit(serial: serial, scrapped: true, time: time))
            default:
                break
            }
        } catch {
            failure = error
        }
        writeAudit()
    }

    mutating func writeAudit() {
        guard inner.hasPendingAudit else { return }
        inner.drainAudit(into: &auditEntries)
        guard failure == nil else { return }
        do {
            for entry in auditEntries { try store.appendAudit(entry) }
        } catch {
            failure = error
        }
    }
}

/// Names for the rows of a trace, resolved once.
struct TraceNames {
    let products: [String]
    let stations: [String]
    let machines: [String]
    let stationOfMachine: [Int]
    let materials: [String]
    let defects: [String]
    /// Per station: whether inspections send rejects there, and its operator pool's name.
    let reworkStations: [Bool]
    let operatorPools: [String?]
    init(
        products: [String], stations: [String], machines: [String], stationOfMachine: [Int], materials: [String],
        defects: [String], reworkStations: [Bool], operatorPools: [String?]
    ) {
        self.reworkStations = reworkStations
        self.operatorPools = operatorPools
        self.products = products
        self.stations = stations
        self.machines = machines
        self.stationOfMachine = stationOfMachine
        self.materials = materials
        self.defects = defects
    }

    init(_ scenario: Scenario) {
        products = scenario.layout.products.map(\.name)
        stations = scenario.layout.stations.map(\.name)
        machines = scenario.equipment.machineNames
        var stationOfMachine: [Int] = []
        for (s, station) in scenario.layout.stations.enumerated() {
            stationOfMachine += Array(repeating: s, count: station.machines)
        }
        self.stationOfMachine = stationOfMachine
        materials = scenario.layout.materials.map(\.name)
        defects = scenario.layout.defectTypes
        let reworkTargets = Set(
            scenario.layout.stations.compactMap { $0.inspection?.reworkStation }
                + (scenario.mes?.settings.spc ?? []).compactMap(\.reworkStation))
        reworkStations = scenario.layout.stations.indices.map { reworkTargets.contains($0) }
        operatorPools = scenario.layout.stations.map { station in
            station.operatorPool.map { scenario.layout.operatorPools[$0].name }
        }
    }
}
