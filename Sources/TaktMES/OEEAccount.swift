import TaktPlant

/// The time and counts of one machine (or, summed, of a station, line or site) from which
/// OEE follows: seconds per ISO 22400-2 time element and cause, failures, units produced and
/// rejected, and the planned runtime per unit.
///
/// Accounts add: rolling machines up to a station, line or site sums their times and their
/// ideal times, so every rolled-up ratio is weighted by time — never an average of ratios.
/// Every KPI and every loss below is derived from ``time`` and ``smallStopTime`` only.
public struct OEEAccount: Sendable, Equatable {
    /// Seconds per ``TimeElement`` (by raw value): every second of the calendar in one.
    public var time: [Double] = Array(repeating: 0, count: TimeElement.count)
    /// Of those, the seconds of stops shorter than the minor-stop threshold (small stops),
    /// per ``TimeElement``; zero for elements that are never small stops.
    public var smallStopTime: [Double] = Array(repeating: 0, count: TimeElement.count)
    /// Failures begun (entries into the down state).
    public var failures = 0
    /// Units produced (PQ), and rejects the MES detected among them (scrap and rework).
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
        for i in time.indices {
            time[i] += other.time[i]
            smallStopTime[i] += other.smallStopTime[i]
        }
        failures += other.failures
        produced += other.produced
        rejects += other.rejects
        startupRejects += other.startupRejects
        idealTimeProduced += other.idealTimeProduced
        idealTimeRejected += other.idealTimeRejected
        idealTimeStartupRejected += other.idealTimeStartupRejected
    }

    /// Seconds in `element`.
    public func seconds(_ element: TimeElement) -> Double { time[element.rawValue] }

    /// Seconds in the elements of an ISO 22400-2 time element.
    public func seconds(_ element: ISOTimeElement) -> Double {
        var total = 0.0
        for e in TimeElement.allCases where e.isoElement == element { total += time[e.rawValue] }
        return total
    }

    // MARK: - ISO 22400-2 time elements

    /// Calendar time observed. Takt plans every second of it for operation (shifts off and
    /// breaks are planned down time), so it is also the planned operation time, POT.
    public var calendarTime: Double { time.reduce(0, +) }
    /// Planned operation time, POT (= calendar time).
    public var plannedOperationTime: Double { calendarTime }
    /// Planned down time, PDOT: off shift, breaks, maintenance the scenario marks planned.
    public var plannedDownTime: Double { seconds(.plannedDownTime) }
    /// Planned busy time, PBT = POT − PDOT.
    public var plannedBusyTime: Double { plannedOperationTime - plannedDownTime }
    /// Actual production time, APT: processing units.
    public var actualProductionTime: Double { seconds(.production) }
    /// Actual unit setup time, AUST.
    public var setupTime: Double { seconds(.setup) }
    /// Actual unit delay time, ADET: malfunctions, MES holds, unplanned maintenance, waiting for an operator.
    public var delayTime: Double { seconds(.actualUnitDelayTime) }
    /// Actual unit down time, ADOT: available but not executing — starved, blocked, no work released.
    public var downTime: Double { seconds(.actualUnitDownTime) }
    /// Actual unit busy time, AUBT = APT + AUST + ADET.
    public var busyTime: Double { actualProductionTime + setupTime + delayTime }
    /// Time broken down (within planned busy time): the malfunction part of ADET.
    public var breakdownTime: Double { seconds(.breakdown) }
    /// Good quantity, GQ.
    public var goodQuantity: Int { produced - rejects }
    /// Ideal time of the good units: the fully productive time.
    public var fullyProductiveTime: Double { idealTimeProduced - idealTimeRejected }

    // MARK: - ISO 22400-2 KPIs

    /// Availability = APT / PBT.
    public var availability: Double { ratio(actualProductionTime, plannedBusyTime) }
    /// Effectiveness = PRU × PQ / APT (above 1 when the machine beats its planned runtime).
    public var effectiveness: Double { ratio(idealTimeProduced, actualProductionTime) }
    /// Quality ratio = GQ / PQ (weighted by planned runtime when rolled up).
    public var qualityRatio: Double { ratio(fullyProductiveTime, idealTimeProduced) }
    /// OEE index = availability × effectiveness × quality ratio = PRU × GQ / PBT.
    public var oee: Double { ratio(fullyProductiveTime, plannedBusyTime) }
    /// Net equipment effectiveness: OEE without counting setups as lost time, PRU × GQ / (PBT − AUST).
    public var nee: Double { ratio(fullyProductiveTime, plannedBusyTime - setupTime) }
    /// Technical efficiency = APT / (APT + ADET).
    public var technicalEfficiency: Double { ratio(actualProductionTime, actualProductionTime + delayTime) }
    /// Mean operating time between failures = APT / failures.
    public var meanTimeBetweenFailures: Double { ratio(actualProductionTime, Double(failures)) }
    /// Mean time to repair = time broken down in planned busy time / failures.
    public var meanTimeToRepair: Double { ratio(breakdownTime, Double(failures)) }
    /// TEEP = PRU × GQ / calendar time (OEE × the share of the calendar that is planned busy).
    public var teep: Double { ratio(fullyProductiveTime, calendarTime) }

    // MARK: - oee.com / Nakajima

    /// Planned production time (= PBT).
    public var plannedProductionTime: Double { plannedBusyTime }
    /// Seconds of `element` that are an availability loss: all of it but its small stops.
    public func availabilityLoss(_ element: TimeElement) -> Double {
        time[element.rawValue] - smallStopTime[element.rawValue]
    }
    /// All small stops: stops in planned busy time shorter than the minor-stop threshold.
    public var smallStops: Double { smallStopTime.reduce(0, +) }
    /// Run time: planned production time less every availability loss (the stops that are
    /// not small), = APT + small stops.
    public var runTime: Double { actualProductionTime + smallStops }
    /// oee.com availability = run time / planned production time.
    public var nakajimaAvailability: Double { ratio(runTime, plannedProductionTime) }
    /// oee.com performance = ideal cycle × total count / run time.
    public var performance: Double { ratio(idealTimeProduced, runTime) }

    /// The losses of planned production time by cause, in seconds; with the fully productive
    /// time they add up to the planned production time exactly.
    public var losses: Losses {
        Losses(
            breakdowns: availabilityLoss(.breakdown), setupsAndAdjustments: seconds(.setup),
            mesHolds: availabilityLoss(.mesHold), unplannedMaintenance: availabilityLoss(.unplannedMaintenance),
            waitingForOperator: availabilityLoss(.waitingForOperator),
            waitingForMaterial: availabilityLoss(.waitingForMaterial), starved: availabilityLoss(.starved),
            blocked: availabilityLoss(.blocked), noWorkReleased: seconds(.noWorkReleased),
            smallStops: smallStops, reducedSpeed: actualProductionTime - idealTimeProduced,
            startupRejects: idealTimeStartupRejected, productionRejects: idealTimeRejected - idealTimeStartupRejected)
    }

    func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
}

/// The losses of planned production time by cause (seconds): Nakajima's six big losses, with
/// the availability losses that are not breakdowns or setups named by their own cause.
public struct Losses: Sendable, Equatable, Codable {
    /// Availability losses: stops at least as long as the minor-stop threshold, by cause.
    public var breakdowns: Double
    public var setupsAndAdjustments: Double
    public var mesHolds: Double
    public var unplannedMaintenance: Double
    public var waitingForOperator: Double
    public var waitingForMaterial: Double
    public var starved: Double
    public var blocked: Double
    /// Idle for want of released work (demand-limited), whatever its length: never a small stop.
    public var noWorkReleased: Double
    /// Performance losses: stops shorter than the threshold, and running slower than ideal.
    public var smallStops: Double
    public var reducedSpeed: Double
    /// Quality losses: the ideal time of rejected units, first units after a restart apart.
    public var startupRejects: Double
    public var productionRejects: Double

    /// Every loss, with its KPI key (`loss_<key>`), in waterfall order.
    public var all: [(key: String, seconds: Double)] {
        [
            ("breakdowns", breakdowns), ("setups_and_adjustments", setupsAndAdjustments), ("mes_holds", mesHolds),
            ("unplanned_maintenance", unplannedMaintenance), ("waiting_for_operator", waitingForOperator),
            ("waiting_for_material", waitingForMaterial), ("starved", starved), ("blocked", blocked),
            ("no_work_released", noWorkReleased),
            ("small_stops", smallStops), ("reduced_speed", reducedSpeed), ("startup_rejects", startupRejects),
            ("production_rejects", productionRejects),
        ]
    }

    /// The KPI keys of the losses, in waterfall order (those of ``all``).
    public static let keys = Losses(
        breakdowns: 0, setupsAndAdjustments: 0, mesHolds: 0, unplannedMaintenance: 0, waitingForOperator: 0,
        waitingForMaterial: 0, starved: 0, blocked: 0, noWorkReleased: 0, smallStops: 0, reducedSpeed: 0,
        startupRejects: 0,
        productionRejects: 0
    ).all.map(\.key)

    /// The loss with KPI key `key` (0 for an unknown key).
    public func seconds(_ key: String) -> Double { all.first { $0.key == key }?.seconds ?? 0 }

    /// The sum of every loss.
    public var total: Double { all.reduce(0) { $0 + $1.seconds } }
}
