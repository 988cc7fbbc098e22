/// The plant's own kernel events: small values dispatched with `switch`.
public enum PlantEvent: Sendable {
    /// A source's next unit arrives.
    case arrival(source: Int32)
    /// A machine finishes its current setup or processing segment.
    case workDone(machine: Int32)
    /// A machine breaks down.
    case failure(machine: Int32)
    /// A machine's repair is finished.
    case repairDone(machine: Int32)
    /// A machine's planned maintenance is finished.
    case maintenanceDone(machine: Int32)
    /// Stop `stop` of work calendar `calendar` begins.
    case plannedStopBegins(calendar: Int32, stop: Int32)
    /// The current planned stop of work calendar `calendar` ends.
    case plannedStopEnds(calendar: Int32)
    /// End of an instant at a station whose controller dispatches: idle machines choose among
    /// every unit that arrived up to now (non-delay dispatching).
    case dispatchDue(station: Int32)
    /// The first unit waiting at a batch station has waited the longest it may.
    case batchWaitOver(station: Int32)
    /// Statistics restart: the warm-up is over.
    case endOfWarmup
    /// A timer the controller (the MES) set for itself.
    case controllerTimer(tag: Int32)
    /// A replenishment lot of a finite-supply material reaches the line.
    case lotDelivered(material: Int32)
}

/// What the plant reports as it runs: the shop-floor events a real line's PLCs would send.
///
/// Indices refer to ``PlantLayout`` (stations, products, defect types) and to the plant's
/// machines (numbered station by station). Units are named by their serial number.
public enum PlantObservation: Sendable, Equatable {
    /// A unit entered the plant.
    case unitReleased(serial: Int, product: Int32)
    /// An arrival found no room and was lost.
    case arrivalLost(source: Int32)
    /// A unit arrived at a station (it then starts at once or joins the buffer).
    case unitArrived(serial: Int, station: Int32)
    /// A unit joined a station's input buffer.
    case unitQueued(serial: Int, station: Int32)
    /// A machine started processing a unit.
    case processingStarted(serial: Int, machine: Int32)
    /// A machine finished processing a unit of `product`.
    case processingFinished(serial: Int, machine: Int32, product: Int32)
    /// A machine changed state, or the ISO 22400-2 time element its time goes to changed
    /// (then `from` may equal `to`: a break began while it was under repair, say).
    case machineStateChanged(machine: Int32, from: MachineState, to: MachineState, element: TimeElement)
    /// A unit picked up a defect.
    case defectCreated(serial: Int, defect: Int32, station: Int32)
    /// An inspection found a defect.
    case defectDetected(serial: Int, defect: Int32, station: Int32)
    /// A measurement was taken on a unit.
    case measured(serial: Int, station: Int32, value: Double)
    /// An inspection judged a unit: the defects it found, and whether it rejected the unit
    /// (a finding or a false call), the data of attribute control charts.
    case inspected(serial: Int, station: Int32, found: Int32, rejected: Bool)
    /// A unit left the plant finished; `defective` when it carries an undetected defect.
    case unitShipped(serial: Int, defective: Bool)
    /// A unit was scrapped.
    case unitScrapped(serial: Int, station: Int32)
    /// A unit took `quantity` pieces of `material` from lot number `lot` (1, 2, …).
    case lotConsumed(serial: Int, material: Int32, lot: Int32, quantity: Int32, station: Int32)
    /// The current lot of `material` ran out and lot number `lot` was opened.
    case lotOpened(material: Int32, lot: Int32)
    /// A replenishment lot of a finite-supply material reached the line.
    case lotDelivered(material: Int32)
    /// A station stopped for want of a material (`short`), or can run again.
    case materialShortage(station: Int32, material: Int32, short: Bool)
    /// A unit was put in the hold area, taken off the line at `station` (its buffer, or the
    /// machine that had just finished it).
    case unitHeld(serial: Int, station: Int32)
    /// A held unit's hold was released: it goes where it would have gone.
    case unitHoldReleased(serial: Int)
    /// Planned maintenance of a machine began (a technician is at it) and ended.
    case maintenanceStarted(machine: Int32)
    case maintenanceFinished(machine: Int32)
}

/// What the MES may tell the plant to do: the only way policy reaches the plant.
public enum PlantCommand: Sendable, Equatable {
    /// Stop a machine once its current unit is done (planned stop) until released.
    case holdMachine(Int32)
    /// Let a held machine work again.
    case releaseMachine(Int32)
    /// Take a machine out for maintenance of the given duration, after its current unit;
    /// `planned` maintenance is planned down time, other maintenance a delay (ISO 22400-2).
    case startMaintenance(machine: Int32, duration: Double, planned: Bool)
    /// Reset a station's measurement drift (a process adjustment).
    /// `offset` is where the adjustment leaves the mean, off nominal (an imperfect adjustment).
    case adjustProcess(station: Int32, offset: Double = 0)
    /// Schedule a ``PlantEvent/controllerTimer(tag:)`` after `delay` seconds.
    case setTimer(tag: Int32, delay: Double)
    /// Release one unit of `product` into the first station of its route: the MES's
    /// release. The first buffer always takes it, even beyond its places.
    case releaseUnit(product: Int32)
    /// Put unit `serial` on hold: a unit waiting in a buffer (or finished and blocked on a
    /// machine) goes to the hold area at once; a unit in process finishes its operation first.
    /// Either way it starts no further operation and never ships while held.
    case holdUnit(serial: Int)
    /// Release unit `serial`'s hold: from the hold area it goes where it was going (the buffer
    /// it left, even beyond its places; the next station; shipping or scrap). A hold not yet
    /// carried out is simply cancelled.
    case releaseUnitHold(serial: Int)
    /// Scrap unit `serial` from the hold area (a disposition); ignored for a unit not there.
    case scrapHeldUnit(serial: Int)
    /// Send unit `serial` from the hold area to `station` for rework (a disposition): it is
    /// repaired there and then goes where it was going. A unit whose route was finished is
    /// released instead; ignored for a unit not in the hold area.
    case reworkHeldUnit(serial: Int, station: Int32)
    /// Break a machine down now, for a repair of `repair` seconds once a technician is at it
    /// (a scripted incident). Ignored for a machine down or in maintenance.
    case breakDown(machine: Int32, repair: Double)
    /// End a machine's repair now (a trainer's command). Ignored unless a technician is at
    /// the machine: a machine still waiting for one keeps waiting.
    case repairMachine(Int32)
    /// Run a station at `share` of its speed: its processing times are divided by it.
    case setSpeed(station: Int32, share: Double)
    /// Lot number `lot` of `material` is bad: if it is open, what is left of it is discarded
    /// and the next lot opened; if it is still to come, it is skipped.
    case quarantineLot(material: Int32, lot: Int32)
    /// Lift the quarantine of lot `lot` of `material`, which is still to come: it is used when
    /// its turn comes. A lot already discarded stays discarded.
    case releaseLot(material: Int32, lot: Int32)
}
