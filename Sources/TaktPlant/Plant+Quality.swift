import TaktKernel

extension Plant {
    /// Applies what happens to a unit at the end of processing at `station` (defects,
    /// measurement, inspection, rework) and returns where it goes next.
    @inlinable
    @inline(__always)
    mutating func nextDestination(of unit: Int32, after station: Int32, at time: SimTime) -> Destination {
        let s = Int(station)
        let u = Int(unit)
        let reworked = units[u].inRework
        if reworked {
            // Rework repairs every defect (it may add one of its own, below); the unit then
            // goes back to the inspection that rejected it.
            units[u].inRework = false
            units[u].defects = 0
        }
        let product = Int(units[u].product)
        let offset = layout.routeOffset[product]
        if !reworked, !layout.traits[s].contains(.quality) {
            return nextStep(of: unit, product: product, offset: offset)
        }
        if layout.hasDefects[s] {
            // By index: a for-in over the nested array retained it, on the per-unit path.
            for k in 0..<layout.defectsCreated[s].count {
                let creation = layout.defectsCreated[s][k]
                guard streams.defects[s].uniform() < creation.probability else { continue }
                units[u].defects |= creation.bit
                emit(.defectCreated(serial: units[u].serial, defect: creation.defect, station: station), at: time)
            }
        }
        if reworked {
            return .station(layout.stepStation[offset + Int(units[u].step)])
        }
        if layout.hasMeasurement[s], let measurement = layout.measurement[s] {
            let drift = measurement.driftPerHour * operatingSinceAdjustment[s] / 3_600
            let value =
                measurement.nominal + processOffset[s] + drift + measurement.sd * streams.measurement[s].gaussian(sd: 1)
            emit(.measured(serial: units[u].serial, station: station, value: value), at: time)
            statistics.measured[s] += 1
            if value < layout.specLower[s] || value > layout.specUpper[s] {
                statistics.outOfSpecification[s] += 1
                switch layout.outOfSpecKind[s] {
                case 0:
                    break
                case 1:
                    units[u].defects |= layout.outOfSpecBit[s]
                    emit(
                        .defectCreated(serial: units[u].serial, defect: layout.outOfSpecTarget[s], station: station),
                        at: time)
                case 2:
                    return .scrap
                default:
                    return rework(unit, at: layout.outOfSpecTarget[s], most: layout.outOfSpecMaxReworks[s])
                }
            }
        }
        if layout.isInspection[s], inspectionVerdict(unit, at: station, time: time) {
            let back = layout.reworkBackStep[offset + Int(units[u].step)]
            if back >= 0 {
                guard units[u].reworks < layout.maxReworks[s] else { return .scrap }
                units[u].reworks += 1
                units[u].defects = 0
                statistics.reworks += 1
                units[u].step = back
                return .station(layout.stepStation[offset + Int(back)])
            }
            guard layout.reworkStation[s] >= 0 else { return .scrap }
            return rework(unit, at: layout.reworkStation[s], most: layout.maxReworks[s])
        }
        return nextStep(of: unit, product: product, offset: offset)
    }

    /// Moves the unit to the next step of its route (or a branch), or to the sink.
    @inlinable
    @inline(__always)
    mutating func nextStep(of unit: Int32, product: Int, offset: Int) -> Destination {
        let u = Int(unit)
        let step = Int(units[u].step)
        var next = step + 1
        if layout.stepBranches[offset + step], let branch = layout.branches[product][step] {
            next = Int(branch.targets[branch.choice.next(streams.routing[product])])
        }
        guard next < Int(layout.routeLength[product]) else { return .ship }
        units[u].step = Int32(next)
        return .station(layout.stepStation[offset + next])
    }

    /// Sends a rejected unit to rework at `station`, or scraps it once it has had `most` reworks;
    /// rework repairs it, and it comes back to the station that rejected it.
    @inlinable
    mutating func rework(_ unit: Int32, at station: Int32, most: Int32) -> Destination {
        let u = Int(unit)
        guard units[u].reworks < most else { return .scrap }
        units[u].reworks += 1
        units[u].inRework = true
        statistics.reworks += 1
        return .station(station)
    }

    /// Whether the inspection at `station`, having found nothing, rejects the unit anyway (a
    /// false call); counted as a false reject when the unit carried no defect at all.
    @inlinable
    @inline(__always)
    mutating func falseCall(_ unit: Int32, at station: Int) -> Bool {
        let p = layout.falseReject[station]
        guard p > 0, streams.falseCalls[station].uniform() < p else { return false }
        if units[Int(unit)].defects == 0 { statistics.falseRejects[station] += 1 }
        return true
    }

    /// Whether the inspection at `station` rejects the unit: it finds one of its defects, or
    /// calls it bad having found nothing; the verdict is reported for attribute charts.
    @inlinable
    mutating func inspectionVerdict(_ unit: Int32, at station: Int32, time: SimTime) -> Bool {
        let found = inspectionFindings(unit, at: station, time: time)
        let rejected = found > 0 || falseCall(unit, at: Int(station))
        emit(.inspected(serial: units[Int(unit)].serial, station: station, found: found, rejected: rejected), at: time)
        return rejected
    }

    /// How many of the unit's defects the inspection at `station` finds; every defect
    /// present gets its own detection draw, so each finding is reported.
    @inlinable
    mutating func inspectionFindings(_ unit: Int32, at station: Int32, time: SimTime) -> Int32 {
        let s = Int(station)
        let u = Int(unit)
        var found: Int32 = 0
        for k in 0..<layout.inspects[s].count {  // by index: a for-in retained the nested array
            let check = layout.inspects[s][k]
            guard units[u].defects & check.bit != 0 else { continue }
            if streams.inspection[s].uniform() < check.probability {
                found += 1
                emit(.defectDetected(serial: units[u].serial, defect: check.defect, station: station), at: time)
            }
        }
        return found
    }
}
