/// A single-server FIFO queue with unlimited waiting room (G/G/1; M/M/1 with exponential
/// inputs), built directly on the kernel. Its known answers validate the kernel, the random
/// streams and the statistics together, and it is `takt demo mm1`.
public struct SingleServerQueue: DiscreteEventModel {
    /// What can happen.
    public enum Event {
        /// A customer arrives.
        case arrival
        /// The customer in service leaves.
        case departure
        /// The warm-up ends: statistics restart.
        case endOfWarmup
    }

    /// Time-averaged and per-customer results over the observation window.
    public struct Results: Sendable, Equatable {
        /// Mean number in the system, L (time-average).
        public var meanInSystem: Double
        /// Mean number waiting, Lq (time-average).
        public var meanInQueue: Double
        /// Fraction of time the server was busy.
        public var utilisation: Double
        /// Mean time in system, W, over customers leaving in the window.
        public var meanTimeInSystem: Double
        /// Mean wait before service, Wq, over customers leaving in the window.
        public var meanWaitInQueue: Double
        /// Departures per unit time in the window.
        public var throughput: Double
        /// Customers that left in the window.
        public var departures: Int
    }

    let interarrival: Distribution
    let service: Distribution
    let arrivalStream: RandomStream
    let serviceStream: RandomStream
    var waitingSince: FIFOQueue<SimTime>
    var inServiceArrival: SimTime
    var inServiceStart: SimTime
    var serverBusy: Bool
    var numberInSystem: TimeWeightedLevel
    var numberInQueue: TimeWeightedLevel
    var busy: TimeWeightedLevel
    var timeInSystem: Tally
    var waitInQueue: Tally
    var windowStart: SimTime

    /// A queue whose streams are named "arrivals" and "service" under (seed, replication).
    public init(
        interarrival: Distribution, service: Distribution, seed: UInt64, replication: Int,
        kind: GeneratorKind = .standard
    ) {
        self.interarrival = interarrival
        self.service = service
        arrivalStream = RandomStream(seed: seed, replication: replication, name: "arrivals", kind: kind)
        serviceStream = RandomStream(seed: seed, replication: replication, name: "service", kind: kind)
        waitingSince = FIFOQueue(capacity: 1024)
        inServiceArrival = 0
        inServiceStart = 0
        serverBusy = false
        numberInSystem = TimeWeightedLevel()
        numberInQueue = TimeWeightedLevel()
        busy = TimeWeightedLevel(tracksLevels: false)
        timeInSystem = Tally()
        waitInQueue = Tally()
        windowStart = 0
    }

    public mutating func handle(_ event: Event, calendar: inout EventCalendar<Event>) {
        let now = calendar.now
        switch event {
        case .arrival:
            calendar.schedule(.arrival, after: interarrival.sample(arrivalStream))
            numberInSystem.add(1, at: now)
            if serverBusy {
                waitingSince.push(now)
                numberInQueue.add(1, at: now)
            } else {
                startService(arrivedAt: now, calendar: &calendar)
            }
        case .departure:
            numberInSystem.add(-1, at: now)
            timeInSystem.add(now - inServiceArrival)
            waitInQueue.add(inServiceStart - inServiceArrival)
            if let arrived = waitingSince.pop() {
                numberInQueue.add(-1, at: now)
                startService(arrivedAt: arrived, calendar: &calendar)
            } else {
                serverBusy = false
                busy.record(0, at: now)
            }
        case .endOfWarmup:
            numberInSystem.reset(at: now)
            numberInQueue.reset(at: now)
            busy.reset(at: now)
            timeInSystem = Tally()
            waitInQueue = Tally()
            windowStart = now
        }
    }

    mutating func startService(arrivedAt arrival: SimTime, calendar: inout EventCalendar<Event>) {
        serverBusy = true
        busy.record(1, at: calendar.now)
        inServiceArrival = arrival
        inServiceStart = calendar.now
        calendar.schedule(.departure, after: service.sample(serviceStream))
    }

    /// A ready-to-run replication: the first arrival and the end of the warm-up are scheduled.
    public static func simulation(
        interarrival: Distribution, service: Distribution, warmup: SimTime,
        seed: UInt64, replication: Int, kind: GeneratorKind = .standard
    ) -> Simulation<SingleServerQueue> {
        let model = SingleServerQueue(
            interarrival: interarrival, service: service, seed: seed, replication: replication, kind: kind)
        var calendar = EventCalendar<Event>(reservingCapacity: 4)
        calendar.schedule(.arrival, at: interarrival.sample(model.arrivalStream))
        calendar.schedule(.endOfWarmup, at: warmup, priority: .urgent)
        return Simulation(model: model, calendar: calendar)
    }

    /// Runs one replication: warm-up, then `runLength` of observation.
    public static func replicate(
        interarrival: Distribution, service: Distribution, warmup: SimTime, runLength: SimTime,
        seed: UInt64, replication: Int, kind: GeneratorKind = .standard
    ) -> Results {
        var simulation = Self.simulation(
            interarrival: interarrival, service: service, warmup: warmup, seed: seed,
            replication: replication, kind: kind)
        let end = warmup + runLength
        simulation.run(until: end)
        return simulation.model.results(at: end)
    }

    /// The results of the observation window that ends at `end`.
    public func results(at end: SimTime) -> Results {
        let span = end - windowStart
        return Results(
            meanInSystem: numberInSystem.mean(at: end),
            meanInQueue: numberInQueue.mean(at: end),
            utilisation: busy.mean(at: end),
            meanTimeInSystem: timeInSystem.mean,
            meanWaitInQueue: waitInQueue.mean,
            throughput: Double(timeInSystem.count) / span,
            departures: timeInSystem.count)
    }
}
