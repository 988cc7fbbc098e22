import TaktKernel

/// What one replication of a plant measured over its observation window.
public struct PlantResults: Sendable, Equatable {
    /// Per-station figures.
    public struct StationFigures: Sendable, Equatable {
        /// The station's name.
        public var name: String
        /// Share of machine time in each ``MachineState`` (by raw value), averaged over machines.
        public var stateShare: [Double]
        /// Units processed.
        public var processed: Int
        /// Units that started processing; those that waited in the queue first; their total
        /// wait, seconds; and the total time from arrival to the end of processing of the
        /// units processed, seconds.
        public var started: Int
        public var waited: Int
        public var queueWait: Double
        public var timeInStation: Double
        /// Good units the station's inspection rejected (false calls).
        public var falseRejects: Int
        /// Units measured at the station, and those outside its specification limits.
        public var measured: Int
        public var outOfSpecification: Int
        /// Mean units waiting in the input buffer (time-average).
        public var meanBufferLevel: Double
        /// Highest buffer level.
        public var maxBufferLevel: Double
        /// Energy used, kWh.
        public var energyKilowattHours: Double

        /// Fraction of time processing: the busy share.
        public var utilisation: Double { stateShare[MachineState.busy.rawValue] }
    }

    /// Length of the observation window, seconds.
    public var observedTime: SimTime
    /// Units that entered the plant in the window.
    public var released: Int
    /// Units shipped in the window.
    public var shipped: Int
    /// Shipped units carrying an undetected defect.
    public var shippedDefective: Int
    /// Units scrapped in the window.
    public var scrapped: Int
    /// Units sent to rework in the window.
    public var reworks: Int
    /// Arrivals in the window, and those lost because the first buffer was full.
    public var arrivals: Int
    public var lostArrivals: Int
    /// Shipped units per second.
    public var throughput: Double
    /// Mean units in the plant (time-average).
    public var meanWorkInProcess: Double
    /// Mean time from release to shipping, seconds, over units shipped in the window.
    public var meanLeadTime: Double
    /// Per station, in layout order.
    public var stations: [StationFigures]
    /// Per operator pool: mean share of its operators at work (time-average).
    public var operatorUtilisation: [Double]
    /// Per product: good units shipped in the window.
    public var goodShippedByProduct: [Int]
    /// Per product: units shipped (whether or not they carry a defect nobody found), and scrapped.
    public var shippedByProduct: [Int] = []
    public var scrappedByProduct: [Int] = []
    /// When the last unit shipped, seconds from time 0: the makespan when every unit is
    /// released once (a job shop).
    public var lastShipment: SimTime
    /// Per material: replenishment lots delivered in the window.
    public var lotsDelivered: [Int] = []
    /// Per material, by lot number: units that got the lot's defect (lots of known quality;
    /// ground truth since time 0, which no inspection needs to have seen).
    public var lotDefectiveUnits: [[Int]] = []

    /// Good units shipped: shipped minus those carrying an undetected defect.
    public var goodShipped: Int { shipped - shippedDefective }

    /// Energy of all stations, kWh.
    public var energyKilowattHours: Double { stations.reduce(0) { $0 + $1.energyKilowattHours } }

    /// Energy per good unit shipped, kWh (infinite when none shipped).
    public var energyPerGoodUnitKilowattHours: Double { energyKilowattHours / Double(goodShipped) }

    /// Energy of one station per good unit shipped by the plant, kWh.
    public func energyPerGoodUnitKilowattHours(station: Int) -> Double {
        stations[station].energyKilowattHours / Double(goodShipped)
    }
}

extension Plant {
    /// The results of the window that ends at `time` (state times are brought up to date).
    public mutating func results(at time: SimTime) -> PlantResults {
        flushStateTimes(at: time)
        let window = time - statistics.windowStart
        let stations = names.stations.indices.map { s in
            let first = Int(layout.firstMachine[s])
            let count = Int(layout.machinesAtStation[s])
            var share = [Double](repeating: 0, count: MachineState.count)
            var kilowattSeconds = 0.0
            for m in first..<(first + count) {
                for state in 0..<MachineState.count {
                    let seconds = statistics.stateTime[m * MachineState.count + state]
                    share[state] += seconds
                    kilowattSeconds += seconds * layout.power[s][state]
                }
            }
            let machineTime = window * Double(count)
            return PlantResults.StationFigures(
                name: names.stations[s].name,
                stateShare: share.map { machineTime > 0 ? $0 / machineTime : 0 },
                processed: statistics.processed[s], started: statistics.started[s], waited: statistics.waited[s],
                queueWait: statistics.queueWait[s], timeInStation: statistics.timeInStation[s],
                falseRejects: statistics.falseRejects[s], measured: statistics.measured[s],
                outOfSpecification: statistics.outOfSpecification[s],
                meanBufferLevel: statistics.bufferLevel[s].mean(at: time),
                maxBufferLevel: statistics.bufferLevel[s].maximum,
                energyKilowattHours: kilowattSeconds / 3_600)
        }
        return PlantResults(
            observedTime: window, released: statistics.released, shipped: statistics.shipped,
            shippedDefective: statistics.shippedDefective, scrapped: statistics.scrapped,
            reworks: statistics.reworks, arrivals: statistics.arrivals, lostArrivals: statistics.lostArrivals,
            throughput: window > 0 ? Double(statistics.shipped) / window : 0,
            meanWorkInProcess: statistics.workInProcess.mean(at: time),
            meanLeadTime: statistics.leadTime.mean, stations: stations,
            operatorUtilisation: names.operatorPools.indices.map {
                let attending = operatorsAttending[$0].mean(at: time)
                return attending > 0 ? operatorsAtWork[$0].mean(at: time) / attending : 0
            },
            goodShippedByProduct: statistics.goodShippedByProduct.indices.map { statistics.goodShippedByProduct[$0] },
            shippedByProduct: statistics.shippedByProduct.indices.map { statistics.shippedByProduct[$0] },
            scrappedByProduct: statistics.scrappedByProduct.indices.map { statistics.scrappedByProduct[$0] },
            lastShipment: statistics.lastShipment,
            lotsDelivered: statistics.lotsDelivered.indices.map { statistics.lotsDelivered[$0] },
            lotDefectiveUnits: layout.lotQualityOffset.indices.map { m in
                (0..<layout.lotQualityCount[m]).map { lotDefectiveUnits[layout.lotQualityOffset[m] + $0] }
            })
    }

    /// Ends the warm-up at `time`: statistics restart there, as the scheduled warm-up does.
    public mutating func endWarmup(at time: SimTime) {
        flushStateTimes(at: time)
        statistics.reset(at: time)
        for pool in operatorsAtWork.indices {
            operatorsAtWork[pool].reset(at: time)
            operatorsAttending[pool].reset(at: time)
        }
    }

    /// Units in the plant right now.
    public var unitsInProcess: Int { units.count - freeUnitSlots.count }

    /// Units released, shipped and scrapped since time 0 (never reset by the warm-up).
    public var lifetimeCounts: LifetimeCounts { lifetime }

    /// The state a machine is in now (machines are numbered station by station).
    public func state(ofMachine machine: Int) -> MachineState { machines[machine].state }
}

/// Runs plants replication by replication with the default first-in-first-out policy.
public enum PlantRun {
    /// Builds, warms up and runs one replication; returns its results.
    public static func replicate(
        _ layout: PlantLayout, warmup: SimTime, runLength: SimTime, seed: UInt64, replication: Int
    ) throws(PlantLayoutError) -> PlantResults {
        var simulation = try simulation(layout, warmup: warmup, seed: seed, replication: replication)
        let end = warmup + runLength
        simulation.run(until: end)
        return simulation.model.results(at: end)
    }

    /// A started simulation of `layout` under ``FirstInFirstOut``, ready to run.
    public static func simulation(
        _ layout: PlantLayout, warmup: SimTime = 0, seed: UInt64, replication: Int = 0
    ) throws(PlantLayoutError) -> Simulation<Plant<FirstInFirstOut>> {
        var plant = try Plant(
            layout: layout, controller: FirstInFirstOut(), seed: seed, replication: replication, warmup: warmup)
        var calendar = EventCalendar<PlantEvent>(reservingCapacity: 64)
        plant.start(calendar: &calendar)
        return Simulation(model: plant, calendar: calendar)
    }
}
