import Testing
import TaktKernel
import TaktPlant

@Suite("Batch stations")
struct BatchStationTests {
    static func oven(arrivals: Source.Arrivals, capacity: Int = 3, maxWait: Double = 100) -> PlantLayout {
        Layouts.line(
            [Station(name: "oven", cycle: Layouts.const(50), batch: BatchRule(capacity: capacity, maxWait: maxWait))],
            arrivals: arrivals)
    }

    @Test("a batch starts with what waits once the first unit has waited the longest it may")
    func maxWait() throws {
        // Capacity 3, longest wait 100 s, 50 s per batch, a unit every 60 s: units of 60 and
        // 120 start at 160 (60 + 100) and finish at 210; units of 180 and 240 start at 280 and
        // finish at 330; units of 300 and 360 finish at 450.
        let simulation = try run(Self.oven(arrivals: .process(Layouts.const(60))), ObservationLog(), until: 451)
        let finished = simulation.model.controller.entries.compactMap { entry -> Double? in
            if case .processingFinished = entry.observation { entry.time } else { nil }
        }
        #expect(finished == [210, 210, 330, 330, 450, 450])
    }

    @Test("with material always there every batch is full: capacity / cycle units per second")
    func fullBatches() throws {
        let result = try PlantRun.replicate(
            Self.oven(arrivals: .unlimited), warmup: 100, runLength: 10_000, seed: 1, replication: 0)
        #expect(abs(result.throughput - 3.0 / 50) < 1e-12)
        #expect(abs(result.stations[0].utilisation - 1) < 1e-12)
    }

    @Test("a batch that cannot all move on blocks its machine; no unit is lost or made")
    func blockingAfterBatch() throws {
        let layout = PlantLayout(
            products: [
                Product(name: "board", route: [RouteStep(station: 0), RouteStep(station: 1), RouteStep(station: 2)])
            ],
            stations: [
                Station(name: "place", cycle: Layouts.exp(1)),
                Station(
                    name: "oven", cycle: Layouts.exp(6), inputCapacity: 6,
                    failures: Failures(between: Layouts.exp(200), repair: Layouts.exp(20), clock: .calendarTime),
                    batch: BatchRule(capacity: 6, maxWait: 30)),
                Station(name: "aoi", cycle: Layouts.exp(1.1), inputCapacity: 1),
            ],
            sources: [Source(product: 0, arrivals: .process(Layouts.exp(1.3)))])
        var simulation = try PlantRun.simulation(layout, seed: 4)
        var blockedSeen = false
        for step in 1...300 {
            simulation.run(until: Double(step) * 50)
            let counts = simulation.model.lifetimeCounts
            #expect(counts.released == counts.shipped + counts.scrapped + simulation.model.unitsInProcess)
            if simulation.model.state(ofMachine: 1) == .blocked { blockedSeen = true }
        }
        #expect(blockedSeen)
        // Still flowing: a blocked batch drains one board per AOI cycle (1.1 s), so the oven
        // needs about 6 + 6 × 1.1 = 12.6 s per 6 boards, under 0.5 per second before failures;
        // over 15,000 s that is some 7,000 boards. Deadlock would ship far fewer.
        #expect(simulation.model.lifetimeCounts.shipped > 5_000)
    }

    @Test(
        "batch mistakes are rejected with their key path",
        arguments: [
            (
                BatchRule(capacity: 0, maxWait: 1), nil as Int?,
                "stations[0].batch.capacity: expected at least 1 unit per batch; found 0"
            ),
            (
                BatchRule(capacity: 2, maxWait: -1), nil,
                "stations[0].batch.max_wait: expected a time of 0 or more; found -1.0"
            ),
            (
                BatchRule(capacity: 12, maxWait: 60), 4,
                "stations[0].input_capacity: a batch of 12 needs at least 12 waiting places; found 4"
            ),
        ])
    func rejected(_ row: (BatchRule, Int?, String)) {
        let layout = Layouts.line([
            Station(name: "oven", cycle: Layouts.const(1), inputCapacity: row.1, batch: row.0)
        ])
        do {
            try layout.validate()
            Issue.record("no error for \(row.2)")
        } catch {
            #expect(error.description == row.2)
        }
    }
}
