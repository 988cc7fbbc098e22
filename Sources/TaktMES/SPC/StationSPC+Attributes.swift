extension StationSPC {
    /// The period a time falls in, for an attribute chart with a subgroup per period.
    func period(of time: Double) -> Int {
        switch plan.chart {
        case .p(.period(let seconds)), .u(.period(let seconds)): Int((time / seconds).rounded(.down))
        default: 0
        }
    }

    /// Takes one unit's inspection on an attribute chart: whether it was rejected and how
    /// many nonconformities were found; returns the signal when it completes a subgroup
    /// that signals. A period subgroup is complete when the first unit of a later period is
    /// inspected (its point is plotted at the end of its period).
    public mutating func inspect(rejected: Bool, found: Int, serial: Int, at time: Double) -> SPCSignal? {
        takeInspection(rejected: rejected, found: found, serial: serial, at: time) ? signals.last : nil
    }

    /// ``inspect(rejected:found:serial:at:)`` for the MES's per-unit path: whether the
    /// inspection signalled (the signal is then the last of ``signals``), without copying a
    /// signal-sized optional for every inspected unit.
    public mutating func takeInspection(rejected: Bool, found: Int, serial: Int, at time: Double) -> Bool {
        var signal = false
        let target: Int
        switch plan.chart {
        case .p(.units(let n)), .u(.units(let n)), .np(let n), .c(let n): target = n
        case .p(.period(let seconds)), .u(.period(let seconds)):
            target = 0
            let now = period(of: time)
            if now != tally.period {
                if tally.inspected > 0 { signal = closeSubgroup(at: Double(tally.period + 1) * seconds) != nil }
                tally = (0, 0, 0, now)
            }
        default:
            return false
        }
        tally.inspected += 1
        if rejected { tally.rejected += 1 }
        tally.found += found
        if target > 0, tally.inspected == target {
            signal = closeSubgroup(at: time) != nil
            tally = (0, 0, 0, 0)
        }
        return signal
    }

    /// Plots the subgroup formed (or adds it to the baseline) and checks the rules.
    mutating func closeSubgroup(at time: Double) -> SPCSignal? {
        let (inspected, rejected, found, _) = tally
        guard let chart = attributeChart else {
            attributeBaseline.append((inspected, rejected, found))
            if attributeBaseline.count >= plan.baselineSubgroups {
                attributeChart = AttributeChart(plan.chart, baseline: attributeBaseline)
                attributeBaseline = []
            }
            return nil
        }
        let value = chart.statistic(inspected: inspected, rejected: rejected, found: found)
        let limits = chart.limits(inspected: inspected)
        points.append(
            SPCPoint(
                time: time, location: value, dispersion: Double(inspected), lower: limits.lower, upper: limits.upper))
        recent.append(chart.standardised(value, inspected: inspected))
        if recent.count > 15 { recent.removeFirst() }
        let fired = plan.rules.filter { $0.signals(recent[...]) }
        guard !fired.isEmpty else { return nil }
        return record(
            SPCSignal(
                time: time, station: plan.station, subgroup: points.count, value: value, rules: fired,
                reactions: plan.reactions))
    }
}
