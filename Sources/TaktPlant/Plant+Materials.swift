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
                if openLot[material].left == 0 {
                    openLot[material] = (openLot[material].number + 1, layout.lotSizes[material])
                    emit(.lotOpened(material: line.material, lot: openLot[material].number), at: time)
                }
                let taken = min(needed, openLot[material].left)
                openLot[material].left -= taken
                needed -= taken
                emit(
                    .lotConsumed(
                        serial: serial, material: line.material, lot: openLot[material].number, quantity: taken,
                        station: station), at: time)
            }
        }
    }
}
