import Testing
import TaktMES

/// p, np, c and u charts (Montgomery, Introduction to SQC, §7.2–7.3) on crafted inspections,
/// limits worked out by hand.
@Suite("Attribute control charts")
struct AttributeChartTests {
    func spc(_ chart: ControlChartKind, centre: Double? = nil, baseline: Int = 0) -> StationSPC {
        var plan = SPCPlan(
            station: 0, chart: chart, baselineSubgroups: baseline, rules: [.beyondThreeSigma], reactions: [.notify])
        plan.standard = centre.map { .attribute(centre: $0) }
        return StationSPC(plan: plan, lower: nil, upper: nil)
    }

    /// Inspects `units` units, the first `rejected` of them rejected with `found` findings
    /// each, at `time`; returns the last signal.
    @discardableResult
    func inspect(
        _ chart: inout StationSPC, units: Int, rejected: Int, found: Int = 1, at time: Double = 0
    ) -> SPCSignal? {
        var last: SPCSignal?
        for unit in 0..<units {
            let bad = unit < rejected
            if let signal = chart.inspect(rejected: bad, found: bad ? found : 0, serial: unit, at: time) {
                last = signal
            }
        }
        return last
    }

    @Test("p chart with p = 0.1 and n = 100: limits 0.01 and 0.19; 20 rejects signal, 18 do not")
    func pChartUpperLimit() throws {
        var chart = spc(.p(.units(100)), centre: 0.1)
        #expect(inspect(&chart, units: 100, rejected: 18) == nil)
        #expect(abs(chart.points[0].upper - 0.19) < 1e-12 && abs(chart.points[0].lower - 0.01) < 1e-12)
        let signal = try #require(inspect(&chart, units: 100, rejected: 20))
        #expect(signal.value == 0.2 && signal.rules == [.beyondThreeSigma])
    }

    @Test("p chart: a subgroup with no reject lies below LCL 0.01 and signals; two rejects do not")
    func pChartLowerLimit() {
        var chart = spc(.p(.units(100)), centre: 0.1)
        #expect(inspect(&chart, units: 100, rejected: 2) == nil)
        #expect(inspect(&chart, units: 100, rejected: 0) != nil)
    }

    @Test("np chart with p = 0.1, n = 100: centre 10, UCL 19; 20 rejects signal, 18 do not")
    func npChart() {
        var chart = spc(.np(units: 100), centre: 0.1)
        #expect(inspect(&chart, units: 100, rejected: 18) == nil)
        #expect(chart.points[0].location == 18 && abs(chart.points[0].upper - 19) < 1e-12)
        #expect(inspect(&chart, units: 100, rejected: 20)?.value == 20)
    }

    @Test("c chart with c = 4: UCL 4 + 3·2 = 10, LCL 0; 11 nonconformities signal, 10 do not")
    func cChart() {
        var chart = spc(.c(units: 10), centre: 4)
        #expect(inspect(&chart, units: 10, rejected: 5, found: 2) == nil)
        #expect(chart.points[0].location == 10 && chart.points[0].lower == 0)
        #expect(inspect(&chart, units: 10, rejected: 1, found: 11)?.value == 11)
    }

    @Test("u chart per hour: the limits follow the units inspected, 0.04 ± 3√(0.04/n)")
    func uChartVariableLimits() throws {
        var chart = spc(.u(.period(seconds: 3_600)), centre: 0.04)
        // Hour 0: 100 units, 9 findings (u = 0.09 < UCL 0.1); hour 1: 25 units, 3 findings
        // (u = 0.12 < UCL 0.16); hour 2 begins and closes hour 1.
        inspect(&chart, units: 100, rejected: 9, at: 100)
        inspect(&chart, units: 25, rejected: 3, at: 3_700)
        inspect(&chart, units: 1, rejected: 0, at: 7_300)
        try #require(chart.points.count == 2)
        #expect(abs(chart.points[0].upper - 0.1) < 1e-12 && abs(chart.points[1].upper - 0.16) < 1e-12)
        #expect(chart.points[0].time == 3_600 && chart.points[1].time == 7_200)
        #expect(chart.signals.isEmpty)
        // Hour 2 with 25 units and 5 findings: u = 0.2 > 0.16.
        inspect(&chart, units: 24, rejected: 5, at: 7_400)
        #expect(inspect(&chart, units: 1, rejected: 0, at: 11_000) != nil)
    }

    @Test("an hour in which nothing was inspected is no point, and the next is plotted at its own end")
    func emptyPeriodIsSkipped() {
        var chart = spc(.p(.period(seconds: 3_600)), centre: 0.1)
        inspect(&chart, units: 10, rejected: 1, at: 10)
        inspect(&chart, units: 10, rejected: 1, at: 3 * 3_600 + 10)
        inspect(&chart, units: 1, rejected: 0, at: 4 * 3_600 + 10)
        #expect(chart.points.map(\.time) == [3_600, 4 * 3_600])
    }

    @Test("Phase I: p̄ = Σ rejects / Σ inspected over the baseline subgroups (1 + 3 of 20 = 0.2)")
    func pChartBaseline() throws {
        var chart = spc(.p(.units(10)), baseline: 2)
        inspect(&chart, units: 10, rejected: 1)
        inspect(&chart, units: 10, rejected: 3)
        #expect(try #require(chart.attributeChart).centre == 0.2)
        #expect(chart.points.isEmpty)
    }

    @Test("Phase I of a c chart: c̄ is the mean count per inspection unit, of a u chart the count per unit")
    func cAndUBaselines() throws {
        var c = spc(.c(units: 5), baseline: 2)
        inspect(&c, units: 5, rejected: 2, found: 3)
        inspect(&c, units: 5, rejected: 1, found: 2)
        #expect(try #require(c.attributeChart).centre == 4)
        var u = spc(.u(.units(5)), baseline: 2)
        inspect(&u, units: 5, rejected: 2, found: 3)
        inspect(&u, units: 5, rejected: 1, found: 2)
        #expect(try #require(u.attributeChart).centre == 0.8)
    }
}
