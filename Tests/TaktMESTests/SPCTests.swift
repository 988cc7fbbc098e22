import Testing
import TaktKernel
import TaktMES

@Suite("SPC: control chart constants, limits, run rules, capability")
struct SPCTests {
    /// ../shared/reference/REFERENCE.md, "SPC constants (3σ limits)": n, A2, D3, D4, d2.
    static let reference: [(n: Int, a2: Double, d3: Double, d4: Double, d2: Double)] = [
        (2, 1.880, 0, 3.267, 1.128), (3, 1.023, 0, 2.574, 1.693), (4, 0.729, 0, 2.282, 2.059),
        (5, 0.577, 0, 2.114, 2.326), (6, 0.483, 0, 2.004, 2.534), (7, 0.419, 0.076, 1.924, 2.704),
        (8, 0.373, 0.136, 1.864, 2.847), (9, 0.337, 0.184, 1.816, 2.970), (10, 0.308, 0.223, 1.777, 3.078),
    ]

    @Test("computed A2, D3, D4 and d2 equal the reference table within 0.001")
    func constants() throws {
        for row in Self.reference {
            let c = try ControlChartConstants(subgroupSize: row.n)
            #expect(abs(c.a2 - row.a2) <= 0.001, "A2(\(row.n)) = \(c.a2)")
            #expect(abs(c.d3Factor - row.d3) <= 0.001, "D3(\(row.n)) = \(c.d3Factor)")
            #expect(abs(c.d4Factor - row.d4) <= 0.001, "D4(\(row.n)) = \(c.d4Factor)")
            #expect(abs(c.d2 - row.d2) <= 0.001, "d2(\(row.n)) = \(c.d2)")
        }
    }

    @Test("c4 and the X̄–S constants equal the standard tables within 0.001")
    func standardDeviationConstants() throws {
        // Montgomery, Introduction to Statistical Quality Control, Appendix VI.
        let five = try ControlChartConstants(subgroupSize: 5)
        #expect(abs(five.c4 - 0.9400) <= 0.001)
        #expect(abs(five.a3 - 1.427) <= 0.001)
        #expect(abs(five.b4 - 2.089) <= 0.001)
        #expect(five.b3 == 0)
        let ten = try ControlChartConstants(subgroupSize: 10)
        #expect(abs(ten.c4 - 0.9727) <= 0.001)
        #expect(abs(ten.b3 - 0.284) <= 0.001)
    }

    @Test("X̄–R limits are x̿ ± A2·R̄ and D3·R̄ … D4·R̄ with the table's constants")
    func xBarRLimits() throws {
        // Subgroups of 3 with means 2 and 3 (x̿ = 2.5) and ranges 2 and 2 (R̄ = 2).
        let chart = try ControlChart(.xBarR(subgroupSize: 3), baseline: [[1, 2, 3], [2, 3, 4]])
        #expect(abs(chart.location.centre - 2.5) < 1e-12)
        #expect(abs(chart.location.upper - (2.5 + 1.023 * 2)) <= 0.002)
        #expect(abs(chart.location.lower - (2.5 - 1.023 * 2)) <= 0.002)
        #expect(abs(chart.dispersion.upper - 2.574 * 2) <= 0.002)
        #expect(chart.dispersion.lower == 0)
    }

    @Test("individuals limits are x̄ ± 2.660·MR̄, the moving-range limit 3.267·MR̄")
    func individualsLimits() throws {
        // Values 10, 12, 11, 13: mean 11.5, moving ranges 2, 1, 2 (MR̄ = 5/3).
        let chart = try ControlChart(.individuals, baseline: [[10], [12], [11], [13]])
        let meanMovingRange = 5.0 / 3
        // Compare the factors: 2.660 is 3 / 1.128 with d2(2) rounded (exactly 3 / 1.12838 = 2.6587).
        #expect(abs(chart.location.centre - 11.5) < 1e-12)
        #expect(abs((chart.location.upper - 11.5) / meanMovingRange - 2.660) <= 0.002)
        #expect(abs((11.5 - chart.location.lower) / meanMovingRange - 2.660) <= 0.002)
        #expect(abs(chart.dispersion.upper / meanMovingRange - 3.267) <= 0.001)
    }

    @Test("Cp and Cpk follow from the within-subgroup sigma and the centre line")
    func capability() throws {
        // σ = MR̄ / d2(2) = (5/3) / 1.128; specification 5 … 20 around a mean of 11.5.
        let chart = try ControlChart(.individuals, baseline: [[10], [12], [11], [13]])
        let sigma = (5.0 / 3) / 1.128
        let (cp, cpk) = chart.capability(lower: 5, upper: 20)
        #expect(abs(cp - 15 / (6 * sigma)) <= 0.002)
        #expect(abs(cpk - 6.5 / (3 * sigma)) <= 0.002)
    }

    @Test("constants exist for subgroups of 2 to 25 only, and the error says so")
    func subgroupSizeOutOfRange() {
        #expect(throws: StatisticsError.invalidSubgroupSize(30)) { try ControlChartConstants(subgroupSize: 30) }
        #expect(
            StatisticsError.invalidSubgroupSize(1).description == "control-chart subgroups hold 2 to 25 values; found 1"
        )
    }

    @Test("a baseline too short for limits is refused")
    func shortBaseline() {
        #expect(throws: StatisticsError.self) {
            try ControlChart(.xBarR(subgroupSize: 5), baseline: [[1, 2, 3, 4, 5]])
        }
        #expect(throws: StatisticsError.self) { try ControlChart(.individuals, baseline: [[1], [2]]) }
    }

    /// Each rule with a series (in sigmas from the centre) that completes its pattern at the
    /// last point, and a near miss that does not.
    static let cases: [(rule: ControlRule, fires: [Double], nearMiss: [Double])] = [
        (.beyondThreeSigma, [0, 3.1], [0, 2.9]),
        (.nineOnOneSide, [-0.5] + Array(repeating: 0.5, count: 9), [-0.5] + Array(repeating: 0.5, count: 8)),
        (.eightOnOneSide, [0.5] + Array(repeating: -0.5, count: 8), [0.5] + Array(repeating: -0.5, count: 7)),
        (.sixTrending, [0, 0.1, 0.2, 0.3, 0.4, 0.5], [0, 0.1, 0.2, 0.2, 0.4, 0.5]),
        (
            .fourteenAlternating, (0..<14).map { $0 % 2 == 0 ? 0.5 : -0.5 },
            [0.5] + (0..<13).map { $0 % 2 == 0 ? 0.5 : -0.5 }
        ),
        (.twoOfThreeBeyondTwoSigma, [2.5, 0, 2.5], [2.5, 0, -2.5]),
        (.fourOfFiveBeyondOneSigma, [1.5, 1.5, 0, 1.5, 1.5], [1.5, 1.5, 0, 0, 1.5]),
        (.fifteenWithinOneSigma, Array(repeating: 0.5, count: 15), Array(repeating: 0.5, count: 14) + [1.2]),
        (
            .eightOutsideOneSigma, (0..<8).map { $0 % 2 == 0 ? 1.5 : -1.5 },
            (0..<7).map { $0 % 2 == 0 ? 1.5 : -1.5 } + [0.5]
        ),
    ]

    @Test("each rule fires on its pattern and not on its near miss", arguments: cases.indices)
    func rule(_ index: Int) {
        let (rule, fires, nearMiss) = Self.cases[index]
        #expect(rule.signals(fires[...]), "\(rule) should fire")
        #expect(!rule.signals(nearMiss[...]), "\(rule) should not fire")
    }

    /// The rules as the textbook states them (Nelson 1984; Montgomery, 8th ed., §5.3.6), over
    /// plain arrays: the reference the allocation-free ``ControlRule/signals(_:)`` must equal.
    static func textbook(_ rule: ControlRule, _ points: [Double]) -> Bool {
        guard let last = points.last else { return false }
        func tail(_ k: Int) -> [Double]? { points.count >= k ? Array(points.suffix(k)) : nil }
        func steps(_ run: [Double]) -> [Double] { zip(run.dropFirst(), run).map { $0 - $1 } }
        func sameSide(_ k: Int) -> Bool {
            guard let run = tail(k) else { return false }
            return run.allSatisfy { $0 > 0 } || run.allSatisfy { $0 < 0 }
        }
        func kOfM(_ k: Int, _ m: Int, _ zone: Double) -> Bool {
            guard let run = tail(m), abs(last) > zone else { return false }
            return run.filter { $0 * (last > 0 ? 1 : -1) > zone }.count >= k
        }
        switch rule {
        case .beyondThreeSigma: return abs(last) > 3
        case .nineOnOneSide: return sameSide(9)
        case .eightOnOneSide: return sameSide(8)
        case .sixTrending:
            guard let run = tail(6) else { return false }
            return steps(run).allSatisfy { $0 > 0 } || steps(run).allSatisfy { $0 < 0 }
        case .fourteenAlternating:
            guard let run = tail(14), steps(run).allSatisfy({ $0 != 0 }) else { return false }
            return zip(steps(run).dropFirst(), steps(run)).allSatisfy { ($0 > 0) != ($1 > 0) }
        case .twoOfThreeBeyondTwoSigma: return kOfM(2, 3, 2)
        case .fourOfFiveBeyondOneSigma: return kOfM(4, 5, 1)
        case .fifteenWithinOneSigma: return tail(15)?.allSatisfy { abs($0) < 1 } ?? false
        case .eightOutsideOneSigma: return tail(8)?.allSatisfy { abs($0) > 1 } ?? false
        }
    }

    @Test("every rule agrees with its textbook statement on 20,000 random series, ties and gaps included")
    func rulesAgreeWithTheTextbook() {
        var generator = RuleFuzzing.SplitMix(state: 2_026)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 17)
            // Coarse values (steps of 0.5σ) make ties, zero steps and zone edges common.
            let points = (0..<count).map { _ in Double(Int(generator.next() % 15) - 7) / 2 }
            for rule in ControlRule.allCases {
                #expect(rule.signals(points[...]) == Self.textbook(rule, points), "\(rule) on \(points)")
            }
        }
    }

    @Test("two of three beyond 2σ needs both on the same side as the last point")
    func twoOfThreeSameSide() {
        #expect(ControlRule.twoOfThreeBeyondTwoSigma.signals([-2.5, 0, -2.2][...]))
        #expect(!ControlRule.twoOfThreeBeyondTwoSigma.signals([2.5, 2.5, 0][...]))
    }

    @Test("the rule sets are Western Electric 1–4 and Nelson 1–8")
    func ruleSets() {
        #expect(ControlRule.westernElectric.count == 4)
        #expect(Set(ControlRule.nelson.map(\.rawValue)) == Set((1...8).map { "nelson-\($0)" }))
    }
}

/// Limits from known process values, Montgomery §6.2.4 and Appendix VI ("standard given").
@Suite("Control limits from a given standard")
struct StandardGivenLimitTests {
    @Test("X̄–R with μ = 10, σ = 1, n = 5: X̄ at 10 ± A·σ (A = 1.342), R at D1 = 0, d2 = 2.326, D2 = 4.918")
    func xBarRStandardGiven() throws {
        let chart = try ControlChart(.xBarR(subgroupSize: 5), mean: 10, sigma: 1)
        #expect(abs(chart.location.upper - 11.342) < 1e-3 && abs(chart.location.lower - 8.658) < 1e-3)
        #expect(chart.dispersion.lower == 0)
        #expect(abs(chart.dispersion.centre - 2.326) < 1e-3 && abs(chart.dispersion.upper - 4.918) < 1e-3)
    }

    @Test("n = 10 has a lower R limit D1 = 0.687 and D2 = 5.469; X̄–S has B5 = 0.276, B6 = 1.669")
    func lowerLimitsStandardGiven() throws {
        let r = try ControlChart(.xBarR(subgroupSize: 10), mean: 0, sigma: 2)
        #expect(abs(r.dispersion.lower / 2 - 0.687) < 1e-3 && abs(r.dispersion.upper / 2 - 5.469) < 1e-3)
        let s = try ControlChart(.xBarS(subgroupSize: 10), mean: 0, sigma: 2)
        #expect(abs(s.dispersion.lower / 2 - 0.276) < 1e-3 && abs(s.dispersion.upper / 2 - 1.669) < 1e-3)
        #expect(abs(s.dispersion.centre / 2 - 0.9727) < 1e-3)
    }

    @Test("individuals with μ = 5, σ = 0.5: X at 5 ± 1.5, moving range UCL D2(2)·σ = 3.686·0.5")
    func individualsStandardGiven() throws {
        let chart = try ControlChart(.individuals, mean: 5, sigma: 0.5)
        #expect(chart.location.upper == 6.5 && chart.location.lower == 3.5)
        #expect(abs(chart.dispersion.upper - 3.686 * 0.5) < 1e-3 && chart.dispersion.lower == 0)
        #expect(chart.processSigma == 0.5)
    }

    @Test("a sigma that is not positive is refused")
    func nonPositiveSigma() {
        #expect(throws: StatisticsError.self) { try ControlChart(.individuals, mean: 5, sigma: 0) }
    }

    @Test("takeMeasurement says whether the unit signalled, and that signal is the last one filed")
    func takeMeasurementReportsTheFiledSignal() throws {
        var plan = SPCPlan(
            station: 0, chart: .xBarR(subgroupSize: 2), baselineSubgroups: 25, rules: [.beyondThreeSigma],
            reactions: [.notify])
        plan.standard = .process(mean: 10, sigma: 1)
        var spc = StationSPC(plan: plan, lower: nil, upper: nil)
        let quiet = [(10, 1), (10.5, 2), (10, 3)].map { spc.takeMeasurement($0.0, serial: $0.1, at: Double($0.1)) }
        #expect(quiet == [false, false, false] && spc.signals.isEmpty)
        // A subgroup mean of 12.5 lies beyond 10 + 3/√2.
        let signalled = spc.takeMeasurement(15, serial: 4, at: 4)
        #expect(signalled)
        let signal = try #require(spc.signals.last)
        #expect(spc.signals.count == 1 && signal.time == 4 && signal.value == 12.5)
        #expect(signal.suspects.map(\.serial) == [3, 4])
    }

    @Test("takeInspection says whether the unit signalled, and that signal is the last one filed")
    func takeInspectionReportsTheFiledSignal() throws {
        var plan = SPCPlan(
            station: 0, chart: .p(.units(100)), baselineSubgroups: 0, rules: [.beyondThreeSigma], reactions: [.notify])
        plan.standard = .attribute(centre: 0.1)
        var spc = StationSPC(plan: plan, lower: nil, upper: nil)
        // 20 rejects in 100 (p = 0.2) lie beyond the upper limit 0.19; only the 100th unit signals.
        let quiet = (0..<99).map { spc.takeInspection(rejected: $0 < 20, found: 0, serial: $0, at: 1) }
        #expect(!quiet.contains(true) && spc.signals.isEmpty)
        let signalled = spc.takeInspection(rejected: false, found: 0, serial: 99, at: 1)
        #expect(signalled)
        let signal = try #require(spc.signals.last)
        #expect(spc.signals.count == 1 && signal.value == 0.2)
    }

    @Test("with a given standard the chart exists from the first unit: no Phase I subgroups are spent")
    func noPhaseOne() throws {
        var plan = SPCPlan(
            station: 0, chart: .xBarR(subgroupSize: 2), baselineSubgroups: 25, rules: [.beyondThreeSigma],
            reactions: [.notify])
        plan.standard = .process(mean: 10, sigma: 1)
        var spc = StationSPC(plan: plan, lower: nil, upper: nil)
        #expect(spc.chart != nil)
        _ = spc.measure(10, serial: 1, at: 1)
        // 3/√2 = 2.1213: a subgroup mean of 12.5 is beyond the upper limit.
        #expect(spc.measure(15, serial: 2, at: 2) != nil)
        spc.startObservation(at: 3)
        #expect(try #require(spc.chart).location.centre == 10)
    }
}
