import Foundation
import TaktKernel
import TaktMES
import TaktPlant
import TaktScenario

/// What a run of a scenario produced.
public struct ExperimentResults: Sendable, Codable, Equatable {
    /// The scenario's name and file.
    public var scenario: String
    public var file: String
    /// How it was run.
    public var seed: UInt64
    public var replications: Int
    public var horizon: Double
    public var warmup: Double
    /// Every work order of every replication (empty without an MES).
    public var orders: [OrderRecord] = []
    /// The generator and GSL version, for reproducing the numbers.
    public var generator: String
    public var gslVersion: String
    /// Line-level KPIs, then per-station ones.
    public var kpis: [KPIResult]
    /// The ISA-95 equipment hierarchy and product definitions of the scenario.
    public var equipment: EquipmentHierarchy?
    public var products: [ProductDefinition] = []
    /// What the report's charts draw, from replication 0, when a report was asked for.
    public var trace: RunTrace?
    /// Every operation of every unit, by replication, when the scenario's MES records them.
    /// Left out of results.json (it grows with the run); `--out` writes it to operations.csv.
    public var operations: [[OperationRecord]] = []

    enum CodingKeys: String, CodingKey {
        case scenario, file, seed, replications, horizon, warmup, orders, generator, gslVersion, kpis, equipment
        case products, trace
    }

    /// Results of `scenario` (file `file`) from its KPIs and run settings.
    public init(
        scenario: String, file: String, seed: UInt64, replications: Int, horizon: Double, warmup: Double,
        orders: [OrderRecord] = [], generator: String, gslVersion: String, kpis: [KPIResult],
        equipment: EquipmentHierarchy? = nil, products: [ProductDefinition] = [], trace: RunTrace? = nil,
        operations: [[OperationRecord]] = []
    ) {
        self.scenario = scenario
        self.file = file
        self.seed = seed
        self.replications = replications
        self.horizon = horizon
        self.warmup = warmup
        self.orders = orders
        self.generator = generator
        self.gslVersion = gslVersion
        self.kpis = kpis
        self.equipment = equipment
        self.products = products
        self.trace = trace
        self.operations = operations
    }

    /// The KPI called `name`, if any.
    public func kpi(_ name: String) -> KPIResult? { kpis.first { $0.name == name } }
}

/// Runs the replications of a scenario in parallel, with results that do not depend on how
/// many threads ran them: every replication has its own random streams, and results are
/// placed by replication number.
public enum Experiment {
    /// A plant for one replication of `scenario` under `controller`, started and ready to run
    /// (warm-up handled by the caller, so controllers can reset their own records too).
    public static func startedSimulation<Controller: PlantController>(
        _ scenario: Scenario, replication: Int, controller: Controller
    ) throws -> Simulation<Plant<Controller>> {
        var plant = try Plant(
            layout: scenario.layout, controller: controller, seed: scenario.seed, replication: replication, warmup: 0,
            kind: scenario.generator)
        var calendar = EventCalendar<PlantEvent>(reservingCapacity: 256)
        plant.start(calendar: &calendar)
        return Simulation(model: plant, calendar: calendar)
    }

    /// What one replication measured: the plant's figures and the MES's OEE accounts.
    public struct Replication: Sendable {
        /// The plant's results.
        public var plant: PlantResults
        /// Per station; every machine summed (the time-weighted equipment roll-up); and the
        /// line's output-based OEE.
        public var stationOEE: [OEEAccount]
        public var equipmentOEE: OEEAccount
        public var lineOEE: LineOEE
        /// The MES's work orders (empty without an MES).
        public var orders: [WorkOrder] = []
        /// Per product: mean units in the plant over the window, as the MES counts them
        /// (empty without an MES).
        public var workInProcessByProduct: [Double] = []
        /// Every operation of every unit, when the MES records them.
        public var operations: [OperationRecord] = []
        /// The charts' data, for the replication that recorded it.
        public var trace: RunTrace?
        /// Per SPC station: what its chart saw in the window.
        public var spc: [SPCSummary] = []
        /// Per recall: its scope under each granularity; units held and scrapped.
        public var recalls: [[RecallScope]] = []
        public var recallHeld: [Int] = []
        public var recallScrapped: [Int] = []
        /// Units shipped while the MES held them (an independent check: always 0 when holds work).
        public var shippedWithOpenHold = 0
        /// Units the MES put on hold in the window.
        public var unitsHeld = 0
        /// Per station: maintenance work orders finished; per role: pages; per rule: firings.
        public var maintenanceDone: [Int] = []
        public var pages: [Int] = []
        public var firings: [Int] = []
        /// Where every unit was at the horizon: the conservation check (``UnitBalance/holds``).
        public var unitBalance: UnitBalance?
        /// Per snapshot time of the scenario: units at each station, then the plant's total.
        public var snapshots: [[Double]] = []
    }

    /// The same scenario without its MES: a plain source makes the orders' product mix, in
    /// runs of the mean order size, with raw material never short (the minimal default policy).
    public static func withDefaultPolicy(_ scenario: Scenario) -> Scenario {
        guard let generation = scenario.mes?.settings.generation else { return scenario }
        var plain = scenario
        plain.mes = nil
        var source = Source(
            mix: generation.mix.map { (Int($0.product), $0.probability) }, arrivals: .unlimited)
        source.runLength = max(1, Int(generation.quantity.mean.rounded()))
        plain.layout.sources = [source]
        return plain
    }

    /// Runs one replication and returns the events executed, the units shipped and the CPU
    /// seconds they took.
    public static func measureEvents(_ scenario: Scenario, replication: Int = 0) throws -> (
        events: UInt64, shipped: Int, seconds: Double
    ) {
        let start = clock()
        let events: UInt64
        let shipped: Int
        if scenario.mes != nil {
            (events, shipped) = try scenario.visitDispatchRule(
                EventCounter(scenario: scenario, replication: replication))
        } else {
            var simulation = try Experiment.startedSimulation(
                scenario, replication: replication, controller: FirstInFirstOut())
            simulation.run(until: scenario.horizon)
            try simulation.checkCompleted()
            events = simulation.executedEvents
            shipped = simulation.model.lifetimeCounts.shipped
        }
        return (events, shipped, Double(clock() - start) / Double(CLOCKS_PER_SEC))
    }

    struct EventCounter: DispatchRuleVisitor {
        let scenario: Scenario
        let replication: Int

        func visit<Rule: DispatchRule>(_ rule: Rule) throws -> (UInt64, Int) {
            guard var settings = scenario.mes?.settings else { return (0, 0) }
            settings.retainsHistory = false
            let mes = try MES(
                layout: scenario.layout, settings: settings, rule: rule, idealCycle: scenario.idealCycles,
                seed: scenario.seed, replication: replication)
            var simulation = try Experiment.startedSimulation(scenario, replication: replication, controller: mes)
            simulation.run(until: scenario.horizon)
            try simulation.checkCompleted()
            return (simulation.executedEvents, simulation.model.lifetimeCounts.shipped)
        }
    }

    /// Runs a replication under the MES with a concrete rule (specialised per rule).
    struct MESReplication: DispatchRuleVisitor {
        let scenario: Scenario
        let replication: Int
        let trace: TraceSettings?

        func visit<Rule: DispatchRule>(_ rule: Rule) throws -> Replication {
            guard var settings = scenario.mes?.settings else { preconditionFailure("no MES settings") }
            settings.retainsHistory = false
            // The report's timeline shows the MES's decisions: its audit entries (logging only).
            if trace != nil { settings.audits = true }
            let mes = try MES(
                layout: scenario.layout, settings: settings, rule: rule, idealCycle: scenario.idealCycles,
                seed: scenario.seed, replication: replication)
            if let trace {
                var simulation = try Experiment.startedSimulation(
                    scenario, replication: replication, controller: TraceRecorder(mes))
                var result = try Experiment.observeWindowRecording(
                    &simulation, scenario, replication: replication, settings: trace)
                Self.addMESRecords(simulation.model.controller.inner, to: &result, scenario)
                return result
            }
            var simulation = try Experiment.startedSimulation(scenario, replication: replication, controller: mes)
            var result = try Experiment.observeWindow(&simulation, scenario)
            Self.addMESRecords(simulation.model.controller, to: &result, scenario)
            return result
        }

        static func addMESRecords<Rule: DispatchRule>(
            _ mes: MES<Rule>, to result: inout Replication, _ scenario: Scenario
        ) {
            result.orders = mes.book.orders
            result.workInProcessByProduct = mes.workInProcessByProduct.map { $0.mean(at: scenario.horizon) }
            result.operations = mes.operations
            result.spc = mes.spc.map { SPCSummary($0, from: scenario.warmup) }
            result.recalls = mes.recallScopes
            result.recallHeld = mes.recallHeld.map(\.count)
            result.recallScrapped = mes.recallScrapped
            result.shippedWithOpenHold = mes.core.shippedWithOpenHold
            result.unitsHeld = mes.core.unitsHeld
            result.maintenanceDone = mes.core.maintenanceDone
            result.pages = mes.core.pages
            result.firings = mes.core.firings
        }
    }

    /// Runs one replication with the MES keeping OEE, and returns what it measured; with
    /// `trace` settings, also what the report's charts draw.
    public static func replicate(_ scenario: Scenario, replication: Int, trace: TraceSettings? = nil) throws
        -> Replication
    {
        do {
            return try replicateUnlabelled(scenario, replication: replication, trace: trace)
        } catch var aborted as RunAborted {
            aborted.replication = replication
            throw aborted
        }
    }

    static func replicateUnlabelled(_ scenario: Scenario, replication: Int, trace: TraceSettings?) throws
        -> Replication
    {
        if scenario.mes != nil {
            return try scenario.visitDispatchRule(
                MESReplication(scenario: scenario, replication: replication, trace: trace))
        }
        let monitor = OEEMonitor(
            layout: scenario.layout, idealCycle: scenario.idealCycles, minorStopThreshold: scenario.minorStopThreshold)
        if let trace {
            var simulation = try startedSimulation(
                scenario, replication: replication, controller: TraceRecorder(monitor))
            return try observeWindowRecording(&simulation, scenario, replication: replication, settings: trace)
        }
        var simulation = try startedSimulation(scenario, replication: replication, controller: monitor)
        return try observeWindow(&simulation, scenario)
    }

    /// Runs every replication, `parallelism` at a time (all cores by default), reporting the
    /// number of finished replications to `progress`.
    ///
    /// `sideJob`, if given, runs once in the same pool of workers (a traced replication
    /// written to a trace store, say), so it uses a core the replications leave idle.
    public static func run(
        _ scenario: Scenario, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        trace: TraceSettings? = nil, sideJob: (@Sendable () throws -> Void)? = nil,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ExperimentResults {
        let results = try await runAll([scenario], parallelism: parallelism, trace: trace, sideJob: sideJob) {
            done, _ in progress?(done)
        }
        return results[0]
    }

    /// Runs several scenarios (the points of a sweep) with every (scenario, replication) pair
    /// drawn from one pool of `parallelism` workers, so small points still fill every core.
    /// Results are placed by index: the same whatever the number of workers.
    public static func runAll(
        _ scenarios: [Scenario], parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        trace: TraceSettings? = nil, sideJob: (@Sendable () throws -> Void)? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> [ExperimentResults] {
        let units = scenarios.indices.flatMap { s in
            (0..<scenarios[s].replications).map { WorkUnit(point: s, replication: $0) }
        }
        let replications = try await replicate(
            scenarios, units: units, parallelism: parallelism, trace: trace, sideJob: sideJob, progress: progress)
        var plants = scenarios.map { _ in [Replication]() }
        for (unit, replication) in zip(units, replications) { plants[unit.point].append(replication) }
        return zip(scenarios, plants).map { summarise($0, $1) }
    }

    /// KPIs with confidence intervals from per-replication results.
    public static func summarise(_ scenario: Scenario, _ replications: [Replication]) -> ExperimentResults {
        var kpis: [KPIResult] = []
        let results = replications.map(\.plant)
        func add(_ name: String, _ unit: String, _ value: (PlantResults) -> Double) {
            kpis.append(KPIResult(name: name, unit: unit, values: results.map(value)))
        }
        func addOEE(_ name: String, _ unit: String, _ value: (Replication) -> Double) {
            kpis.append(KPIResult(name: name, unit: unit, values: replications.map(value)))
        }
        add("throughput", "units/h") { Double($0.goodShipped) / $0.observedTime * 3_600 }
        add("shipped", "units") { Double($0.shipped) }
        add("work_in_process", "units") { $0.meanWorkInProcess }
        add("lead_time", "h") { $0.meanLeadTime / 3_600 }
        add("yield", "share") { Double($0.goodShipped) / max(1, Double($0.shipped + $0.scrapped)) }
        add("scrap_rate", "share") { Double($0.scrapped) / max(1, Double($0.shipped + $0.scrapped)) }
        add("escape_rate", "share") { Double($0.shippedDefective) / max(1, Double($0.shipped)) }
        add("reworks_per_unit", "per unit") { Double($0.reworks) / max(1, Double($0.released)) }
        add("energy_per_good_unit", "kWh") { $0.goodShipped > 0 ? $0.energyPerGoodUnitKilowattHours : 0 }
        if !scenario.layout.sources.isEmpty, scenario.layout.sources.allSatisfy({ $0.limit != nil }) {
            add("makespan", "s") { $0.lastShipment }
        }
        if results.contains(where: { $0.arrivals > 0 }) {
            add("lost_arrivals", "share") { Double($0.lostArrivals) / max(1, Double($0.arrivals)) }
        }
        for (s, station) in scenario.layout.stations.enumerated() {
            for state in MachineState.allCases {
                add("\(stateKey(state))[\(station.name)]", "share") { $0.stations[s].stateShare[state.rawValue] }
            }
            add("buffer[\(station.name)]", "units") { $0.stations[s].meanBufferLevel }
            add("units_completed[\(station.name)]", "units") { Double($0.stations[s].processed) }
            let charted = scenario.mes?.settings.spc.contains { $0.station == s && !$0.chart.isAttribute } ?? false
            if station.measurement?.lowerSpecification != nil || station.measurement?.upperSpecification != nil,
                !charted
            {
                // Stations with SPC report it from the chart (spcKPIs), the same count.
                add("out_of_spec[\(station.name)]", "share") { r in
                    let f = r.stations[s]
                    return f.measured > 0 ? Double(f.outOfSpecification) / Double(f.measured) : .nan
                }
            }
            if station.inspection != nil {
                add("false_rejects[\(station.name)]", "units") { Double($0.stations[s].falseRejects) }
            }
            add("queue_wait[\(station.name)]", "s") { r in
                let f = r.stations[s]
                return f.started > 0 ? f.queueWait / Double(f.started) : .nan
            }
            add("probability_of_wait[\(station.name)]", "share") { r in
                let f = r.stations[s]
                return f.started > 0 ? Double(f.waited) / Double(f.started) : .nan
            }
            add("time_in_station[\(station.name)]", "s") { r in
                let f = r.stations[s]
                return f.processed > 0 ? f.timeInStation / Double(f.processed) : .nan
            }
            add("energy[\(station.name)]", "kWh") { $0.stations[s].energyKilowattHours }
        }
        // The line's OEE from its output (OEEML / OTE): each unit once, at the line's ideal
        // cycle, over the constraint's planned busy time; its losses add up to that time.
        addOEE("oee", "share") { $0.lineOEE.oee }
        addOEE("availability", "share") { $0.lineOEE.availability }
        addOEE("effectiveness", "share") { $0.lineOEE.effectiveness }
        addOEE("quality_ratio", "share") { $0.lineOEE.qualityRatio }
        addOEE("teep", "share") { $0.lineOEE.teep }
        // Every machine's ISO 22400-2 account summed: time-weighted, rework and inspection included.
        addOEE("equipment_oee", "share") { $0.equipmentOEE.oee }
        for key in Losses.keys {
            addOEE("loss_\(key)", "share of planned time") { replication in
                let line = replication.lineOEE
                return line.losses.seconds(key) / max(line.plannedBusyTime, 1e-300)
            }
        }
        for (s, station) in scenario.layout.stations.enumerated() {
            addOEE("oee[\(station.name)]", "share") { $0.stationOEE[s].oee }
            addOEE("availability[\(station.name)]", "share") { $0.stationOEE[s].availability }
            addOEE("effectiveness[\(station.name)]", "share") { $0.stationOEE[s].effectiveness }
            addOEE("quality_ratio[\(station.name)]", "share") { $0.stationOEE[s].qualityRatio }
            addOEE("technical_efficiency[\(station.name)]", "share") { $0.stationOEE[s].technicalEfficiency }
            addOEE("mtbf[\(station.name)]", "h") { $0.stationOEE[s].meanTimeBetweenFailures / 3_600 }
            addOEE("mttr[\(station.name)]", "h") { $0.stationOEE[s].meanTimeToRepair / 3_600 }
            addOEE("active[\(station.name)]", "share of planned time") { replication in
                let account = replication.stationOEE[s]
                let active =
                    account.seconds(.production) + account.seconds(.setup) + account.seconds(.breakdown)
                    + account.seconds(.unplannedMaintenance)
                return active / max(account.plannedBusyTime, 1e-300)
            }
            addOEE("waiting_for_work[\(station.name)]", "share of planned time") { replication in
                let account = replication.stationOEE[s]
                return (account.seconds(.starved) + account.seconds(.noWorkReleased))
                    / max(account.plannedBusyTime, 1e-300)
            }
            for key in Losses.keys {
                addOEE("loss_\(key)[\(station.name)]", "share of planned time") { replication in
                    let account = replication.stationOEE[s]
                    return account.losses.seconds(key) / max(account.plannedBusyTime, 1e-300)
                }
            }
        }
        if scenario.mes != nil {
            kpis +=
                orderKPIs(scenario, replications) + spcKPIs(scenario, replications)
                + recallKPIs(scenario, replications) + ruleKPIs(scenario, replications)
        }
        for (p, pool) in scenario.layout.operatorPools.enumerated() {
            add("operator_utilisation[\(pool.name)]", "share") { $0.operatorUtilisation[p] }
        }
        for (m, material) in scenario.layout.materials.enumerated() where material.supply != nil {
            add("lots_delivered[\(material.name)]", "lots") { Double($0.lotsDelivered[m]) }
        }
        for (k, time) in scenario.snapshots.filter({ $0 <= scenario.horizon }).sorted().enumerated() {
            let label = "wip_at_\(Format.duration(time))"
            let stations = scenario.layout.stations.count
            addOEE(label, "units") { $0.snapshots[k][stations] }
            for (s, station) in scenario.layout.stations.enumerated() {
                addOEE("\(label)[\(station.name)]", "units") { $0.snapshots[k][s] }
            }
        }
        let orders = replications.enumerated().flatMap { replication, result in
            result.orders.map {
                OrderRecord($0, replication: replication, product: scenario.layout.products[Int($0.product)].name)
            }
        }
        return ExperimentResults(
            scenario: scenario.name, file: scenario.file, seed: scenario.seed, replications: scenario.replications,
            horizon: scenario.horizon, warmup: scenario.warmup, orders: orders, generator: scenario.generator.gslName,
            gslVersion: GSLLibrary.version, kpis: kpis, equipment: scenario.equipment,
            products: ProductDefinition.all(in: scenario.layout), trace: replications.first?.trace,
            operations: scenario.mes?.settings.recordsOperations == true ? replications.map(\.operations) : [])
    }

    /// The KPI name of a machine state share.
    public static func stateKey(_ state: MachineState) -> String {
        switch state {
        case .busy: "busy"
        case .setup: "setup"
        case .idle: "idle"
        case .blocked: "blocked"
        case .down: "down"
        case .plannedStop: "planned_stop"
        }
    }
}
