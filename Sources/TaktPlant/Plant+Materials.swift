import TaktKernel

extension Plant {
    /// Takes the unit's bill-of-materials lines for this station from the open lots, opening
    /// the next lot of a material when one runs out (a unit may draw from two lots).
    @inlinable
    mutating func consumeMaterials(for unit: Int32, at station: Int32, slot: Int, time: SimTime) {
        let serial = units[Int(unit)].serial
        for line in layout.consumption[slot] {
            let material = Int(line.material)
            var needed = line.quantity
            while needed > 0 {
                if openLot[material].left == 0 { openNextLot(of: line.material, at: time) }
                let taken = min(needed, openLot[material].left)
                openLot[material].left -= taken
                needed -= taken
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
        }
    }

    /// A unit drew from a lot of known quality: it gets the lot's defect with its probability.
    @inlinable
    mutating func lotDefect(_ unit: Int32, material: Int, index: Int, at station: Int32, _ time: SimTime) {
        let p = layout.lotDefectProbability[index]
        guard p > 0, streams.lotQuality[material].uniform() < p else { return }
        units[Int(unit)].defects |= layout.lotDefectBit[index]
        emit(
            .defectCreated(serial: units[Int(unit)].serial, defect: layout.lotDefectIndex[index], station: station),
            at: time)
    }

    /// Opens the next lot of `material`, skipping lots quarantined before they were reached.
    @inlinable
    mutating func openNextLot(of material: Int32, at time: SimTime) {
        let m = Int(material)
        var number = openLot[m].number + 1
        while quarantinedLots[m].contains(number) { number += 1 }
        openLot[m] = (number, layout.lotSizes[m])
        emit(.lotOpened(material: material, lot: number), at: time)
    }

    /// Carries out ``PlantCommand/quarantineLot(material:lot:)``.
    @inlinable
    mutating func quarantineLot(material: Int32, lot: Int32, at time: SimTime) {
        let m = Int(material)
        guard m >= 0, m < quarantinedLots.count else { return }
        if openLot[m].number == lot {
            openNextLot(of: material, at: time)
        } else if lot > openLot[m].number {
            quarantinedLots[m].insert(lot)
        }
    }
}
