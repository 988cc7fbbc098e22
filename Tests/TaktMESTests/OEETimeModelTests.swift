import Testing
import TaktKernel
import TaktMES
import TaktPlant

/// One machine's timeline fed to a calculator as (element, seconds) spells.
private func account(
    _ spells: [(TimeElement, Double)], produced: Int = 0, idealCycle: Double = 1, threshold: Double = 300
) -> OEEAccount {
    var oee = OEECalculator(stationOfMachine: [0], idealCycle: [idealCycle], stations: 1, minorStopThreshold: threshold)
    var t = 0.0
    for (element, seconds) in spells {
        oee.observe(.machineStateChanged(machine: 0, from: .idle, to: state(of: element), element: element), at: t)
        t += seconds
    }
    for serial in 0..<produced { oee.observe(.processingFinished(serial: serial + 1, machine: 0, product: 0), at: t) }
    oee.close(at: t)
    return oee.accounts[0]
}

/// A plant state that goes with `element` (the calculator only counts failures from it).
private func state(of element: TimeElement) -> MachineState {
    switch element {
    case .production: .busy
    case .setup: .setup
    case .breakdown: .down
    case .blocked: .blocked
    case .starved, .noWorkReleased, .waitingForOperator, .waitingForMaterial: .idle
    case .mesHold, .unplannedMaintenance, .plannedMaintenance, .offShift: .plannedStop
    }
}

@Suite("One ISO 22400-2 time model per machine")
struct OEETimeModelTests {
    @Test("every second falls in exactly one element: the elements add up to the calendar")
    func elementsAddUpToCalendar() {
        let spells: [(TimeElement, Double)] = [
            (.offShift, 1_800), (.production, 3_000), (.starved, 90), (.production, 700), (.breakdown, 1_200),
            (.offShift, 600), (.mesHold, 400), (.blocked, 30), (.setup, 240), (.noWorkReleased, 5_000),
            (.plannedMaintenance, 900), (.unplannedMaintenance, 300), (.waitingForOperator, 45),
        ]
        let a = account(spells)
        #expect(abs(a.calendarTime - spells.reduce(0) { $0 + $1.1 }) < 1e-9)
        #expect(abs(a.plannedOperationTime - a.calendarTime) < 1e-9)
        #expect(a.plannedDownTime == 1_800 + 600 + 900)
        #expect(
            abs(a.plannedBusyTime - (a.actualProductionTime + a.setupTime + a.delayTime + a.downTime)) < 1e-9)
    }

    @Test(
        "breakdowns, MES holds, unplanned maintenance and waiting for an operator are delay (ADET); starved, blocked and no work are unit down time (ADOT)"
    )
    func delayAndDownTime() {
        let a = account([
            (.production, 6_000), (.breakdown, 600), (.mesHold, 900), (.unplannedMaintenance, 300),
            (.waitingForOperator, 200), (.starved, 400), (.blocked, 100), (.noWorkReleased, 500), (.offShift, 1_000),
        ])
        #expect(a.delayTime == 600 + 900 + 300 + 200)
        #expect(a.downTime == 400 + 100 + 500)
        #expect(a.busyTime == 6_000 + 2_000)
        #expect(a.plannedBusyTime == 9_000)
        #expect(abs(a.availability - 6_000.0 / 9_000) < 1e-12)
        // ISO 22400-2 technical efficiency = APT / (APT + ADET).
        #expect(abs(a.technicalEfficiency - 6_000.0 / 8_000) < 1e-12)
    }

    @Test("maintenance is planned down time only when planned; an MES hold is never planned")
    func plannedAndUnplannedStops() {
        let planned = account([(.production, 3_000), (.plannedMaintenance, 600)])
        let unplanned = account([(.production, 3_000), (.unplannedMaintenance, 600)])
        let held = account([(.production, 3_000), (.mesHold, 600)])
        #expect(planned.plannedBusyTime == 3_000)
        #expect(planned.availability == 1)
        #expect(unplanned.plannedBusyTime == 3_600)
        #expect(abs(unplanned.availability - 3_000.0 / 3_600) < 1e-12)
        #expect(held.plannedBusyTime == 3_600)
        #expect(held.losses.mesHolds == 600)
    }

    @Test("a stop shorter than the minor-stop threshold is a small stop, a longer one a loss of its cause")
    func smallStopsByDuration() {
        // Starved 2 min (small), starved 10 min (availability), blocked 4 min 59 s (small),
        // broken down 5 min exactly (not shorter than the threshold: a breakdown).
        let a = account([
            (.production, 1_000), (.starved, 120), (.production, 880), (.starved, 600), (.production, 400),
            (.blocked, 299), (.production, 100), (.breakdown, 300), (.production, 100),
        ])
        let losses = a.losses
        #expect(losses.smallStops == 120 + 299)
        #expect(losses.starved == 600)
        #expect(losses.blocked == 0)
        #expect(losses.breakdowns == 300)
        #expect(a.runTime == a.actualProductionTime + 419)
    }

    @Test("idling for want of released work is never a small stop, however short")
    func noWorkIsNotASmallStop() {
        let a = account([(.production, 60), (.noWorkReleased, 30), (.production, 60), (.noWorkReleased, 30)])
        #expect(a.losses.smallStops == 0)
        #expect(a.losses.noWorkReleased == 60)
        #expect(abs(a.availability - 120.0 / 180) < 1e-12)
    }

    @Test("the minor-stop threshold is the scenario's: at 1 min a 2-minute stop is an availability loss")
    func thresholdIsConfigurable() {
        let spells: [(TimeElement, Double)] = [(.production, 1_000), (.starved, 120), (.production, 1_000)]
        #expect(account(spells).losses.smallStops == 120)
        #expect(account(spells, threshold: 60).losses.smallStops == 0)
        #expect(account(spells, threshold: 60).losses.starved == 120)
    }

    @Test("a stop spanning the end of the warm-up is judged by its whole length, counted only in the window")
    func spellAcrossWarmup() {
        var oee = OEECalculator(stationOfMachine: [0], idealCycle: [1], stations: 1)
        oee.observe(.machineStateChanged(machine: 0, from: .idle, to: .down, element: .breakdown), at: 0)
        oee.reset(at: 250)  // the warm-up ends 250 s into a 400 s breakdown
        oee.observe(.machineStateChanged(machine: 0, from: .down, to: .busy, element: .production), at: 400)
        oee.close(at: 1_000)
        let a = oee.accounts[0]
        #expect(a.seconds(.breakdown) == 150)
        #expect(a.losses.breakdowns == 150)
        #expect(a.losses.smallStops == 0)
    }

    @Test("every loss and the fully productive time add up to the planned busy time")
    func lossesAddUpToPlannedBusyTime() {
        var oee = OEECalculator(stationOfMachine: [0], idealCycle: [40], stations: 1)
        let spells: [(TimeElement, Double)] = [
            (.setup, 600), (.production, 2_000), (.starved, 100), (.production, 1_500), (.mesHold, 1_200),
            (.production, 500), (.blocked, 700), (.waitingForOperator, 30), (.offShift, 3_600), (.production, 400),
        ]
        var t = 0.0
        for (element, seconds) in spells {
            oee.observe(.machineStateChanged(machine: 0, from: .idle, to: state(of: element), element: element), at: t)
            t += seconds
        }
        for serial in 1...100 {
            oee.observe(.processingFinished(serial: serial, machine: 0, product: 0), at: t)
            if serial.isMultiple(of: 25) {
                oee.observe(.defectCreated(serial: serial, defect: 0, station: 0), at: t)
                oee.observe(.defectDetected(serial: serial, defect: 0, station: 0), at: t)
            }
        }
        oee.close(at: t)
        let a = oee.accounts[0]
        #expect(abs(a.losses.total + a.fullyProductiveTime - a.plannedBusyTime) < 1e-9)
        // By hand: PBT = 7 030 s; APT = 4 400 s; ideal 100 × 40 = 4 000 s; 4 rejects.
        #expect(a.plannedBusyTime == 7_030)
        #expect(a.losses.reducedSpeed == 400)
        #expect(a.losses.smallStops == 100 + 30)
        #expect(a.losses.blocked == 700)
        #expect(a.losses.mesHolds == 1_200)
        #expect(a.losses.setupsAndAdjustments == 600)
        #expect(abs(a.oee - 96.0 * 40 / 7_030) < 1e-12)
    }

    @Test("a defect nobody finds is no reject; a found one is a reject of the machine that made it")
    func rejectsAreTheDetectedOnes() {
        // Machine 0 (station 0) makes units 1 and 2 with a defect; station 1 inspects and
        // finds unit 1's. Unit 2 ships with its defect: an escape, not a reject.
        var oee = OEECalculator(stationOfMachine: [0, 1], idealCycle: [10, 10], stations: 2)
        for serial in 1...2 {
            oee.observe(.processingFinished(serial: serial, machine: 0, product: 0), at: Double(serial))
            oee.observe(.defectCreated(serial: serial, defect: 0, station: 0), at: Double(serial))
        }
        oee.observe(.processingFinished(serial: 1, machine: 1, product: 0), at: 5)
        oee.observe(.defectDetected(serial: 1, defect: 0, station: 1), at: 5)
        oee.observe(.unitScrapped(serial: 1, station: 1), at: 5)
        oee.observe(.processingFinished(serial: 2, machine: 1, product: 0), at: 6)
        oee.observe(.unitShipped(serial: 2, defective: true), at: 6)
        oee.close(at: 10)
        #expect(oee.accounts[0].rejects == 1)
        #expect(oee.accounts[1].rejects == 0)
        #expect(oee.accounts[0].qualityRatio == 0.5)
    }
}

@Suite("The line's OEE from its output")
struct LineOEETests {
    @Test("good units × ideal cycle over the constraint's planned busy time, per machine, with three factors")
    func byHand() {
        // Constraint of 2 machines: 1 600 s producing, 200 s starved, 200 s broken down, 1 000 s
        // off shift (machine-seconds). Per machine: PBT 1 000 s, APT 800 s. Out: 700 s of
        // good units and 10 s of scrapped ones at the line's ideal cycle.
        var account = OEEAccount()
        account.time[TimeElement.production.rawValue] = 1_600
        account.time[TimeElement.starved.rawValue] = 200
        account.time[TimeElement.breakdown.rawValue] = 200
        account.time[TimeElement.offShift.rawValue] = 1_000
        let line = LineOEE(
            constraint: 0, account: account, machines: 2, idealTimeShipped: 700, idealTimeScrapped: 10,
            startupShare: 0)
        #expect(line.plannedBusyTime == 1_000)
        #expect(abs(line.oee - 0.7) < 1e-12)
        #expect(abs(line.availability - 0.8) < 1e-12)
        #expect(abs(line.effectiveness - 710.0 / 800) < 1e-12)
        #expect(abs(line.qualityRatio - 700.0 / 710) < 1e-12)
        #expect(abs(line.availability * line.effectiveness * line.qualityRatio - line.oee) < 1e-12)
        #expect(abs(line.teep - 700.0 / 1_500) < 1e-12)
        #expect(abs(line.losses.total + line.idealTimeGood - line.plannedBusyTime) < 1e-9)
        #expect(line.losses.starved == 100 && line.losses.breakdowns == 100)
        #expect(line.losses.productionRejects == 10)
    }
}
