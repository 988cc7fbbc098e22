import Testing
import TaktKernel
import TaktMES

/// EWMA and tabular CUSUM charts (Montgomery, Introduction to SQC, §9.1–9.2) on crafted series
/// with limits from a known μ₀ = 10, σ = 1, every expected point worked out by hand.
@Suite("EWMA and CUSUM charts")
struct TimeWeightedChartTests {
    func spc(_ chart: ControlChartKind, reactions: [SPCReaction] = [.notify]) -> StationSPC {
        var plan = SPCPlan(station: 0, chart: chart, baselineSubgroups: 0, rules: [], reactions: reactions)
        plan.standard = .process(mean: 10, sigma: 1)
        return StationSPC(plan: plan, lower: nil, upper: nil)
    }

    /// The 1-based numbers of the points that signal when `values` are measured one by one.
    func signalling(_ chart: inout StationSPC, _ values: [Double]) -> [Int] {
        var fired: [Int] = []
        for (index, value) in values.enumerated() where chart.measure(value, serial: index, at: Double(index)) != nil {
            fired.append(index + 1)
        }
        return fired
    }

    @Test("the first EWMA limit is μ₀ ± Lσ√(λ/(2−λ)(1−(1−λ)²)) = 10 ± 0.6: x = 13.1 signals, 12.9 does not")
    func ewmaStartUpLimits() {
        // λ = 0.2, L = 3: 3·√(0.2/1.8 · 0.36) = 0.6; z₁ = 0.2x + 8.
        var near = spc(.ewma(subgroupSize: 1, lambda: 0.2, width: 3))
        #expect(signalling(&near, [12.9]) == [])
        #expect(abs(near.points[0].upper - 10.6) < 1e-12)
        var over = spc(.ewma(subgroupSize: 1, lambda: 0.2, width: 3))
        #expect(signalling(&over, [13.1]) == [1])
        #expect(over.signals[0].timeWeighted?.chart == "EWMA")
        #expect(over.signals[0].description.hasPrefix("EWMA 10.62"))
    }

    @Test("a sustained 1.5σ shift: EWMA(0.2, 3) signals at the fifth point, the X chart at none")
    func ewmaCatchesASmallShift() {
        // z_i = 11.5 − 1.5·0.8^i against 10 + 3√(0.2/1.8 · (1 − 0.8^2i)):
        // i = 4: 10.8856 < 10.9123; i = 5: 11.0085 > 10.9448.
        var ewma = spc(.ewma(subgroupSize: 1, lambda: 0.2, width: 3))
        let shifted = [Double](repeating: 11.5, count: 6)
        #expect(signalling(&ewma, shifted).first == 5)
        var shewhart = StationSPC(
            plan: {
                var plan = SPCPlan(
                    station: 0, chart: .individuals, baselineSubgroups: 0, rules: [.beyondThreeSigma],
                    reactions: [.notify])
                plan.standard = .process(mean: 10, sigma: 1)
                return plan
            }(), lower: nil, upper: nil)
        #expect(signalling(&shewhart, shifted) == [])
    }

    @Test("the EWMA of subgroup means uses σ/√n: subgroups of 4 halve the limits")
    func ewmaOfSubgroupMeans() {
        var chart = spc(.ewma(subgroupSize: 4, lambda: 0.2, width: 3))
        _ = signalling(&chart, [10, 10, 10, 10])
        #expect(abs(chart.points[0].upper - 10.3) < 1e-12)
    }

    @Test("CUSUM with k = 0.5, h = 5 on a 1σ shift: C⁺ grows by 0.5 a point and signals at the 11th, not the 10th")
    func cusumUpperSide() {
        var chart = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5))
        #expect(signalling(&chart, [Double](repeating: 11, count: 11)) == [11])
        #expect(chart.points[9].location == 5)
        #expect(chart.signals[0].timeWeighted?.chart == "CUSUM+")
        #expect(chart.signals[0].timeWeighted?.value == 5.5)
        #expect(chart.signals[0].description == "CUSUM+ 5.5 above H 5.0")
    }

    @Test("CUSUM's lower side signals a downward shift as CUSUM−, and values within k of μ₀ never accumulate")
    func cusumLowerSideAndDeadBand() {
        var down = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5))
        #expect(signalling(&down, [Double](repeating: 9, count: 11)) == [11])
        #expect(down.signals[0].timeWeighted?.chart == "CUSUM−")
        var quiet = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5))
        #expect(signalling(&quiet, [Double](repeating: 10.5, count: 200)) == [])
        #expect(quiet.points.last?.location == 0)
    }

    @Test("an adjustment restarts the CUSUM at zero: a lasting shift signals every 11 points, not every point")
    func cusumRestartsAfterAdjustment() {
        var adjusted = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5), reactions: [.adjust])
        #expect(signalling(&adjusted, [Double](repeating: 11, count: 33)) == [11, 22, 33])
        var notified = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5))
        #expect(signalling(&notified, [Double](repeating: 11, count: 13)) == [11, 12, 13])
    }

    @Test("an EWMA or CUSUM signal locates the mean, so the adjust reaction acts on it")
    func timeWeightedSignalLocatesTheMean() {
        var chart = spc(.cusum(subgroupSize: 1, k: 0.5, h: 5), reactions: [.adjust])
        _ = signalling(&chart, [Double](repeating: 11, count: 11))
        #expect(chart.signals[0].locatesMean)
        #expect(chart.signals[0].rules.isEmpty)
    }

    @Test("Phase I estimates μ₀ and σ for EWMA as an X̄–R chart does: R̄/d2 over the baseline")
    func ewmaFromABaseline() throws {
        var chart = StationSPC(
            plan: SPCPlan(
                station: 0, chart: .ewma(subgroupSize: 2, lambda: 0.2, width: 3), baselineSubgroups: 2, rules: [],
                reactions: [.notify]), lower: nil, upper: nil)
        // Subgroups (9, 11) and (10, 12): x̿ = 10.5, R̄ = 2, σ = 2/1.128 = 1.773, σ_x̄ = 1.254.
        _ = signalling(&chart, [9, 11, 10, 12])
        let limits = try #require(chart.chart).location
        #expect(abs(limits.centre - 10.5) < 1e-12)
        #expect(abs(limits.sigma - 2 / 1.128 / 2.0.squareRoot()) < 2e-3)
    }
}

/// Average run lengths on simulated normal data against the published tables: the charts'
/// whole behaviour, not only single points.
@Suite("EWMA and CUSUM run lengths")
struct RunLengthTests {
    /// Points until the first signal, over `runs` runs of unit-normal values shifted by `shift`σ.
    func runLengths(_ chart: ControlChartKind, shift: Double, runs: Int = 2_000) -> ConfidenceInterval? {
        let stream = RandomStream(seed: 17, replication: 0, name: "run-length")
        var plan = SPCPlan(
            station: 0, chart: chart, baselineSubgroups: 0, rules: chart.isTimeWeighted ? [] : [.beyondThreeSigma],
            reactions: [.notify])
        plan.standard = .process(mean: 0, sigma: 1)
        let lengths = (0..<runs).map { _ -> Double in
            var spc = StationSPC(plan: plan, lower: nil, upper: nil)
            var count = 0
            while count < 100_000 {
                count += 1
                if spc.measure(shift + stream.gaussian(sd: 1), serial: count, at: Double(count)) != nil { break }
            }
            return Double(count)
        }
        return try? ConfidenceInterval(values: lengths)
    }

    @Test("tabular CUSUM k = 0.5, h = 5: ARL 10.4 at a 1σ shift and 465 in control (Montgomery Table 9.3)")
    func cusumAverageRunLengths() throws {
        let shifted = try #require(runLengths(.cusum(subgroupSize: 1, k: 0.5, h: 5), shift: 1))
        #expect(abs(shifted.mean - 10.4) <= 4.5 * shifted.standardError + 0.05, "\(shifted.mean)")
        let inControl = try #require(runLengths(.cusum(subgroupSize: 1, k: 0.5, h: 5), shift: 0))
        #expect(abs(inControl.mean - 465) <= 4.5 * inControl.standardError + 0.5, "\(inControl.mean)")
    }

    @Test("EWMA with λ = 1 is the Shewhart X chart: ARL 1/(Φ(−2) + Φ(−4)) = 43.9 at a 1σ shift")
    func ewmaWithLambdaOneIsShewhart() throws {
        let lengths = try #require(runLengths(.ewma(subgroupSize: 1, lambda: 1, width: 3), shift: 1))
        #expect(abs(lengths.mean - 43.9) <= 4.5 * lengths.standardError + 0.05, "\(lengths.mean)")
    }

    @Test("EWMA λ = 0.1, L = 2.7 catches a 1σ shift in about 10 points (table: 10.3), four times sooner than X")
    func ewmaCatchesSmallShifts() throws {
        // Lucas & Saccucci's 10.3 is for asymptotic limits; the exact, narrower start-up
        // limits used here can only signal sooner.
        let ewma = try #require(runLengths(.ewma(subgroupSize: 1, lambda: 0.1, width: 2.7), shift: 1))
        #expect(ewma.mean <= 10.3 + 4.5 * ewma.standardError, "\(ewma.mean)")
        #expect(ewma.mean >= 7)
    }
}
