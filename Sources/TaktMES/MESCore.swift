import TaktKernel
import TaktPlant

/// Everything the MES does that does not depend on its dispatching rule: orders, release,
/// tracking and OEE. Not generic, so it compiles once and costs no generic dispatch; the
/// thin ``MES`` wraps it with the rule.
public struct MESCore {
    /// The order records.
    public let book = OrderBook()
    /// The OEE accounts.
    public var oee: OEECalculator
    /// Units in the plant now, and the most there ever were (CONWIP never exceeds its cap).
    public private(set) var workInProcess = 0
    public private(set) var maximumWorkInProcess = 0
    /// Per product: kanban cards in use.
    public var cardsInUse: [Int] { Array(cardsInUseByProduct.unsafeElements) }
    /// Per product: units in the plant, time-weighted since the last ``startObservation(at:)``.
    public var workInProcessByProduct: [TimeWeightedLevel] { Array(levelByProduct.unsafeElements) }
    // Written for every unit released and every unit that leaves: entity tables, so a write
    // pays no copy-on-write check (a runtime call). Copies of the MES share them, as they
    // share the order book.
    let cardsInUseByProduct: EntityTable<Int>
    let levelByProduct: EntityTable<TimeWeightedLevel>
    /// Every release decision: (time, order id).
    public private(set) var releases: [(time: SimTime, order: Int)] = []
    /// Every operation finished so far, when the settings ask for them.
    public private(set) var operations: [OperationRecord] = []
    /// Per machine: when its current operation (or batch) started, and its batch number
    /// (−1 at stations that do not batch). Batches are numbered 1, 2, … in start order.
    var operationStart: [Double]
    var batchOnMachine: [Int32]
    var batchesStarted: Int32 = 0
    let stationBatches: [Bool]
    /// Per machine: whether its current operation began with a setup. Per station: whether
    /// it is a rework station, and its operator pool (−1 unattended).
    var operationSetup: [Bool]
    let reworkStations: [Bool]
    let operatorPoolOfStation: [Int32]
    /// Per SPC plan: the stream its imperfect adjustments draw their error from.
    let adjustmentStreams: [RandomStream]
    /// SPC per charted station, and per station its index there (−1 without SPC).
    public internal(set) var spc: [StationSPC]
    let spcOfStation: [Int]
    /// Per station: the index of its attribute chart in ``spc``, or -1.
    let attributeSPCOfStation: [Int]
    /// Per station: its machines (for holding a station).
    let machinesOfStation: [[Int32]]
    /// The as-built records, when the MES traces.
    public internal(set) var genealogy: Genealogy?
    /// Per recall: its scope under each granularity (serial, work order, window), the units
    /// the MES held, and those it scrapped.
    public internal(set) var recallScopes: [[RecallScope]] = []
    public internal(set) var recallHeld: [[Int]] = []
    public internal(set) var recallScrapped: [Int] = []
    /// Per recall: whether its disposition is done.
    var recallSettled: [Bool] = []
    /// Held units to scrap when they reach the hold area (they were in process at disposition),
    /// and the units in the hold area now.
    /// Held units whose disposition was decided before they reached the hold area: −1 scrap,
    /// otherwise the station to rework them at.
    var dispositionOnArrival: [Int: Int32] = [:]
    var inHoldArea = Set<Int>()
    /// Per SPC hold: the station's index in ``spc`` and the units held with their values.
    var spcHolds: [(spc: Int, units: [(serial: Int, value: Double)])] = []
    /// Audit entries not yet taken by a trace store (``drainAudit()``).
    public internal(set) var pendingAudit: [AuditEntry] = []
    /// Commands from outside the run (a trainer, a replayed session), carried out in order
    /// when the timer ``liveCommandTag`` fires.
    var liveCommands: [LiveCommand] = []
    /// The rule engine, when the scenario has rules or incidents.
    public internal(set) var rules: RuleEngine?
    /// Whether rules or maintenance plans need to hear each observation.
    let watchesRules: Bool
    /// The release policy in force (a rule or incident may change the CONWIP cap).
    public internal(set) var release: ReleasePolicy
    /// The dispatching rules the rules' actions switch to, and the one in force: 0 the
    /// scenario's own, n the n-th of these.
    public let dispatchRules: [DispatchRuleKind]
    public internal(set) var activeDispatch: Int32 = 0
    /// Units the MES put on hold and has not released or disposed of; units shipped among them
    /// (an independent check that a held unit never ships).
    var openHolds = Set<Int>()
    /// Units the rules' and incidents' `hold unit` put on hold (what `release units` releases).
    var heldByRules: [Int] = []
    /// Per station: the speed share rules and incidents last set (1 until one does; empty
    /// until then), for the audit trail's old value.
    var stationSpeeds: [Double] = []
    public internal(set) var shippedWithOpenHold = 0
    /// Units put on an MES hold (SPC, recall, rule, incident) in the observation window.
    public internal(set) var unitsHeld = 0
    /// Per material: the lot open now.
    var openLotOfMaterial: [Int32]
    /// Maintenance: per station its plans; per machine the open work order, units and
    /// processing seconds since its last maintenance, and when it last began processing.
    let maintenancePlansOfStation: [[Int]]
    var openMaintenance: [MaintenanceOrder?]
    var unitsSinceMaintenance: [Int]
    var busySinceMaintenance: [Double]
    var busySince: [Double]
    var maintenanceOrdersIssued = 0
    /// Every maintenance work order, when the MES keeps its history.
    public internal(set) var maintenanceOrders: [MaintenanceOrder] = []
    /// Per station: maintenance work orders finished in the observation window.
    public internal(set) var maintenanceDone: [Int]
    /// Per role paged, and per rule: times in the observation window.
    public let pageRoles: [String]
    public internal(set) var pages: [Int]
    public internal(set) var firings: [Int]
    var observationStart = 0.0
    /// Open orders past their due date (kept only when a rule reads them).
    var lateOrders = Set<Int>()

    /// Mutable only for what a run adds to them: a recall found during a live session.
    var settings: MESSettings
    /// Whether dispatching decisions go to the audit trail (``MESSettings/audits``), and per
    /// dispatching rule (0 the scenario's, n the n-th of ``dispatchRules``) its name and its
    /// actor name (`dispatch edd`).
    @usableFromInline let auditsDispatch: Bool
    /// What the audit trail calls each station (`station print`) and machine (`machine
    /// place-2`, as in the equipment hierarchy), and each material by name.
    let stationSubjects: [String]
    let machineSubjects: [String]
    /// Per station: who carries out its maintenance, for the audit trail — its technician
    /// pool (`technicians NAME`), or `maintenance` when its repairs wait for nobody.
    let maintainers: [String]
    let materialNames: [String]
    var dispatchRuleNames: [String] = []
    var dispatchActors: [String] = []
    let tables: DispatchTables
    let streams: (interarrival: RandomStream, quantity: RandomStream, due: RandomStream, mix: RandomStream)
    let mixChoice: DiscreteChoice?
    /// Orders with units still to release, oldest first.
    var backlog: [Int] = []
    /// Orders whose release command was sent but whose unit the plant has not reported yet.
    let awaitingUnit = IndexQueues(queues: 1, initialCapacity: 16)
    /// Per machine: the product it last started (shared like the order book's tables: no
    /// copy-on-write check on the per-unit path).
    let machineLastProduct: EntityTable<Int32>
    let stationOfMachine: [Int32]

    /// Timer tags: −1 the next generated order; id ≥ 0 a book order's arrival;
    /// −2 − id the scheduled release of order id.
    static var generationTag: Int32 { -1 }
    /// The end of an SPC hold of `station`.
    static func spcReleaseTag(_ station: Int) -> Int32 { Int32.min + Int32(station) }
    /// The review of the units held on SPC signal `batch`.
    static func spcReviewTag(_ batch: Int) -> Int32 { Int32.min + 2_000_000 + Int32(batch) }
    /// Recall `index` (found bad), and its disposition after the investigation.
    static func recallTag(_ index: Int) -> Int32 { Int32.min + 1_000_000 + 2 * Int32(index) }
    static func dispositionTag(_ index: Int) -> Int32 { recallTag(index) + 1 }
    static func releaseTag(_ order: Int) -> Int32 { Int32(-2 - order) }

    /// An MES for `layout`, drawing its own random streams from (seed, replication).
    public init(
        layout: PlantLayout, settings: MESSettings, idealCycle: [Double], seed: UInt64, replication: Int
    ) throws(DistributionError) {
        self.settings = settings
        auditsDispatch = settings.audits
        stationSubjects = layout.stations.map { "station \($0.name)" }
        machineSubjects = EquipmentHierarchy(layout: layout, site: "", area: "", line: "").machineNames.map {
            "machine \($0)"
        }
        materialNames = layout.materials.map(\.name)
        maintainers = layout.stations.map { station in
            station.failures?.technicianPool.map { "technicians \(layout.technicianPools[$0].name)" } ?? "maintenance"
        }
        release = settings.release
        var switchable: [DispatchRuleKind] = []
        for kind in settings.rules.dispatchRules where !switchable.contains(kind) { switchable.append(kind) }
        dispatchRules = switchable
        rules = settings.rules.isEmpty ? nil : RuleEngine(settings: settings.rules, stations: layout.stations.count)
        watchesRules = !settings.rules.isEmpty || !settings.maintenance.isEmpty
        openLotOfMaterial = Array(repeating: 1, count: layout.materials.count)
        var plans = [[Int]](repeating: [], count: layout.stations.count)
        for (index, plan) in settings.maintenance.enumerated() { plans[plan.station].append(index) }
        maintenancePlansOfStation = plans
        maintenanceDone = Array(repeating: 0, count: layout.stations.count)
        pageRoles = settings.rules.pageRoles
        pages = Array(repeating: 0, count: pageRoles.count)
        firings = Array(repeating: 0, count: settings.rules.rules.count)
        oee = OEECalculator(layout: layout, idealCycle: idealCycle, minorStopThreshold: settings.minorStopThreshold)
        stationOfMachine = oee.stationOfMachine
        machineLastProduct = EntityTable(repeating: -1, count: stationOfMachine.count)
        operationStart = Array(repeating: -1, count: stationOfMachine.count)
        batchOnMachine = Array(repeating: -1, count: stationOfMachine.count)
        stationBatches = layout.stations.map { $0.batch != nil }
        operationSetup = Array(repeating: false, count: stationOfMachine.count)
        openMaintenance = Array(repeating: nil, count: stationOfMachine.count)
        unitsSinceMaintenance = Array(repeating: 0, count: stationOfMachine.count)
        busySinceMaintenance = Array(repeating: 0, count: stationOfMachine.count)
        busySince = Array(repeating: 0, count: stationOfMachine.count)
        let reworkTargets = Set(
            layout.stations.compactMap { $0.inspection?.reworkStation } + settings.spc.compactMap(\.reworkStation))
        reworkStations = layout.stations.indices.map { reworkTargets.contains($0) }
        operatorPoolOfStation = layout.stations.map { Int32($0.operatorPool ?? -1) }
        spc = settings.spc.map { plan in
            let measurement = layout.stations[plan.station].measurement
            return StationSPC(
                plan: plan, lower: measurement?.lowerSpecification, upper: measurement?.upperSpecification)
        }
        adjustmentStreams = settings.spc.map {
            RandomStream(
                seed: seed, replication: replication, name: "mes.spc.\(layout.stations[$0.station].name).adjust")
        }
        var spcOfStation = Array(repeating: -1, count: layout.stations.count)
        var attributeSPCOfStation = spcOfStation
        for (index, plan) in settings.spc.enumerated() {
            if plan.chart.isAttribute {
                attributeSPCOfStation[plan.station] = index
            } else {
                spcOfStation[plan.station] = index
            }
        }
        self.spcOfStation = spcOfStation
        self.attributeSPCOfStation = attributeSPCOfStation
        var machinesOfStation = [[Int32]](repeating: [], count: layout.stations.count)
        for (m, station) in stationOfMachine.enumerated() { machinesOfStation[Int(station)].append(Int32(m)) }
        self.machinesOfStation = machinesOfStation
        // Without recalls to scope, an experiment run needs no in-memory genealogy.
        if let traceability = settings.traceability, settings.retainsHistory || !traceability.recalls.isEmpty {
            genealogy = Genealogy(materials: layout.materials.count)
        }
        cardsInUseByProduct = EntityTable(repeating: 0, count: layout.products.count)
        levelByProduct = EntityTable(repeating: TimeWeightedLevel(tracksLevels: false), count: layout.products.count)
        let expectedTime = layout.stations.flatMap { station in
            layout.products.indices.map { (station.cycleByProduct[$0] ?? station.cycle).mean }
        }
        var routeOffset: [Int] = []
        var remainingWork: [Double] = []
        for (p, product) in layout.products.enumerated() {
            var work = [Double](repeating: 0, count: product.route.count + 1)
            for k in stride(from: product.route.count - 1, through: 0, by: -1) {
                let station = layout.stations[product.route[k].station]
                work[k] = work[k + 1] + (station.cycleByProduct[p] ?? station.cycle).mean
            }
            routeOffset.append(remainingWork.count)
            remainingWork += work
        }
        tables = DispatchTables(
            productCount: layout.products.count, expectedTime: expectedTime, routeOffset: routeOffset,
            remainingWork: remainingWork)
        func stream(_ name: String) -> RandomStream {
            RandomStream(seed: seed, replication: replication, name: "mes.orders.\(name)")
        }
        streams = (stream("interarrival"), stream("quantity"), stream("due"), stream("mix"))
        if let mix = settings.generation?.mix, mix.count > 1 {
            mixChoice = try DiscreteChoice(probabilities: mix.map(\.probability))
        } else {
            mixChoice = nil
        }
        for order in settings.orderBook { book.add(order) }
    }

    public mutating func start(at time: Double, commands: inout [PlantCommand]) {
        if let generation = settings.generation {
            commands.append(
                .setTimer(tag: Self.generationTag, delay: generation.interarrival.sample(streams.interarrival)))
        }
        for order in book.orders {
            commands.append(.setTimer(tag: Int32(order.id), delay: max(0, order.arrival - time)))
        }
        for (index, recall) in (settings.traceability?.recalls ?? []).enumerated() {
            commands.append(.setTimer(tag: Self.recallTag(index), delay: max(0, recall.time - time)))
        }
        startRules(at: time, commands: &commands)
    }

    public mutating func timerFired(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        handleTimer(tag, at: time, commands: &commands)
        if rules?.hasFired == true { runFiredRules(at: time, commands: &commands) }
    }

    mutating func handleTimer(_ tag: Int32, at time: Double, commands: inout [PlantCommand]) {
        if tag >= Self.ruleTagBase, tag < Self.ruleTagEnd {
            ruleTimer(tag, at: time, commands: &commands)
        } else if tag >= Self.spcReviewTag(0), tag < Self.spcReviewTag(1_000_000) {
            review(Int(tag - Self.spcReviewTag(0)), at: time, commands: &commands)
        } else if tag >= Self.recallTag(0), tag < Self.recallTag(500_000) {
            let index = Int(tag - Self.recallTag(0)) / 2
            if (tag - Self.recallTag(0)) % 2 == 0 {
                recall(index, at: time, commands: &commands)
            } else {
                dispose(index, at: time, commands: &commands)
            }
        } else if tag < Self.spcReleaseTag(spcOfStation.count) {
            for machine in machinesOfStation[Int(tag) - Int(Int32.min)] { commands.append(.releaseMachine(machine)) }
        } else if tag == Self.generationTag, let generation = settings.generation {
            commands.append(
                .setTimer(tag: Self.generationTag, delay: generation.interarrival.sample(streams.interarrival)))
            let product = mixChoice.map { generation.mix[$0.next(streams.mix)].product } ?? generation.mix[0].product
            let drawn = generation.quantity.sample(streams.quantity).rounded()
            let quantity = drawn >= 1 ? Int(min(drawn, Double(OrderGeneration.maximumQuantity))) : 1
            let order = WorkOrder(
                id: book.orders.count, product: product, quantity: quantity, arrival: time,
                due: time + generation.dueIn.sample(streams.due), makeUp: settings.makeUp)
            book.add(order)
            arrive(order.id, at: time, commands: &commands)
        } else if tag >= 0, Int(tag) < book.orders.count {
            arrive(Int(tag), at: time, commands: &commands)
        } else if tag <= -2, Int(-2 - tag) < book.orders.count {
            release(all: Int(-2 - tag), at: time, commands: &commands)
        }
    }

    mutating func arrive(_ order: Int, at time: Double, commands: inout [PlantCommand]) {
        if rules?.watchesOrders == true {
            commands.append(.setTimer(tag: Self.dueTag(order), delay: max(0, book.orders[order].due - time)))
        }
        switch release {
        case .push:
            release(all: order, at: time, commands: &commands)
        case .schedule(let leadTime):
            let releaseTime = max(time, book.orders[order].due - leadTime)
            if releaseTime <= time {
                release(all: order, at: time, commands: &commands)
            } else {
                commands.append(.setTimer(tag: Self.releaseTag(order), delay: releaseTime - time))
            }
        case .conwip, .kanban:
            backlog.append(order)
            releaseWhileAllowed(at: time, commands: &commands)
        }
    }

    mutating func release(all order: Int, at time: Double, commands: inout [PlantCommand]) {
        while book.unreleased(order) > 0 { releaseOne(of: order, at: time, commands: &commands) }
    }

    mutating func releaseOne(of order: Int, at time: Double, commands: inout [PlantCommand]) {
        let product = book.product(ofOrder: order)
        commands.append(.releaseUnit(product: product))
        if settings.audits {
            audit(
                time, "release-policy", "release", "order \(book.orders[order].name)", "\(release)",
                old: "\(book.orders[order].released)", new: "\(book.orders[order].released + 1)")
        }
        awaitingUnit.push(Int32(order), to: 0)
        book.update(order) { $0.released += 1 }
        if book.state(of: order) == .planned {
            moveOrder(order, at: time, reason: "first unit released") { try? $0.transition(to: .released, at: time) }
        }
        if settings.retainsHistory { releases.append((time, order)) }
        workInProcess += 1
        maximumWorkInProcess = max(maximumWorkInProcess, workInProcess)
        cardsInUseByProduct[Int(product)] += 1
        levelByProduct[Int(product)].add(1, at: time)
        if rules != nil { rules!.workInProcessChanged(workInProcess, serial: -1, at: time) }
    }

    /// Releases backlog units while the policy allows, oldest order first.
    mutating func releaseWhileAllowed(at time: Double, commands: inout [PlantCommand]) {
        var index = 0
        while index < backlog.count {
            let order = backlog[index]
            guard book.unreleased(order) > 0 else {
                backlog.remove(at: index)
                continue
            }
            let product = Int(book.product(ofOrder: order))
            let allowed: Bool =
                switch release {
                case .conwip(let cap): workInProcess < cap
                case .kanban(let cards): cardsInUseByProduct[product] < cards[product]
                default: true
                }
            guard allowed else {
                if case .conwip = release { return }
                index += 1
                continue
            }
            releaseOne(of: order, at: time, commands: &commands)
            if book.unreleased(order) == 0 { backlog.remove(at: index) }
        }
    }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        handle(observation, at: time, commands: &commands)
        if watchesRules, rules?.hasFired == true { runFiredRules(at: time, commands: &commands) }
    }

    // Inlined into `observe`, its one caller: one call per observation instead of two (the
    // flagship's MES hears about 4.5 observations per event).
    @inline(__always)
    mutating func handle(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        oee.observe(observation, at: time)
        if genealogy != nil { genealogy!.record(observation, at: time) }
        if watchesRules { observeForRules(observation, at: time, commands: &commands) }
        switch observation {
        case .unitHeld(let serial, _):
            if let disposition = dispositionOnArrival.removeValue(forKey: serial) {
                commands.append(
                    disposition < 0
                        ? .scrapHeldUnit(serial: serial) : .reworkHeldUnit(serial: serial, station: disposition))
            } else {
                inHoldArea.insert(serial)
            }
        case .unitHoldReleased(let serial):
            inHoldArea.remove(serial)
        case .unitReleased(let serial, let product):
            book.recordUnit(serial: serial, order: awaitingUnit.pop(0) ?? -1, product: product)
        case .processingStarted(let serial, let machine):
            machineLastProduct[Int(machine)] = book.product(ofSerial: serial)
            let order = book.order(ofSerial: serial)
            if order >= 0, book.state(of: Int(order)) == .released {
                moveOrder(Int(order), at: time, reason: "first unit started") {
                    try? $0.transition(to: .running, at: time)
                }
            }
            if settings.recordsOperations { operationStarted(machine: machine, at: time) }
        case .processingFinished(let serial, let machine, _):
            if settings.recordsOperations { recordOperation(serial: serial, machine: machine, at: time) }
        case .measured(let serial, let station, let value):
            let index = spcOfStation[Int(station)]
            if index >= 0, spc[index].takeMeasurement(value, serial: serial, at: time) {
                react(to: spc[index].signals[spc[index].signals.count - 1], index: index, commands: &commands)
                if rules != nil {
                    rules!.signal(station: Int(station), serial: serial, at: time, workInProcess: workInProcess)
                    runFiredRules(at: time, commands: &commands)
                }
            }
        case .inspected(let serial, let station, let found, let rejected):
            let index = attributeSPCOfStation[Int(station)]
            if index >= 0, spc[index].takeInspection(rejected: rejected, found: Int(found), serial: serial, at: time) {
                react(to: spc[index].signals[spc[index].signals.count - 1], index: index, commands: &commands)
            }
        case .unitShipped(let serial, _):
            if !openHolds.isEmpty, openHolds.contains(serial) { shippedWithOpenHold += 1 }
            unitLeft(serial, shipped: true, at: time, commands: &commands)
        case .unitScrapped(let serial, _):
            if !inHoldArea.isEmpty { inHoldArea.remove(serial) }
            unitLeft(serial, shipped: false, at: time, commands: &commands)
        case .materialShortage, .lotDelivered:
            if settings.audits { auditMaterial(observation, at: time) }
        default:
            break
        }
    }

    mutating func operationStarted(machine: Int32, at time: Double) {
        let m = Int(machine)
        if stationBatches[Int(stationOfMachine[m])], operationStart[m] != time || batchOnMachine[m] < 0 {
            batchesStarted += 1
            batchOnMachine[m] = batchesStarted
        }
        operationStart[m] = time
        operationSetup[m] = oee.state(ofMachine: m) == .setup
    }

    mutating func recordOperation(serial: Int, machine: Int32, at time: Double) {
        let m = Int(machine)
        operations.append(
            OperationRecord(
                serial: serial, order: book.order(ofSerial: serial), product: book.product(ofSerial: serial),
                station: stationOfMachine[m], machine: machine, start: operationStart[m], end: time,
                batch: batchOnMachine[m], setup: operationSetup[m], rework: reworkStations[Int(stationOfMachine[m])],
                operatorPool: operatorPoolOfStation[Int(stationOfMachine[m])]))
    }

    mutating func unitLeft(_ serial: Int, shipped: Bool, at time: Double, commands: inout [PlantCommand]) {
        let order = book.order(ofSerial: serial)
        guard order >= 0 else { return }
        let id = Int(order)
        workInProcess -= 1
        cardsInUseByProduct[Int(book.product(ofOrder: id))] -= 1
        levelByProduct[Int(book.product(ofOrder: id))].add(-1, at: time)
        book.update(id) { shipped ? ($0.shipped += 1) : ($0.scrapped += 1) }
        if rules != nil { unitLeftForRules(serial, order: id, at: time, commands: &commands) }
        if book.allUnitsLeft(id) {
            end(id, at: time)
        } else if !shipped, book.unreleased(id) > 0 {
            makeUp(id, at: time, commands: &commands)
        }
        if !backlog.isEmpty { releaseWhileAllowed(at: time, commands: &commands) }
    }

    /// Scraps (`reworkAt` −1) or reworks a held unit now, or when it reaches the hold area.
    mutating func dispose(
        heldUnit serial: Int, reworkAt station: Int32, at time: Double, commands: inout [PlantCommand]
    ) {
        holdClosed(serial, at: time)
        guard inHoldArea.contains(serial) else {
            dispositionOnArrival[serial] = station
            return
        }
        commands.append(
            station < 0 ? .scrapHeldUnit(serial: serial) : .reworkHeldUnit(serial: serial, station: station))
    }

    /// Restarts the time-weighted statistics and the OEE accounts at the end of the warm-up.
    public mutating func startObservation(at time: Double) {
        oee.reset(at: time)
        for p in levelByProduct.indices { levelByProduct[p].reset(at: time) }
        for index in spc.indices { spc[index].startObservation(at: time) }
        startRuleObservation(at: time)
    }

    /// Brings the OEE accounts up to `time`, the end of the observation window.
    public mutating func endObservation(at time: Double) {
        oee.close(at: time)
    }

    /// The live WIP by work order: every order with units in the plant now, by id.
    public func workInProcessByOrder() -> [(order: Int, units: Int)] {
        book.orders.lazy.filter { $0.inProcess > 0 }.map { ($0.id, $0.inProcess) }
    }

    /// What a dispatching rule sees when `machine` frees.
    ///
    /// `mutating` though it changes nothing: called from the MES's mutating `selectNext`, a
    /// non-mutating method got a copy of the whole core (1,184 bytes, a `memcpy` per decision).
    public mutating func candidates(_ waiting: WaitingUnits, machine: Int32, at time: Double) -> DispatchCandidates {
        DispatchCandidates(
            waiting: waiting, time: time, station: Int(stationOfMachine[Int(machine)]), machine: machine,
            lastProduct: machineLastProduct[Int(machine)], activeRule: activeDispatch, tables: tables.view,
            dueOfSerial: book.dueOfSerial.unsafeElements, priorityOfSerial: book.priorityOfSerial.unsafeElements,
            orderOfSerial: book.orderOfSerial.unsafeElements, ties: settings.dispatchTies)
    }
}
