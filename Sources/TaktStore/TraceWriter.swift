import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// Wraps the MES (or the OEE monitor) and streams what it hears and decides into a trace
/// store: units, operations, lot draws, measurements, defects, and the audit trail. Records
/// go out in batches as they happen, so memory stays flat however long the run.
public struct TraceWriter<Inner: OEEKeeping>: OEEKeeping {
    public var inner: Inner
    let store: TraceStore
    let names: TraceNames
    /// Per machine: when its current operation started.
    var operationStart: [Double]
    /// The first error writing, if any (a controller cannot throw; the run checks it).
    public private(set) var failure: Error?

    /// A writer around `inner` into `store`, naming things by `names`.
    init(_ inner: Inner, store: TraceStore, names: TraceNames) {
        self.inner = inner
        self.store = store
        self.names = names
        operationStart = Array(repeating: 0, count: names.machines.count)
    }

    public var oee: OEECalculator {
        get { inner.oee }
        set { inner.oee = newValue }
    }

    public static var observesPlant: Bool { true }
    public static var observesArrivals: Bool { Inner.observesArrivals }
    public static var dispatches: Bool { Inner.dispatches }

    public mutating func startObservation(at time: Double) { inner.startObservation(at: time) }
    public mutating func endObservation(at time: Double) { inner.endObservation(at: time) }
    public var spcCharts: [StationSPC] { inner.spcCharts }

    public mutating func start(at time: Double, commands: inout [PlantCommand]) {
        inner.start(at: time, commands: &commands)
        writeAudit()
    }

    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        inner.timerFired(tag, at: time, commands: &commands)
        writeAudit()
    }

    public mutating func selectNext(from waiting: WaitingUnits, machine: Int32, at time: Double) -> Int {
        inner.selectNext(from: waiting, machine: machine, at: time)
    }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        if Inner.observesPlant { inner.observe(observation, at: time, commands: &commands) }
        guard failure == nil else { return }
        do {
            switch observation {
            case .unitReleased(let serial, let product):
                try store.append(
                    .unit, [serial, names.products[Int(product)], inner.workOrder(ofSerial: serial), time])
            case .processingStarted(_, let machine):
                operationStart[Int(machine)] = time
            case .processingFinished(let serial, let machine):
                let m = Int(machine)
                try store.append(
                    .operation,
                    [
                        serial, names.stations[names.stationOfMachine[m]], names.machines[m], operationStart[m], time,
                        nil,
                    ])
            case .lotConsumed(let serial, let material, let lot, let quantity, let station):
                try store.append(
                    .lotDraw,
                    [
                        serial, names.materials[Int(material)], Int(lot), Int(quantity), names.stations[Int(station)],
                        time,
                    ])
            case .measured(let serial, let station, let value):
                try store.append(.measurement, [serial, names.stations[Int(station)], value, time])
            case .defectCreated(let serial, let defect, let station):
                try store.append(.defect, [serial, names.defects[Int(defect)], names.stations[Int(station)], time, 0])
            case .defectDetected(let serial, let defect, let station):
                try store.append(.defect, [serial, names.defects[Int(defect)], names.stations[Int(station)], time, 1])
            case .unitShipped(let serial, _):
                try store.append(.shipped, [time, serial])
            case .unitScrapped(let serial, _):
                try store.append(.scrapped, [time, serial])
            default:
                break
            }
        } catch {
            failure = error
        }
        writeAudit()
    }

    mutating func writeAudit() {
        let entries = inner.drainAudit()
        guard !entries.isEmpty, failure == nil else { return }
        do {
            for entry in entries {
                try store.appendAudit(
                    time: entry.time, actor: entry.actor, action: entry.action, subject: entry.subject,
                    reason: entry.reason, old: entry.old, new: entry.new)
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
    init(_ scenario: Scenario) {
        products = scenario.layout.products.map(\.name)
        stations = scenario.layout.stations.map(\.name)
        machines = scenario.equipment.unitNames
        var stationOfMachine: [Int] = []
        for (s, station) in scenario.layout.stations.enumerated() {
            stationOfMachine += Array(repeating: s, count: station.machines)
        }
        self.stationOfMachine = stationOfMachine
        materials = scenario.layout.materials.map(\.name)
        defects = scenario.layout.defectTypes
    }
}
