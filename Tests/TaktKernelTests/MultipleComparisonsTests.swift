import Testing
import TaktKernel

/// Holm (1979) and Benjamini–Hochberg (1995) on a hand-worked family of four p-values.
@Suite("Multiplicity corrections")
struct MultipleComparisonsTests {
    let p: [Double?] = [0.01, 0.04, 0.03, 0.005]

    // Sorted: 0.005, 0.01, 0.03, 0.04. Holm multiplies by 4, 3, 2, 1 and keeps the running
    // maximum: 0.02, 0.03, 0.06, max(0.04, 0.06) = 0.06.
    @Test("Holm multiplies the k-th smallest p by m − k + 1 and keeps the running maximum")
    func holm() {
        let adjusted = MultiplicityCorrection.holm.adjust(p).map { $0! }
        for (value, expected) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) { #expect(abs(value - expected) < 1e-15) }
    }

    // BH multiplies by m/k: 0.02, 0.02, 0.04, 0.04, then the running minimum from the top.
    @Test("Benjamini–Hochberg multiplies the k-th smallest p by m/k and keeps the running minimum from the top")
    func benjaminiHochberg() {
        let adjusted = MultiplicityCorrection.benjaminiHochberg.adjust(p).map { $0! }
        for (value, expected) in zip(adjusted, [0.02, 0.04, 0.04, 0.02]) { #expect(abs(value - expected) < 1e-15) }
    }

    @Test("a KPI with no test does not count towards the family")
    func untestedEntries() {
        let adjusted = MultiplicityCorrection.holm.adjust([0.01, nil, 0.04])
        #expect(adjusted[1] == nil && abs(adjusted[0]! - 0.02) < 1e-15 && abs(adjusted[2]! - 0.04) < 1e-15)
    }

    @Test("adjusted p-values never exceed 1")
    func cappedAtOne() {
        #expect(MultiplicityCorrection.holm.adjust([0.6, 0.7]).allSatisfy { $0! <= 1 })
    }

    // scipy.stats.ttest_1samp([1, 2, 3, 4, 5], 0): t = 4.2426, p = 0.0132356.
    @Test("the paired t test's p-value matches scipy's ttest_1samp")
    func pValue() throws {
        #expect(abs(try ConfidenceInterval(values: [1, 2, 3, 4, 5]).pValueAgainstZero - 0.01323559956368269) < 1e-9)
        #expect(
            abs(try ConfidenceInterval(values: [0.5, -0.2, 0.1, 0.3]).pValueAgainstZero - 0.32576571053495285) < 1e-9)
    }

    @Test("with no spread, a zero difference has p = 1 and any other p = 0")
    func noSpread() throws {
        #expect(try ConfidenceInterval(values: [0, 0, 0]).pValueAgainstZero == 1)
        #expect(try ConfidenceInterval(values: [2, 2, 2]).pValueAgainstZero == 0)
    }
}
