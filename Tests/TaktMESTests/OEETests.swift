import Testing
import TaktKernel
import TaktMES
import TaktPlant

@Suite("OEE per ISO 22400-2 and oee.com")
struct OEETests {
    /// The oee.com / Vorne worked example of shared/reference/REFERENCE.md, fed as machine
    /// events: a 480-minute shift with 60 minutes of breaks, 47 minutes down, ideal cycle
    /// 1 s, 19,271 units of which 423 rejects.
    static func workedExample() -> OEEAccount {
        var oee = OEECalculator(stationOfMachine: [0], idealCycle: [1], stations: 1)
        let minute = 60.0
        var t = 0.0
        func enter(_ state: MachineState, _ element: TimeElement, for minutes: Double) {
            oee.observe(.machineStateChanged(machine: 0, from: .idle, to: state, element: element), at: t)
            t += minutes * minute
        }
        enter(.plannedStop, .offShift, for: 30)  // two 15-minute breaks
        enter(.busy, .production, for: 200)
        enter(.down, .breakdown, for: 47)
        enter(.busy, .production, for: 173)
        enter(.plannedStop, .offShift, for: 30)  // meal
        // The units, spread over the run time, with their rejects (found by an inspection).
        for serial in 1...19_271 {
            oee.observe(.processingFinished(serial: serial, machine: 0, product: 0), at: t)
            if serial <= 423 {
                oee.observe(.defectCreated(serial: serial, defect: 0, station: 0), at: t)
                oee.observe(.defectDetected(serial: serial, defect: 0, station: 0), at: t)
            }
        }
        oee.close(at: t)
        return oee.accounts[0]
    }

    @Test("the oee.com worked example: availability 0.888095, performance 0.861081, quality 0.978050, OEE 0.747937")
    func workedExample() {
        let account = Self.workedExample()
        #expect(account.plannedProductionTime == 420 * 60)
        #expect(account.runTime == 373 * 60)
        #expect(account.goodQuantity == 18_848)
        #expect(abs(account.nakajimaAvailability - 0.888095) < 1e-6)
        #expect(abs(account.performance - 0.861081) < 1e-6)
        #expect(abs(account.qualityRatio - 0.978050) < 1e-6)
        #expect(abs(account.oee - 0.747937) < 1e-6)
        // ISO 22400 gives the same here: the machine is never idle, blocked or in setup.
        #expect(abs(account.availability * account.effectiveness * account.qualityRatio - account.oee) < 1e-12)
    }

    @Test("the worked example's one breakdown: MTTR 47 min, MTBF 373 min, technical efficiency 373/420")
    func maintenanceFigures() {
        let account = Self.workedExample()
        #expect(account.failures == 1)
        #expect(account.meanTimeToRepair == 47 * 60)
        #expect(account.meanTimeBetweenFailures == 373 * 60)
        #expect(abs(account.technicalEfficiency - 373.0 / 420) < 1e-12)
    }

    @Test("TEEP counts the breaks too: 18,848 good seconds of a 480-minute calendar")
    func teep() {
        let account = Self.workedExample()
        #expect(account.calendarTime == 480 * 60)
        #expect(abs(account.teep - 18_848.0 / (480 * 60)) < 1e-12)
        #expect(abs(account.teep - 0.747937 * 420 / 480) < 1e-6)
    }

    @Test("NEE leaves setup time out of the planned time; with no setup it equals OEE")
    func nee() {
        #expect(abs(Self.workedExample().nee - Self.workedExample().oee) < 1e-12)
        // 100 minutes planned, 10 of them changing over, 90 producing at the ideal rate.
        var oee = OEECalculator(stationOfMachine: [0], idealCycle: [1], stations: 1)
        oee.observe(.machineStateChanged(machine: 0, from: .idle, to: .setup, element: .setup), at: 0)
        oee.observe(.machineStateChanged(machine: 0, from: .setup, to: .busy, element: .production), at: 600)
        for serial in 1...5_400 { oee.observe(.processingFinished(serial: serial, machine: 0, product: 0), at: 6_000) }
        oee.close(at: 6_000)
        #expect(abs(oee.accounts[0].oee - 0.9) < 1e-12)
        #expect(abs(oee.accounts[0].nee - 1) < 1e-12)
    }

    @Test("the losses and the fully productive time add up to the planned production time")
    func lossesAddUp() {
        let account = Self.workedExample()
        let losses = account.losses
        #expect(abs(losses.total + account.fullyProductiveTime - account.plannedProductionTime) < 1e-6)
        #expect(losses.breakdowns == 47 * 60)
        #expect(losses.smallStops == 0)
        #expect(losses.productionRejects + losses.startupRejects == 423)
    }

    @Test("roll-up weights by time: 0.8 over 100 h and 0.2 over 10 h make 82/110, not their mean 0.5")
    func rollUp() {
        let hour = 3_600.0
        var oee = OEECalculator(stationOfMachine: [0, 1], idealCycle: [hour, hour], stations: 2)
        oee.observe(.machineStateChanged(machine: 0, from: .idle, to: .busy, element: .production), at: 0)
        oee.observe(.machineStateChanged(machine: 1, from: .idle, to: .plannedStop, element: .offShift), at: 0)
        oee.observe(
            .machineStateChanged(machine: 1, from: .plannedStop, to: .busy, element: .production), at: 90 * hour)
        for serial in 1...80 {
            oee.observe(.processingFinished(serial: serial, machine: 0, product: 0), at: 100 * hour)
        }
        for serial in 81...82 {
            oee.observe(.processingFinished(serial: serial, machine: 1, product: 0), at: 100 * hour)
        }
        oee.close(at: 100 * hour)
        #expect(abs(oee.accounts[0].oee - 0.8) < 1e-12)
        #expect(abs(oee.accounts[1].oee - 0.2) < 1e-12)
        #expect(abs(oee.total.oee - 82.0 / 110) < 1e-12)
        #expect(abs(oee.total.oee - 0.5) > 0.2)
        #expect(abs(oee.total.availability - 110.0 / 110) < 1e-12)
    }

    @Test("one machine with failures and defects: availability 0.9, performance 50/60, quality 0.97, OEE 0.7275")
    func analyticMachine() throws {
        // REFERENCE.md: cycle 60 s, ideal 50 s, MTBF 3600 s of operation, MTTR 400 s,
        // 3% defective, never starved or blocked. The MES counts the rejects it finds, so the
        // press checks every unit it makes (and finds every defect).
        let layout = PlantLayout(
            products: [Product(name: "p", route: [RouteStep(station: 0)])],
            stations: [
                Station(
                    name: "press", cycle: try .constant(60),
                    failures: Failures(between: try .exponential(mean: 3_600), repair: try .exponential(mean: 400)),
                    defects: [DefectCreation(defect: 0, probability: 0.03)],
                    inspection: Inspection(detects: [(defect: 0, probability: 1)]))
            ],
            sources: [Source(product: 0, arrivals: .unlimited)], defectTypes: ["crack"])
        var availability: [Double] = []
        var performance: [Double] = []
        var quality: [Double] = []
        var oee: [Double] = []
        for replication in 0..<10 {
            let monitor = OEEMonitor(stationOfMachine: [0], idealCycle: [50], stations: 1)
            var plant = try Plant(layout: layout, controller: monitor, seed: 7, replication: replication)
            var calendar = EventCalendar<PlantEvent>()
            plant.start(calendar: &calendar)
            var simulation = Simulation(model: plant, calendar: calendar)
            let end = 2_000 * 3_600.0
            simulation.run(until: end)
            simulation.model.controller.oee.close(at: end)
            let account = simulation.model.controller.oee.accounts[0]
            availability.append(account.availability)
            performance.append(account.effectiveness)
            quality.append(account.qualityRatio)
            oee.append(account.oee)
        }
        // Within 4.5 standard errors of the replication mean, plus the one deterministic
        // boundary effect: the unit still in process at the end adds up to one cycle (60 s)
        // to APT without adding to the count — at most 60 s / (0.9 × 2000 h) ≈ 9.3e-6.
        let boundary = 60.0 / (0.9 * 2_000 * 3_600)
        for (values, expected) in [(availability, 0.9), (performance, 50.0 / 60), (quality, 0.97), (oee, 0.7275)] {
            let interval = try ConfidenceInterval(values: values)
            #expect(
                abs(interval.mean - expected) <= 4.5 * interval.standardError + boundary, "\(interval) vs \(expected)")
        }
    }
}
