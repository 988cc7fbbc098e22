import Testing
import TaktMES

/// The dispersion chart's own signals, on crafted series (limits worked out by hand).
@Suite("R and S chart signals")
struct DispersionSignalTests {
    /// Feeds `values` to `chart` one unit at a time; returns the signal of the last, if any.
    func feed(_ chart: inout StationSPC, _ values: [Double]) -> SPCSignal? {
        var last: SPCSignal?
        for value in values {
            let serial = chart.measured + 1
            last = chart.measure(value, serial: serial, at: Double(serial))
        }
        return last
    }

    func spc(_ chart: ControlChartKind, baseline: Int = 2) -> StationSPC {
        StationSPC(
            plan: SPCPlan(
                station: 0, chart: chart, baselineSubgroups: baseline, rules: [.beyondThreeSigma], reactions: [.adjust]),
            lower: nil, upper: nil)
    }

    @Test("a subgroup whose range is beyond D4·R̄ is an R signal with its range and limits, not a rule on X̄")
    func rangeAboveLimit() {
        // Baseline: two subgroups of 5 with range 2 and mean 1: R̄ = 2, UCL = 2.114 · 2 = 4.228.
        var chart = spc(.xBarR(subgroupSize: 5))
        #expect(feed(&chart, [0, 2, 1, 1, 1]) == nil && feed(&chart, [2, 0, 1, 1, 1]) == nil)
        // Mean 1 (on the centre line), range 6.
        let signal = feed(&chart, [-2, 4, 1, 1, 1])
        #expect(signal?.rules == [])
        #expect(signal?.dispersion?.chart == "R" && signal?.dispersion?.value == 6)
        #expect(abs((signal?.dispersion?.upper ?? 0) / 2 - 2.114) < 1e-3)  // D4(5) within ±0.001 of the table
        #expect(signal?.description.hasPrefix("R 6.0 above UCL 4.22") == true)
    }

    @Test("with subgroups of 7 the R chart has a lower limit D3·R̄ and a range below it signals")
    func rangeBelowLimit() {
        // R̄ = 2: LCL = 0.076 · 2 = 0.152; a subgroup of range 0.1 lies below it.
        var chart = spc(.xBarR(subgroupSize: 7))
        #expect(feed(&chart, [0, 2, 1, 1, 1, 1, 1]) == nil && feed(&chart, [2, 0, 1, 1, 1, 1, 1]) == nil)
        let signal = feed(&chart, [1, 1.1, 1, 1, 1, 1, 0.9 + 0.1])
        #expect(signal?.dispersion?.value ?? 0 < 0.152 && signal?.dispersion != nil)
        #expect(abs((signal?.dispersion?.lower ?? 0) / 2 - 0.076) < 1e-3)  // D3(7)
        #expect(signal?.description.contains("below LCL") == true)
    }

    @Test("with subgroups of 5 the R chart has no lower limit, so a small range is no signal")
    func noLowerLimitBelowSeven() {
        var chart = spc(.xBarR(subgroupSize: 5))
        #expect(feed(&chart, [0, 2, 1, 1, 1, 2, 0, 1, 1, 1]) == nil)
        #expect(feed(&chart, [1, 1, 1, 1, 1]) == nil)
    }
}
