import Testing
import TaktKernel

/// The M/M/1 queue built on the kernel, against the formulas in shared/reference/REFERENCE.md:
/// W = 1/(μ − λ), Lq = ρ²/(1 − ρ). Tolerances are the reference's, each about four standard
/// errors of the mean of 10 replications; the tests also check that the measured 95%
/// interval is tighter than the tolerance, so the tolerance is not hiding a loose estimate.
@Suite("M/M/1 against queueing theory")
struct QueueValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rho: Double
        let warmup: Double
        let runLength: Double
        let toleranceW: Double
        let toleranceLq: Double
        var testDescription: String { "ρ = \(rho)" }
    }

    static let cases = [
        Case(rho: 0.5, warmup: 1_000, runLength: 200_000, toleranceW: 0.02, toleranceLq: 0.04),
        Case(rho: 0.9, warmup: 10_000, runLength: 800_000, toleranceW: 0.045, toleranceLq: 0.045),
    ]

    static func replications(_ c: Case, seed: UInt64 = 2026) throws -> [SingleServerQueue.Results] {
        let interarrival = try Distribution.exponential(mean: 1 / c.rho)
        let service = try Distribution.exponential(mean: 1)
        return (0..<10).map {
            SingleServerQueue.replicate(
                interarrival: interarrival, service: service, warmup: c.warmup, runLength: c.runLength,
                seed: seed, replication: $0)
        }
    }

    @Test("mean time in system and mean queue length match the formulas", arguments: cases)
    func meansMatchFormulas(_ c: Case) throws {
        let results = try Self.replications(c)
        let w = try ConfidenceInterval(values: results.map(\.meanTimeInSystem))
        let lq = try ConfidenceInterval(values: results.map(\.meanInQueue))
        let exactW = 1 / (1 - c.rho)
        let exactLq = c.rho * c.rho / (1 - c.rho)
        #expect(abs(w.mean - exactW) / exactW <= c.toleranceW, "W \(w), exact \(exactW)")
        #expect(abs(lq.mean - exactLq) / exactLq <= c.toleranceLq, "Lq \(lq), exact \(exactLq)")
        #expect(w.halfWidth / exactW < c.toleranceW)
        #expect(lq.halfWidth / exactLq < c.toleranceLq)
    }

    @Test("utilisation equals ρ and throughput equals λ", arguments: cases)
    func utilisationAndThroughput(_ c: Case) throws {
        let results = try Self.replications(c)
        let utilisation = try ConfidenceInterval(values: results.map(\.utilisation))
        let throughput = try ConfidenceInterval(values: results.map(\.throughput))
        // Four standard errors, from the replications themselves.
        #expect(abs(utilisation.mean - c.rho) <= 4 * utilisation.standardError)
        #expect(abs(throughput.mean - c.rho) <= 4 * throughput.standardError)
    }

    @Test("Little's law L = λW holds within 1% in every replication", arguments: cases)
    func littlesLaw(_ c: Case) throws {
        for result in try Self.replications(c) {
            let gap = abs(result.meanInSystem - result.throughput * result.meanTimeInSystem) / result.meanInSystem
            #expect(gap < 0.01)
        }
    }
}
