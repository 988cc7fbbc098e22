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
    @usableFromInline let layout: CompiledLayout
    @usableFromInline let names: PlantLayout
    @usableFromInline let machines: EntityTable<MachineRecord>
    /// Per station: units (slot ids) waiting in the input buffer.
    @usableFromInline let queues: IndexQueues
    /// Per station: upstream machines blocked until this station has room, oldest first.
    @usableFromInline let blockedUpstream: IndexQueues
    @usableFromInline let units: EntityTable<UnitRecord>
    @usableFromInline let freeUnitSlots: EntityTable<Int32>
    @usableFromInline var nextSerial = 1
    /// Set when the units in the plant pass ``maximumUnitsInProcess``: the run is given up.
    @usableFromInline var unitLimitReached = false

    /// The most units one replication may hold in the plant at once (about 0.5 GB of unit
    /// records and queues): beyond it WIP grows without bound, and the run stops with a
    /// message instead of being killed for its memory.
    public static var maximumUnitsInProcess: Int { 5_000_000 }
    /// Per station: operating seconds since the last process adjustment (measurement drift).
    @usableFromInline let operatingSinceAdjustment: EntityTable<Double>
    /// Per station: where the last adjustment left the measured mean, off nominal.
    @usableFromInline let processOffset: EntityTable<Double>
    /// Per technician pool: free technicians and machines waiting for one.
    @usableFromInline var freeTechnicians: ContiguousArray<Int>
    @usableFromInline var waitingForTechnician: ContiguousArray<FIFOQueue<Int32>>
    /// Per operator pool: free operators, machines waiting for one (oldest first), and
    /// operators at work (time-weighted, for utilisation).
    @usableFromInline let freeOperators: EntityTable<Int>
    @usableFromInline let waitingForOperator: IndexQueues
    @usableFromInline let operatorsAtWork: EntityTable<TimeWeightedLevel>
    /// Per operator pool: operators attending (the pool's size while any station it staffs is
    /// on shift, else 0), time-weighted; and how many of its stations are on shift now.
    @usableFromInline let operatorsAttending: EntityTable<TimeWeightedLevel>
    @usableFromInline let poolStationsOnShift: EntityTable<Int>
    /// Per station: whether it waits for the end-of-instant dispatch; and those stations, in order.
    @usableFromInline let dispatchPending: EntityTable<Bool>
    @usableFromInline let stationsToDispatch: IndexQueues
    /// Machines whose state the controller hears of at the end of the instant.
    @usableFromInline let machinesToReport: IndexQueues
    /// Per machine: the units of its batch (batch stations only). Per station: the pending
    /// timer that ends the longest wait.
    @usableFromInline let batchUnits: IndexQueues
    @usableFromInline let batchTimer: EntityTable<EventHandle?>
    /// Per source: arrivals so far (for sources with a limit).
    @usableFromInline let sourceArrivals: EntityTable<Int>
    /// Per source with a mix: the product of the current run and the units left in it.
    @usableFromInline let currentRun: EntityTable<(product: Int32, left: Int)>
    /// Per material: the open lot's number and the pieces left in it.
    @usableFromInline let openLot: EntityTable<(number: Int32, left: Int32)>
    /// Per material: lot numbers quarantined before they were opened (skipped when reached).
    @usableFromInline var quarantinedLots: [Set<Int32>]
    /// Per lot of known quality (as ``CompiledLayout/lotQualityOffset`` lays them out): units
    /// that got its defect, since time 0.
    @usableFromInline let lotDefectiveUnits: EntityTable<Int>
    /// Per material with a finite supply: unopened lots at the line.
    @usableFromInline let lotsOnHand: EntityTable<Int32>
    /// Per station: a material it consumes has run out, so its machines may not start.
    @usableFromInline let materialShort: EntityTable<Bool>
    /// Units in the hold area, with the station they were taken off at; and how many units in
    /// process carry a hold still to carry out (0 keeps the check off the per-unit path).
    @usableFromInline var holdArea: [(unit: Int32, station: Int32)] = []
    @usableFromInline var pendingUnitHolds = 0
    @usableFromInline var pendingCommands: [PlantCommand] = []
    @usableFromInline var applyingCommands = false
    /// Inside an end-of-instant dispatch: machines choose now instead of deferring again.
    @usableFromInline var dispatchingNow = false
    @usableFromInline var statistics: PlantStatistics
    /// Counts since time 0, never reset: for conservation checks.
    @usableFromInline var lifetime = LifetimeCounts()
    @usableFromInline let streams: PlantStreams
    /// Per station: the cycle-time generator, unowned (``streams`` keeps it alive).
    @usableFromInline let cycleGenerators: EntityTable<GeneratorHandle>
    /// Per station: the share of its speed it runs at (1 unless a command changed it); cycle
    /// times are divided by it.
    @usableFromInline let speed: EntityTable<Double>
    @usableFromInline let sources: [Source]
    @usableFromInline let warmup: SimTime

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
        cycleGenerators = EntityTable(streams.cycle.map(\.handle))
        speed = EntityTable(repeating: 1, count: layout.stations.count)
        machines = EntityTable(self.layout.stationOfMachine.map { MachineRecord(station: $0) })
        queues = IndexQueues(queues: layout.stations.count, initialCapacity: 8)
        blockedUpstream = IndexQueues(queues: layout.stations.count, initialCapacity: 4)
        units = EntityTable([], minimumCapacity: 1024)
        freeUnitSlots = EntityTable([], minimumCapacity: 1024)
        operatingSinceAdjustment = EntityTable(repeating: 0, count: layout.stations.count)
        processOffset = EntityTable(repeating: 0, count: layout.stations.count)
        freeTechnicians = ContiguousArray(self.layout.technicianPoolSizes)
        waitingForTechnician = ContiguousArray(
            repeating: FIFOQueue(capacity: 4), count: layout.technicianPools.count)
        dispatchPending = EntityTable(repeating: false, count: layout.stations.count)
        stationsToDispatch = IndexQueues(queues: 1, initialCapacity: 8)
        machinesToReport = IndexQueues(queues: 1, initialCapacity: 8)
        batchUnits = IndexQueues(queues: self.layout.machineCount, initialCapacity: 1)
        batchTimer = EntityTable(repeating: nil, count: layout.stations.count)
        freeOperators = EntityTable(layout.operatorPools.map(\.size))
        waitingForOperator = IndexQueues(queues: layout.operatorPools.count, initialCapacity: 4)
        operatorsAtWork = EntityTable(
            repeating: TimeWeightedLevel(tracksLevels: false), count: layout.operatorPools.count)
        operatorsAttending = EntityTable(
            repeating: TimeWeightedLevel(tracksLevels: false), count: layout.operatorPools.count)
        poolStationsOnShift = EntityTable(
            layout.operatorPools.indices.map { p in layout.stations.filter { $0.operatorPool == p }.count })
        for (p, pool) in layout.operatorPools.enumerated() { operatorsAttending[p].add(Double(pool.size), at: 0) }
        sourceArrivals = EntityTable(repeating: 0, count: layout.sources.count)
        currentRun = EntityTable(repeating: (product: 0, left: 0), count: layout.sources.count)
        openLot = EntityTable(layout.materials.map { (Int32(1), Int32($0.lotSize)) })
        quarantinedLots = Array(repeating: [], count: layout.materials.count)
        lotsOnHand = EntityTable(self.layout.initialLotsOnHand)
        lotDefectiveUnits = EntityTable(repeating: 0, count: self.layout.lotDefectProbability.count)
        materialShort = EntityTable(repeating: false, count: layout.stations.count)
        statistics = PlantStatistics(
            machines: self.layout.machineCount, stations: layout.stations.count, products: layout.products.count,
            materials: layout.materials.count)
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
            renewFailureClock(Int32(machine), calendar: &calendar)
        }
        scheduleWorkCalendars(calendar: &calendar)
        if warmup > 0 { calendar.schedule(.endOfWarmup, at: warmup, priority: .urgent) }
        controller.start(at: calendar.now, commands: &pendingCommands)
        for machine in machines.indices {
            machineFreed(Int32(machine), calendar: &calendar)
        }
        applyCommands(calendar: &calendar)
    }

    @inlinable
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
        case .plannedStopBegins(let workCalendar, let stop):
            plannedStopBegins(workCalendar, stop: stop, calendar: &calendar)
        case .plannedStopEnds(let workCalendar):
            plannedStopEnds(workCalendar, calendar: &calendar)
        case .dispatchDue(let station):
            dispatchWaiting(at: station, calendar: &calendar)
        case .batchWaitOver(let station):
            batchTimer[Int(station)] = nil
            let machine = firstIdleMachine(at: station)
            if machine >= 0 { machineFreed(machine, calendar: &calendar) }
        case .endOfWarmup:
            flushStateTimes(at: calendar.now)
            statistics.reset(at: calendar.now)
            for pool in operatorsAtWork.indices {
                operatorsAtWork[pool].reset(at: calendar.now)
                operatorsAttending[pool].reset(at: calendar.now)
            }
        case .controllerTimer(let tag):
            controller.timerFired(tag, at: calendar.now, commands: &pendingCommands)
        case .lotDelivered(let material):
            lotDelivered(material, calendar: &calendar)
        }
        if !pendingCommands.isEmpty { applyCommands(calendar: &calendar) }
        if _slowPath(unitLimitReached) { unitLimitStop(calendar: &calendar) }
        if Controller.dispatches, !stationsToDispatch.isEmpty(0) { dispatchIfInstantIsOver(calendar: &calendar) }
    }

    /// Tells the controller what happened, if it listens.
    @inline(__always)
    @inlinable
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
@usableFromInline
struct MachineRecord {
    @usableFromInline let station: Int32
    @usableFromInline var state: MachineState = .idle
    @usableFromInline var stateSince: SimTime = 0
    /// Where its time goes now in the ISO 22400-2 time model (follows ``state`` and the flags
    /// below), as last told to the controller.
    @usableFromInline var element: TimeElement = .noWorkReleased
    /// The state last told to the controller: ``state`` except within an instant whose report
    /// is deferred to its end (``reportDue``).
    @usableFromInline var reportedState: MachineState = .idle
    @usableFromInline var reportDue = false
    /// The unit (slot id) on the machine, or −1.
    @usableFromInline var unit: Int32 = -1
    /// Work left in the current segment when it started or was last interrupted.
    @usableFromInline var remainingWork: SimTime = 0
    @usableFromInline var segmentStart: SimTime = 0
    @usableFromInline var segmentIsSetup = false
    /// Operating time left before the next failure (operating-time clock).
    @usableFromInline var timeToFailure: SimTime = .infinity
    /// Units left before the next failure (unit-count clock).
    @usableFromInline var unitsToFailure = Int.max
    @usableFromInline var lastProduct: Int32 = -1
    @usableFromInline var workHandle: EventHandle?
    /// The repair under way (a technician is at the machine), which a command may end early.
    @usableFromInline var repairHandle: EventHandle?
    /// The state to return to after a repair.
    @usableFromInline var interruptedState: MachineState = .idle
    @usableFromInline var holdRequested = false
    /// In a planned stop of its work calendar (shift off or break).
    @usableFromInline var offShift = false
    /// Holds an operator from its station's pool.
    @usableFromInline var hasOperator = false
    /// Queued in its pool for the next free operator.
    @usableFromInline var awaitingOperator = false
    /// Waiting in some station's queue of blocked upstream machines.
    @usableFromInline var inBlockedQueue = false
    /// Maintenance asked for (its duration), 0 none, −1 under way.
    @usableFromInline var maintenancePending: SimTime = 0
    /// Whether that maintenance is planned (planned down time) or not (a delay).
    @usableFromInline var maintenancePlanned = false
    /// The length of a repair forced by a command (an incident), 0 when the failure is the
    /// station's own.
    @usableFromInline var forcedRepair: SimTime = 0

    @inlinable
    init(station: Int32) { self.station = station }
}

/// One unit in the plant.
@usableFromInline
struct UnitRecord {
    @usableFromInline var serial: Int
    @usableFromInline var product: Int32
    /// The route step the unit is at (or was inspected at, while in rework).
    @usableFromInline var step: Int32
    @usableFromInline var reworks: Int32 = 0
    @usableFromInline var defects: UInt64 = 0
    @usableFromInline var released: SimTime
    @usableFromInline var inRework = false
    /// Put on hold while in process: it goes to the hold area once its operation ends.
    @usableFromInline var holdRequested = false
    /// When it arrived at the station it is at (for dispatching ties).
    @usableFromInline var arrivedAt: SimTime = 0
    /// Where a unit of a finished batch, or a held unit, goes next: a station, or
    /// ``shipped`` / ``scrapped``.
    @usableFromInline var pendingDestination: Int32 = -1
    @usableFromInline static var shipped: Int32 { -1 }
    @usableFromInline static var scrapped: Int32 { -2 }

    @inlinable
    init(serial: Int, product: Int32, step: Int32, released: SimTime) {
        self.serial = serial
        self.product = product
        self.step = step
        self.released = released
        arrivedAt = released
    }
}

/// The named random streams of one replication: one per source and per station process, so
/// changing one station never changes what another draws.
@usableFromInline
struct PlantStreams {
    @usableFromInline let arrivals: [RandomStream]
    @usableFromInline let productMix: [RandomStream]
    @usableFromInline let cycle: [RandomStream]
    @usableFromInline let setup: [RandomStream]
    @usableFromInline let failure: [RandomStream]
    @usableFromInline let repair: [RandomStream]
    @usableFromInline let defects: [RandomStream]
    @usableFromInline let inspection: [RandomStream]
    @usableFromInline let measurement: [RandomStream]
    @usableFromInline let routing: [RandomStream]
    /// Per inspection station: false calls; per material: the defects of bad lots.
    @usableFromInline let falseCalls: [RandomStream]
    @usableFromInline let lotQuality: [RandomStream]

    init(layout: PlantLayout, seed: UInt64, replication: Int, kind: GeneratorKind) {
        func streams(_ names: [String], _ process: String) -> [RandomStream] {
            names.map { RandomStream(seed: seed, replication: replication, name: "\($0).\(process)", kind: kind) }
        }
        let stations = layout.stations.map(\.name)
        arrivals = streams(layout.sources.indices.map { "source\($0)" }, "arrivals")
        productMix = streams(layout.sources.indices.map { "source\($0)" }, "mix")
        cycle = streams(stations, "cycle")
        setup = streams(stations, "setup")
        failure = streams(stations, "failures")
        repair = streams(stations, "repairs")
        defects = streams(stations, "defects")
        inspection = streams(stations, "inspection")
        measurement = streams(stations, "measurement")
        routing = streams(layout.products.map(\.name), "routing")
        falseCalls = streams(stations, "false-calls")
        lotQuality = streams(layout.materials.map(\.name), "lot-quality")
    }
}
