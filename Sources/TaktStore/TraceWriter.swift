import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Wraps the MES (or the OEE monitor) and streams what it hears and decides into a trace
/// store: units, operations (with the batch they ran in), lot draws, measurements, defects,
/// work orders and the audit trail. Records go out in batches as they happen, so memory
/// stays flat however long the run.
public struct TraceWriter<Inner: OEEKeeping>: WrappingController {
    public var inner: Inner
    let store: TraceStore
    /// Per machine: when its current operation started, whether with a setup, and its state.
    var operationStart: [Double]
    var operationSetup: [Bool]
    var machineState: [MachineState]
    /// Per machine of a batch station: the batch it runs (numbered per station from 1) and
    /// how many of its units have not finished yet.
    var machineBatch: [Int32]
    var unfinishedInBatch: [Int32]
    /// Per station: batches started so far.
    var batchesStarted: [Int32]
    /// Work orders of the MES written so far (the book only grows).
    var ordersWritten = 0
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
        machineBatch = Array(repeating: 0, count: store.names.machines.count)
        unfinishedInBatch = Array(repeating: 0, count: store.names.machines.count)
        batchesStarted = Array(repeating: 0, count: store.names.stations.count)
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
                let m = Int(machine)
                operationStart[m] = time
                operationSetup[m] = machineState[m] == .setup
                let station = store.names.stationOfMachine[m]
                if store.names.batchStations[station] {
                    // A batch's units all start at once; the first of them opens the batch.
                    if unfinishedInBatch[m] == 0 {
                        batchesStarted[station] += 1
                        machineBatch[m] = batchesStarted[station]
                    }
                    unfinishedInBatch[m] += 1
                }
            case .processingFinished(let serial, let machine, _):
                let m = Int(machine)
                if unfinishedInBatch[m] > 0 { unfinishedInBatch[m] -= 1 }
                try store.append(
                    .operation(
                        serial: serial, machine: machine, batch: machineBatch[m], start: operationStart[m], end: time,
                        setup: operationSetup[m]))
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

    /// Writes what the MES recorded since the last event: new work orders, audit entries.
    mutating func writeAudit() {
        if inner.workOrderCount > ordersWritten { writeOrders() }
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

extension TraceWriter {
    mutating func writeOrders() {
        guard failure == nil else { return }
        do {
            while ordersWritten < inner.workOrderCount {
                if let order = inner.workOrder(at: ordersWritten) { try store.append(.workOrder(order)) }
                ordersWritten += 1
            }
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
    /// Per station: whether inspections send rejects there, its operator pool's name, and
    /// whether it works in batches.
    let reworkStations: [Bool]
    let operatorPools: [String?]
    let batchStations: [Bool]
    init(
        products: [String], stations: [String], machines: [String], stationOfMachine: [Int], materials: [String],
        defects: [String], reworkStations: [Bool], operatorPools: [String?], batchStations: [Bool]? = nil
    ) {
        self.batchStations = batchStations ?? stations.map { _ in false }
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
        batchStations = scenario.layout.stations.map { $0.batch != nil }
    }
}
