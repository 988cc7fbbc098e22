import TaktKernel
import TaktPlant

/// The quality side of the MES core: what it does when a control chart signals, and when a
/// component lot is found bad.
extension MESCore {
    /// A lot is found bad: quarantine it, work out what each granularity would recall, and
    /// hold the units in the plant that the MES's own granularity cannot clear.
    mutating func recall(_ index: Int, at time: Double, commands: inout [PlantCommand]) {
        guard let settings = settings.traceability, let genealogy else { return }
        let recall = settings.recalls[index]
        commands.append(.quarantineLot(material: recall.material, lot: recall.lot))
        if self.settings.audits {
            audit(
                time, "recall", "quarantine-lot", lotSubject(material: Int32(recall.material), lot: Int32(recall.lot)),
                "supplier reported the lot bad",
                old: "released", new: "quarantined")
        }
        let book = book
        let affected = RecallScope.units(.serial, recall: recall, genealogy: genealogy) {
            book.order(ofSerial: $0)
        }
        var scopes: [RecallScope] = []
        var own = Set<Int>()
        for granularity in [TraceGranularity.serial, .workOrder, .window(seconds: settings.window)] {
            let units = RecallScope.units(granularity, recall: recall, genealogy: genealogy) {
                book.order(ofSerial: $0)
            }
            scopes.append(
                RecallScope(
                    granularity: granularity, recalled: units, affected: affected.count, genealogy: genealogy, at: time)
            )
            if granularity.description == settings.granularity.description { own = units }
        }
        while recallScopes.count < settings.recalls.count {
            recallScopes.append([])
            recallHeld.append([])
            recallScrapped.append(0)
            recallSettled.append(false)
        }
        recallScopes[index] = scopes
        let held = own.filter { genealogy.fate(of: $0, at: time) == .inProcess }.sorted()
        recallHeld[index] = held
        for serial in held {
            commands.append(.holdUnit(serial: serial))
            holdOpened(serial, at: time)
            if self.settings.audits {
                audit(
                    time, "recall", "hold-unit", "unit \(serial)",
                    "recall of \(lotSubject(material: Int32(recall.material), lot: Int32(recall.lot))), \(settings.granularity) scope",
                    old: "in process", new: "on hold")
            }
        }
        commands.append(.setTimer(tag: Self.dispositionTag(index), delay: recall.investigation))
    }

    /// The review of an SPC hold: units measured outside the specification are scrapped,
    /// the others released (use as is). Units that had already left are not in the hold area
    /// and are left alone.
    mutating func review(_ batch: Int, at time: Double, commands: inout [PlantCommand]) {
        guard batch < spcHolds.count else { return }
        let (index, units) = spcHolds[batch]
        let reworkStation = spc[index].plan.reworkStation
        for (serial, value) in units {
            let bad = spc[index].isOutOfSpecification(value)
            let action = !bad ? "release-unit" : reworkStation == nil ? "scrap-unit" : "rework-unit"
            if settings.audits {
                audit(
                    time, "spc", action, "unit \(serial)",
                    bad
                        ? "measured \(value), outside the specification"
                        : "measured \(value), within the specification",
                    old: "on hold", new: !bad ? "released" : reworkStation == nil ? "scrapped" : "sent to rework")
            }
            if !bad {
                commands.append(.releaseUnitHold(serial: serial))
                holdClosed(serial, at: time)
            } else if let reworkStation {
                spc[index].reworkedUnits += 1
                dispose(heldUnit: serial, reworkAt: Int32(reworkStation), at: time, commands: &commands)
            } else {
                spc[index].scrappedUnits += 1
                dispose(heldUnit: serial, reworkAt: -1, at: time, commands: &commands)
            }
        }
    }

    /// The investigation is over: held units that drew from the bad lot are scrapped, the
    /// others released (use as is).
    mutating func dispose(_ index: Int, at time: Double, commands: inout [PlantCommand]) {
        guard let settings = settings.traceability, let genealogy, index < recallHeld.count else { return }
        let recall = settings.recalls[index]
        let affected = Set(genealogy.units(ofMaterial: recall.material, lot: recall.lot))
        for serial in recallHeld[index] {
            if self.settings.audits {
                audit(
                    time, "recall", affected.contains(serial) ? "scrap-unit" : "release-unit", "unit \(serial)",
                    affected.contains(serial) ? "drew from the bad lot" : "did not draw from the bad lot (use as is)",
                    old: "on hold", new: affected.contains(serial) ? "scrapped" : "released")
            }
            if affected.contains(serial) {
                recallScrapped[index] += 1
                dispose(heldUnit: serial, reworkAt: -1, at: time, commands: &commands)
            } else {
                commands.append(.releaseUnitHold(serial: serial))
                holdClosed(serial, at: time)
            }
        }
        // Once every recall is settled nothing needs the in-memory genealogy any more.
        recallSettled[index] = true
        if !self.settings.retainsHistory, !recallSettled.contains(false) { self.genealogy = nil }
    }

    /// Carries out a signal's reactions through plant commands.
    mutating func react(to signal: SPCSignal, index: Int, commands: inout [PlantCommand]) {
        // The reason names the signal and the values behind it: the plotted point and what
        // was measured since the last subgroup without a signal (the signalling subgroup last).
        let reason = settings.audits ? signal.auditReason : ""
        if settings.audits {
            audit(
                signal.time, "spc", "spc-signal", stationSubjects[signal.station], reason, old: "",
                new: "subgroup \(signal.subgroup): \(signal.value)")
        }
        for reaction in signal.reactions {
            // A dispersion signal alone does not move the mean: there is nothing to adjust.
            if reaction == .adjust, !signal.locatesMean { continue }
            var offset = 0.0
            if reaction == .adjust {
                offset = spc[index].plan.adjustmentError?.sample(adjustmentStreams[index]) ?? 0
            }
            if settings.audits, reaction != .notify {
                if reaction == .adjust {
                    let (old, new) = signal.adjustment(centre: spc[index].chart?.location.centre, offset: offset)
                    audit(signal.time, "spc", "adjust", stationSubjects[signal.station], reason, old: old, new: new)
                } else {
                    audit(signal.time, "spc", "hold-station", stationSubjects[signal.station], reason)
                }
            }
            switch reaction {
            case .notify:
                break
            case .holdUnits(let review):
                spcHolds.append((index, signal.suspects.map { ($0.serial, $0.value) }))
                spc[index].heldUnits += signal.suspects.count
                for suspect in signal.suspects {
                    commands.append(.holdUnit(serial: suspect.serial))
                    holdOpened(suspect.serial, at: signal.time)
                    if settings.audits {
                        audit(
                            signal.time, "spc", "hold-unit", "unit \(suspect.serial)",
                            "measured since the last good subgroup before signal on subgroup \(signal.subgroup)",
                            old: "in process", new: "on hold")
                    }
                }
                commands.append(.setTimer(tag: Self.spcReviewTag(spcHolds.count - 1), delay: review))
            case .adjust:
                spc[index].adjustments += 1
                commands.append(.adjustProcess(station: Int32(signal.station), offset: offset))
            case .holdStation(let seconds):
                spc[index].stationHolds += 1
                for machine in machinesOfStation[signal.station] { commands.append(.holdMachine(machine)) }
                commands.append(.setTimer(tag: Self.spcReleaseTag(signal.station), delay: seconds))
            }
        }
    }
}
