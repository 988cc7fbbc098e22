import TaktKernel

/// A running factory: the physical side (machines, buffers, units, failures, quality) that
/// reports what happens to its ``PlantController`` and obeys its commands.
///
/// Entities live in arrays indexed by integer ids; events carry those ids. The plant decides
/// nothing a real line's MES would decide: the controller does, through ``PlantCommand``.
public struct Plant<Controller: PlantController>: DiscreteEventModel {
    public typealias Event = PlantEvent

    /// The MES side, or ``FirstInFirstOut``.
    public var controller: Controller
    let layout: CompiledLayout
    let names: PlantLayout
    var machines: ContiguousArray<MachineRecord>
    /// Per station: units (slot ids) waiting in the input buffer.
    var queues: ContiguousArray<FIFOQueue<Int32>>
    /// Per station: upstream machines blocked until this station has room, oldest first.
    var blockedUpstream: ContiguousArray<FIFOQueue<Int32>>
    var units: ContiguousArray<UnitRecord>
    var freeUnitSlots: ContiguousArray<Int32>
    var nextSerial = 1
    /// Per station: operating seconds since the last process adjustment (measurement drift).
    var operatingSinceAdjustment: ContiguousArray<Double>
    /// Per technician pool: free technicians and machines waiting for one.
    var freeTechnicians: ContiguousArray<Int>
    var waitingForTechnician: ContiguousArray<FIFOQueue<Int32>>
    var pendingCommands: [PlantCommand] = []
    var applyingCommands = false
    var statistics: PlantStatistics
    /// Counts since time 0, never reset: for conservation checks.
    var lifetime = LifetimeCounts()
    let streams: PlantStreams
    let sources: [Source]
    let warmup: SimTime

    /// Builds the plant for one replication; call ``start(calendar:)`` before running.
    ///
    /// - Throws: ``PlantLayoutError`` when the layout does not fit together.
    public init(
        layout: PlantLayout, controller: Controller, seed: UInt64, replication: Int,
        warmup: SimTime = 0, kind: GeneratorKind = .standard
    ) throws(PlantLayoutError) {
        try layout.validate()
        self.controller = controller
        self.layout = CompiledLayout(layout)
        names = layout
        sources = layout.sources
        self.warmup = warmup
        streams = PlantStreams(layout: layout, seed: seed, replication: replication, kind: kind)
        machines = ContiguousArray(
            self.layout.stationOfMachine.map { MachineRecord(station: $0) })
        queues = ContiguousArray(repeating: FIFOQueue(capacity: 8), count: layout.stations.count)
        blockedUpstream = ContiguousArray(repeating: FIFOQueue(capacity: 4), count: layout.stations.count)
        units = []
        units.reserveCapacity(1024)
        freeUnitSlots = []
        operatingSinceAdjustment = ContiguousArray(repeating: 0, count: layout.stations.count)
        freeTechnicians = ContiguousArray(self.layout.technicianPoolSizes)
        waitingForTechnician = ContiguousArray(
            repeating: FIFOQueue(capacity: 4), count: layout.technicianPools.count)
        statistics = PlantStatistics(machines: self.layout.machineCount, stations: layout.stations.count)
        pendingCommands.reserveCapacity(8)
    }

    /// Schedules the first arrivals, failures and the end of the warm-up, and lets the
    /// machines fed by unlimited sources start.
    public mutating func start(calendar: inout EventCalendar<PlantEvent>) {
        for (index, source) in sources.enumerated() {
            if case .process(let interarrival) = source.arrivals {
                calendar.schedule(
                    .arrival(source: Int32(index)), after: interarrival.sample(streams.arrivals[index]))
            }
        }
        for machine in machines.indices {
            let station = Int(machines[machine].station)
            guard let failures = layout.failures[station] else { continue }
            switch failures.clock {
            case .operatingTime:
                machines[machine].timeToFailure = failures.between.sample(streams.failure[station])
            case .calendarTime:
                calendar.schedule(
                    .failure(machine: Int32(machine)), after: failures.between.sample(streams.failure[station]),
                    priority: .urgent)
            case .units(let count):
                machines[machine].unitsToFailure = count
            }
        }
        if warmup > 0 { calendar.schedule(.endOfWarmup, at: warmup, priority: .urgent) }
        for machine in machines.indices {
            machineFreed(Int32(machine), calendar: &calendar)
        }
        applyCommands(calendar: &calendar)
    }

    public mutating func handle(_ event: PlantEvent, calendar: inout EventCalendar<PlantEvent>) {
        switch event {
        case .arrival(let source):
            arrival(from: source, calendar: &calendar)
        case .workDone(let machine):
            workDone(machine, calendar: &calendar)
        case .failure(let machine):
            fail(machine, calendar: &calendar)
        case .repairDone(let machine):
            repairDone(machine, calendar: &calendar)
        case .maintenanceDone(let machine):
            maintenanceDone(machine, calendar: &calendar)
        case .endOfWarmup:
            flushStateTimes(at: calendar.now)
            statistics.reset(at: calendar.now)
        case .controllerTimer(let tag):
            controller.timerFired(tag, at: calendar.now, commands: &pendingCommands)
        }
        if !pendingCommands.isEmpty { applyCommands(calendar: &calendar) }
    }

    /// Tells the controller what happened, if it listens.
    @inline(__always)
    mutating func emit(_ observation: PlantObservation, at time: SimTime) {
        if Controller.observesPlant {
            controller.observe(observation, at: time, commands: &pendingCommands)
        }
    }
}

/// Units released, shipped and scrapped since time 0.
public struct LifetimeCounts: Sendable, Equatable {
    /// Units that entered the plant.
    public var released = 0
    /// Units that left finished.
    public var shipped = 0
    /// Units scrapped.
    public var scrapped = 0
}

/// One machine's live state.
struct MachineRecord {
    let station: Int32
    var state: MachineState = .idle
    var stateSince: SimTime = 0
    /// The unit (slot id) on the machine, or −1.
    var unit: Int32 = -1
    /// Work left in the current segment when it started or was last interrupted.
    var remainingWork: SimTime = 0
    var segmentStart: SimTime = 0
    var segmentIsSetup = false
    /// Operating time left before the next failure (operating-time clock).
    var timeToFailure: SimTime = .infinity
    /// Units left before the next failure (unit-count clock).
    var unitsToFailure = Int.max
    var lastProduct: Int32 = -1
    var workHandle: EventHandle?
    /// The state to return to after a repair.
    var interruptedState: MachineState = .idle
    var holdRequested = false
    var maintenancePending: SimTime = 0

    init(station: Int32) { self.station = station }
}

/// One unit in the plant.
struct UnitRecord {
    var serial: Int
    var product: Int32
    /// The route step the unit is at (or was inspected at, while in rework).
    var step: Int32
    /// Where the unit goes when its machine can release it.
    var destination: Int32 = -1
    var reworks: Int32 = 0
    var defects: UInt64 = 0
    var released: SimTime
    var inRework = false
}

/// The named random streams of one replication: one per source and per station process, so
/// changing one station never changes what another draws.
struct PlantStreams {
    let arrivals: [RandomStream]
    let cycle: [RandomStream]
    let setup: [RandomStream]
    let failure: [RandomStream]
    let repair: [RandomStream]
    let defects: [RandomStream]
    let inspection: [RandomStream]
    let measurement: [RandomStream]
    let routing: [RandomStream]

    init(layout: PlantLayout, seed: UInt64, replication: Int, kind: GeneratorKind) {
        func streams(_ names: [String], _ process: String) -> [RandomStream] {
            names.map { RandomStream(seed: seed, replication: replication, name: "\($0).\(process)", kind: kind) }
        }
        let stations = layout.stations.map(\.name)
        arrivals = streams(layout.sources.indices.map { "source\($0)" }, "arrivals")
        cycle = streams(stations, "cycle")
        setup = streams(stations, "setup")
        failure = streams(stations, "failures")
        repair = streams(stations, "repairs")
        defects = streams(stations, "defects")
        inspection = streams(stations, "inspection")
        measurement = streams(stations, "measurement")
        routing = streams(layout.products.map(\.name), "routing")
    }
}
