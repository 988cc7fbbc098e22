import TaktKernel

extension Plant {
    /// Takes the unit's bill-of-materials lines for this station from the open lots, opening
    /// the next lot of a material when one runs out (a unit may draw from two lots). A lot of
    /// a finite supply that is used up is reordered; the stations that consume a material
    /// left unable to cover their next unit stop.
    @inlinable
    mutating func consumeMaterials(
        for unit: Int32, at station: Int32, slot: Int, calendar: inout EventCalendar<PlantEvent>
    ) {
        let time = calendar.now
        let serial = units[Int(unit)].serial
        for k in 0..<layout.consumption[slot].count {  // by index: a for-in retained the nested array
            let line = layout.consumption[slot][k]
            let material = Int(line.material)
            let finite = layout.finiteSupply[material]
            var needed = line.quantity
            while needed > 0 {
                if openLot[material].left == 0, !openNextLot(of: line.material, at: time) { break }
                let taken = min(needed, openLot[material].left)
                openLot[material].left -= taken
                needed -= taken
                if finite, openLot[material].left == 0 {
                    calendar.schedule(.lotDelivered(material: line.material), after: layout.supplyLeadTime[material])
                }
                let lot = Int(openLot[material].number)
                if lot < layout.lotQualityCount[material] {
                    lotDefect(
                        unit, material: material, index: layout.lotQualityOffset[material] + lot, at: station, time)
                }
                emit(
                    .lotConsumed(
                        serial: serial, material: line.material, lot: openLot[material].number, quantity: taken,
                        station: station), at: time)
            }
            if finite { updateShortage(of: line.material, at: time) }
        }
    }

    /// Pieces of `material` at the line: what is left of the open lot and the unopened lots.
    @inlinable
    func piecesAtLine(_ material: Int) -> Int {
        Int(openLot[material].left) + Int(lotsOnHand[material]) * Int(layout.lotSizes[material])
    }

    /// Whether `station` can cover the next unit of every finite-supply material it consumes.
    @inlinable
    func hasMaterial(_ station: Int) -> Bool {
        for line in layout.shortageLines[station] where piecesAtLine(Int(line.material)) < Int(line.quantity) {
            return false
        }
        return true
    }

    /// Re-judges the stations consuming `material`: one that can no longer cover a unit
    /// stops (its idle machines now wait for material), one that can again resumes.
    @inlinable
    mutating func updateShortage(of material: Int32, at time: SimTime) {
        for station in layout.stationsConsuming[Int(material)] {
            let s = Int(station)
            let short = !hasMaterial(s)
            guard short != materialShort[s] else { continue }
            materialShort[s] = short
            emit(.materialShortage(station: station, material: material, short: short), at: time)
            reclassifyIdleMachines(of: station, at: time)
        }
    }

    /// The idle machines of `station` take the time element that now applies to them.
    @inlinable
    mutating func reclassifyIdleMachines(of station: Int32, at time: SimTime) {
        let first = Int(layout.firstMachine[Int(station)])
        for m in first..<(first + Int(layout.machinesAtStation[Int(station)])) where machines[m].state == .idle {
            reclassify(Int32(m), at: time)
        }
    }

    /// A replenishment lot arrives: stations that could not run on for want of it start again.
    @inlinable
    mutating func lotDelivered(_ material: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let m = Int(material)
        lotsOnHand[m] += 1
        statistics.lotsDelivered[m] += 1
        emit(.lotDelivered(material: material), at: calendar.now)
        let wasShort = layout.stationsConsuming[m].map { materialShort[Int($0)] }
        updateShortage(of: material, at: calendar.now)
        for (index, station) in layout.stationsConsuming[m].enumerated()
        where wasShort[index] && !materialShort[Int(station)] {
            let s = Int(station)
            let first = Int(layout.firstMachine[s])
            for machine in first..<(first + Int(layout.machinesAtStation[s])) where machines[machine].state == .idle {
                machineFreed(Int32(machine), calendar: &calendar)
            }
        }
    }

    /// A unit drew from a lot of known quality: it gets the lot's defect with its probability.
    @inlinable
    mutating func lotDefect(_ unit: Int32, material: Int, index: Int, at station: Int32, _ time: SimTime) {
        let p = layout.lotDefectProbability[index]
        guard p > 0, streams.lotQuality[material].uniform() < p else { return }
        if units[Int(unit)].defects & layout.lotDefectBit[index] == 0 { lotDefectiveUnits[index] += 1 }
        units[Int(unit)].defects |= layout.lotDefectBit[index]
        emit(
            .defectCreated(serial: units[Int(unit)].serial, defect: layout.lotDefectIndex[index], station: station),
            at: time)
    }

    /// Opens the next lot of `material`, skipping lots quarantined before they were reached;
    /// with a finite supply only a lot at the line can be opened (`false` when none is).
    @inlinable
    @discardableResult
    mutating func openNextLot(of material: Int32, at time: SimTime) -> Bool {
        let m = Int(material)
        if layout.finiteSupply[m] {
            guard lotsOnHand[m] > 0 else {
                openLot[m].left = 0
                return false
            }
            lotsOnHand[m] -= 1
        }
        var number = openLot[m].number + 1
        while quarantinedLots[m].contains(number) { number += 1 }
        openLot[m] = (number, layout.lotSizes[m])
        emit(.lotOpened(material: material, lot: number), at: time)
        return true
    }

    /// Carries out ``PlantCommand/quarantineLot(material:lot:)``; with a finite supply the
    /// quarantined open lot is reordered like a used-up one.
    @inlinable
    mutating func quarantineLot(material: Int32, lot: Int32, calendar: inout EventCalendar<PlantEvent>) {
        let time = calendar.now
        let m = Int(material)
        guard m >= 0, m < quarantinedLots.count else { return }
        if openLot[m].number == lot {
            if layout.finiteSupply[m], openLot[m].left > 0 {
                calendar.schedule(.lotDelivered(material: material), after: layout.supplyLeadTime[m])
            }
            openLot[m].left = 0
            openNextLot(of: material, at: time)
            if layout.finiteSupply[m] { updateShortage(of: material, at: time) }
        } else if lot > openLot[m].number {
            quarantinedLots[m].insert(lot)
        }
    }
}
