import Testing
import TaktKernel
import TaktPlant

/// Per-station queue figures against M/M/1 (shared/reference/REFERENCE.md): P(wait) = ρ,
/// Wq = ρ/(μ − λ), W = 1/(μ − λ), Lq = ρ²/(1 − ρ). Each simulated value must lie within 4.5
/// standard errors (10 replications) of the formula, with the interval tight enough (a few
/// percent) that the tolerance cannot hide a wrong model.
@Suite("Station queues against M/M/1")
struct StationQueueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let lambda: Double
        let warmup: Double
        let runLength: Double
        var rho: Double { lambda }
        var testDescription: String { "M/M/1, ρ = \(lambda)" }
    }

    static let cases = [
        Case(lambda: 0.5, warmup: 1_000, runLength: 200_000), Case(lambda: 0.9, warmup: 10_000, runLength: 800_000),
    ]

    func run(_ c: Case) throws -> [PlantResults.StationFigures] {
        let layout = Layouts.line(
            [Station(name: "server", cycle: Layouts.exp(1))], arrivals: .process(Layouts.exp(1 / c.lambda)))
        return try replicate(layout, warmup: c.warmup, runLength: c.runLength).map { $0.stations[0] }
    }

    @Test("the share of units that wait is ρ", arguments: cases)
    func probabilityOfWait(_ c: Case) throws {
        let shares = try run(c).map { Double($0.waited) / Double($0.started) }
        #expect(
            try agrees(shares, with: c.rho),
            "\((try? ConfidenceInterval(values: shares)).map(String.init(describing:)) ?? "")")
    }

    @Test("the mean wait in queue is ρ/(μ − λ)", arguments: cases)
    func meanWait(_ c: Case) throws {
        let waits = try run(c).map { $0.queueWait / Double($0.started) }
        let expected = c.rho / (1 - c.lambda)
        #expect(
            try agrees(waits, with: expected),
            "\((try? ConfidenceInterval(values: waits)).map(String.init(describing:)) ?? "")")
        #expect(try ConfidenceInterval(values: waits).halfWidth / expected < 0.06)
    }

    @Test("the mean time in station per visit is 1/(μ − λ)", arguments: cases)
    func timeInStation(_ c: Case) throws {
        let times = try run(c).map { $0.timeInStation / Double($0.processed) }
        #expect(
            try agrees(times, with: 1 / (1 - c.lambda)),
            "\((try? ConfidenceInterval(values: times)).map(String.init(describing:)) ?? "")")
    }

    @Test("the time-average number waiting is ρ²/(1 − ρ)", arguments: cases)
    func numberWaiting(_ c: Case) throws {
        let levels = try run(c).map(\.meanBufferLevel)
        #expect(
            try agrees(levels, with: c.rho * c.rho / (1 - c.rho)),
            "\((try? ConfidenceInterval(values: levels)).map(String.init(describing:)) ?? "")")
    }

    @Test("a unit arriving at an idle machine does not count as waiting")
    func noWaitOnIdleMachine() throws {
        // Deterministic: one unit every 10 s onto a 5 s machine never waits.
        let layout = Layouts.line(
            [Station(name: "m", cycle: Layouts.const(5))], arrivals: .process(Layouts.const(10)))
        let figures = try replicate(layout, replications: 1, warmup: 0, runLength: 1_000)[0].stations[0]
        #expect(figures.waited == 0 && figures.queueWait == 0)
        #expect(figures.timeInStation / Double(figures.processed) == 5)
    }
}
