import TaktPlant

/// The time and counts of one machine (or, summed, of a station, line or site) from which
/// OEE follows: time per ISO 22400 category, failures, units produced and rejected, and the
/// planned runtime per unit.
///
/// Accounts add: rolling machines up to a station, line or site sums their times and their
/// ideal times, so every rolled-up ratio is weighted by time — never an average of ratios.
public struct OEEAccount: Sendable, Equatable {
    /// Seconds per ``MachineState`` (by raw value).
    public var time: [Double] = Array(repeating: 0, count: MachineState.count)
    /// Failures begun (entries into the down state).
    public var failures = 0
    /// Units produced (PQ) and rejected.
    public var produced = 0
    public var rejects = 0
    /// Rejects among the first unit after a setup or a stop (start-up rejects).
    public var startupRejects = 0
    /// Planned runtime per unit (PRU) × produced, seconds: the ideal time of the output.
    public var idealTimeProduced = 0.0
    /// Planned runtime per unit × rejects: the ideal time lost to rejects.
    public var idealTimeRejected = 0.0
    /// Ideal time of the start-up rejects.
    public var idealTimeStartupRejected = 0.0

    /// An empty account.
    public init() {}

    /// Adds another account (a machine to its station, a station to its line…).
    public mutating func add(_ other: OEEAccount) {
        for i in time.indices { time[i] += other.time[i] }
        failures += other.failures
        produced += other.produced
        rejects += other.rejects
        startupRejects += other.startupRejects
        idealTimeProduced += other.idealTimeProduced
        idealTimeRejected += other.idealTimeRejected
        idealTimeStartupRejected += other.idealTimeStartupRejected
    }

    func seconds(_ state: MachineState) -> Double { time[state.rawValue] }

    // MARK: - ISO 22400-2

    /// Calendar time observed.
    public var calendarTime: Double { time.reduce(0, +) }
    /// Planned busy time, PBT: calendar time less planned stops (breaks, shifts off, planned maintenance, MES holds).
    public var plannedBusyTime: Double { calendarTime - seconds(.plannedStop) }
    /// Actual production time, APT: time processing units.
    public var actualProductionTime: Double { seconds(.busy) }
    /// Actual unit setup time, AUST.
    public var setupTime: Double { seconds(.setup) }
    /// Actual unit down time (failures), ADOT.
    public var downTime: Double { seconds(.down) }
    /// Actual unit delay time, ADET: idle (starved) and blocked.
    public var delayTime: Double { seconds(.idle) + seconds(.blocked) }
    /// Good quantity, GQ.
    public var goodQuantity: Int { produced - rejects }
    /// Ideal time of the good units: the fully productive time.
    public var fullyProductiveTime: Double { idealTimeProduced - idealTimeRejected }

    /// ISO 22400-2 availability = APT / PBT.
    public var availability: Double { ratio(actualProductionTime, plannedBusyTime) }
    /// ISO 22400-2 effectiveness = PRU × PQ / APT (above 1 when the machine beats its planned runtime).
    public var effectiveness: Double { ratio(idealTimeProduced, actualProductionTime) }
    /// ISO 22400-2 quality ratio = GQ / PQ (weighted by planned runtime when rolled up).
    public var qualityRatio: Double { ratio(fullyProductiveTime, idealTimeProduced) }
    /// ISO 22400-2 OEE index = availability × effectiveness × quality ratio.
    public var oee: Double { ratio(fullyProductiveTime, plannedBusyTime) }
    /// Net equipment effectiveness: OEE without counting setups as lost time,
    /// APT / (PBT − AUST) × effectiveness × quality ratio.
    public var nee: Double { ratio(fullyProductiveTime, plannedBusyTime - setupTime) }
    /// Technical efficiency = APT / (APT + down time): the share lost to malfunctions.
    public var technicalEfficiency: Double { ratio(actualProductionTime, actualProductionTime + downTime) }
    /// Mean operating time between failures = APT / failures.
    public var meanTimeBetweenFailures: Double { ratio(actualProductionTime, Double(failures)) }
    /// Mean time to repair = down time / failures.
    public var meanTimeToRepair: Double { ratio(downTime, Double(failures)) }

    // MARK: - oee.com / Nakajima

    /// Planned production time (= PBT).
    public var plannedProductionTime: Double { plannedBusyTime }
    /// Run time: planned production time less stops (breakdowns and setups).
    public var runTime: Double { plannedProductionTime - downTime - setupTime }
    /// oee.com availability = run time / planned production time.
    public var nakajimaAvailability: Double { ratio(runTime, plannedProductionTime) }
    /// oee.com performance = ideal cycle × total count / run time.
    public var performance: Double { ratio(idealTimeProduced, runTime) }
    /// TEEP = OEE × planned production time / calendar time.
    public var teep: Double { ratio(fullyProductiveTime, calendarTime) }

    /// The six big losses, in seconds; with the fully productive time they add up to the
    /// planned production time exactly.
    public var sixBigLosses: SixBigLosses {
        SixBigLosses(
            breakdowns: downTime, setupsAndAdjustments: setupTime, smallStops: delayTime,
            reducedSpeed: actualProductionTime - idealTimeProduced, startupRejects: idealTimeStartupRejected,
            productionRejects: idealTimeRejected - idealTimeStartupRejected)
    }

    func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
}

/// Nakajima's six big losses, as time (seconds).
public struct SixBigLosses: Sendable, Equatable, Codable {
    /// Availability losses: failures, and changeovers.
    public var breakdowns: Double
    public var setupsAndAdjustments: Double
    /// Performance losses: idle or blocked while planned to run, and running slower than ideal.
    public var smallStops: Double
    public var reducedSpeed: Double
    /// Quality losses: the ideal time of rejected units, first units after a restart apart.
    public var startupRejects: Double
    public var productionRejects: Double
}
