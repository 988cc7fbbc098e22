/// The line's OEE from its output (OEEML, Braglia, Frosolini & Zammori 2009; OTE, Muthiah &
/// Huang 2007): good units leaving the line × the line's ideal cycle at its constraint ÷ the
/// line's planned busy time. Each unit counts once, however many stations it passed.
///
/// The line is planned busy when its constraint is: the planned busy time, production time and
/// losses are the constraint station's, per machine. Adding a parallel machine to a station
/// that is not the constraint therefore changes nothing here unless the output changes.
public struct LineOEE: Sendable, Equatable {
    /// The constraint: the station with the longest ideal cycle per machine on the routes.
    public var constraint: Int
    /// Calendar time and planned busy time of the line (the constraint's, per machine).
    public var calendarTime: Double
    public var plannedBusyTime: Double
    /// The constraint's actual production time, per machine.
    public var actualProductionTime: Double
    /// Ideal line time of the units that left the line (shipped or scrapped), and of the good ones.
    public var idealTimeOut: Double
    public var idealTimeGood: Double
    /// The losses of the line's planned busy time; with ``idealTimeGood`` they add up to it.
    public var losses: Losses

    /// The line's figures from its constraint's account (`machines` machines) and the ideal
    /// line time of the units that left it: `idealTimeShipped` (good, as far as the MES knows)
    /// and `idealTimeScrapped` (rejects the MES found). `startupShare` is the share of the
    /// stations' detected rejects that were start-up rejects, which the line's rejects keep.
    public init(
        constraint: Int, account: OEEAccount, machines: Int, idealTimeShipped: Double, idealTimeScrapped: Double,
        startupShare: Double
    ) {
        let perMachine = 1 / Double(max(machines, 1))
        self.constraint = constraint
        calendarTime = account.calendarTime * perMachine
        plannedBusyTime = account.plannedBusyTime * perMachine
        actualProductionTime = account.actualProductionTime * perMachine
        idealTimeOut = idealTimeShipped + idealTimeScrapped
        idealTimeGood = idealTimeShipped
        var losses = account.losses
        for keyPath: WritableKeyPath<Losses, Double> in [
            \.breakdowns, \.setupsAndAdjustments, \.mesHolds, \.unplannedMaintenance, \.waitingForOperator,
            \.waitingForMaterial,
            \.starved, \.blocked, \.noWorkReleased, \.smallStops,
        ] {
            losses[keyPath: keyPath] *= perMachine
        }
        // What the constraint's production time did not turn into units leaving the line:
        // running slower than ideal (and the change of WIP behind the constraint).
        losses.reducedSpeed = actualProductionTime - idealTimeOut
        losses.startupRejects = idealTimeScrapped * startupShare
        losses.productionRejects = idealTimeScrapped - losses.startupRejects
        self.losses = losses
    }

    /// Availability = the constraint's production time / planned busy time.
    public var availability: Double { ratio(actualProductionTime, plannedBusyTime) }
    /// Effectiveness = ideal time of the units out / the constraint's production time.
    public var effectiveness: Double { ratio(idealTimeOut, actualProductionTime) }
    /// Quality ratio = good units out / units out, each unit once (weighted by ideal cycle).
    public var qualityRatio: Double { ratio(idealTimeGood, idealTimeOut) }
    /// Line OEE = availability × effectiveness × quality ratio = good × ideal cycle / PBT.
    public var oee: Double { ratio(idealTimeGood, plannedBusyTime) }
    /// TEEP = good × ideal cycle / calendar time.
    public var teep: Double { ratio(idealTimeGood, calendarTime) }

    func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
}
