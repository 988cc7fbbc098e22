import Testing
import TaktKernel
import TaktPlant

/// The plant against known answers from shared/reference/REFERENCE.md. Each simulated
/// value must lie within 4.5 standard errors of the truth, with the standard error taken
/// from 10 independent replications; each test also requires the 95% interval to be tight
/// (a few percent), so that the tolerance could not hide a wrong model.
@Suite("Plant against queueing theory")
struct QueueingValidationTests {
    struct FiniteQueueCase: Sendable, CustomTestStringConvertible {
        let lambda: Double
        let blocking: Double
        let throughput: Double
        var testDescription: String { "M/M/1/5, λ = \(lambda)" }
    }

    @Test(
        "M/M/1/K: blocking probability and throughput match the birth-death solution",
        arguments: [
            FiniteQueueCase(lambda: 0.9, blocking: 0.126023, throughput: 0.786580),
            FiniteQueueCase(lambda: 1.5, blocking: 0.365414, throughput: 0.951880),
        ])
    func finiteQueue(_ c: FiniteQueueCase) throws {
        // K = 5 places in the system: one machine and 4 buffer places; arrivals finding no
        // room are lost.
        let layout = Layouts.line(
            [Station(name: "server", cycle: Layouts.exp(1), inputCapacity: 4)],
            arrivals: .process(Layouts.exp(1 / c.lambda)))
        let results = try replicate(layout, warmup: 1_000, runLength: 100_000)
        let blocking = results.map { Double($0.lostArrivals) / Double($0.arrivals) }
        let throughput = results.map(\.throughput)
        #expect(try agrees(blocking, with: c.blocking))
        #expect(try agrees(throughput, with: c.throughput))
        #expect(try ConfidenceInterval(values: throughput).halfWidth / c.throughput < 0.01)
    }

    @Test(
        "M/M/1/5 at λ = 0.9: mean number in system is 2.194782",
        arguments: [0.9])
    func finiteQueueLength(_ lambda: Double) throws {
        let layout = Layouts.line(
            [Station(name: "server", cycle: Layouts.exp(1), inputCapacity: 4)],
            arrivals: .process(Layouts.exp(1 / lambda)))
        let results = try replicate(layout, warmup: 1_000, runLength: 100_000)
        #expect(try agrees(results.map(\.meanWorkInProcess), with: 2.194782))
    }

    @Test(
        "two exponential stations with B buffer places: throughput μ(B+2)/(B+3)",
        arguments: [(0, 2.0 / 3), (1, 0.75), (2, 0.8), (5, 0.875)])
    func tandemLine(_ row: (places: Int, throughput: Double)) throws {
        // M1 is never starved (unlimited material), M2 never blocked (the sink); blocking
        // after service; the B places do not count the part on M2.
        let layout = Layouts.line([
            Station(name: "m1", cycle: Layouts.exp(1)),
            Station(name: "m2", cycle: Layouts.exp(1), inputCapacity: row.places),
        ])
        let results = try replicate(layout, warmup: 1_000, runLength: 100_000)
        let throughput = results.map(\.throughput)
        let interval = try ConfidenceInterval(values: throughput)
        #expect(try agrees(throughput, with: row.throughput), "\(interval)")
        #expect(try ConfidenceInterval(values: throughput).halfWidth / row.throughput < 0.01)
    }

    @Test("Little's law L = λW holds within 1% in every replication of a 4-station line")
    func littlesLaw() throws {
        let layout = Layouts.line(
            [
                Station(name: "a", cycle: Layouts.exp(0.9), inputCapacity: 3),
                Station(name: "b", cycle: Layouts.exp(1.0), inputCapacity: 3),
                Station(name: "c", machines: 2, cycle: Layouts.exp(1.6), inputCapacity: 2),
                Station(name: "d", cycle: Layouts.exp(0.95), inputCapacity: 3),
            ], arrivals: .process(Layouts.exp(1.25)))
        for result in try replicate(layout, warmup: 2_000, runLength: 400_000) {
            let littleL = result.throughput * result.meanLeadTime
            #expect(abs(result.meanWorkInProcess - littleL) / result.meanWorkInProcess < 0.01)
        }
    }
}
