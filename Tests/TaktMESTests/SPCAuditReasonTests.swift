import Foundation
import Testing
import TaktMES

@Suite("An SPC reaction's reason gives the signal and the subgroup's values")
struct SPCAuditReasonTests {
    /// A signal as the chart would raise it (read from JSON: its fields are the chart's to set).
    func signal(suspects: [Double]) throws -> SPCSignal {
        let units = suspects.enumerated().map { #"{"serial": \#($0.offset + 1), "value": \#($0.element)}"# }
        let json = """
            {"time": 3600, "station": 0, "subgroup": 15, "value": 124.80223945, "rules": ["nelson-1"],
             "reactions": [], "suspects": [\(units.joined(separator: ", "))]}
            """
        return try JSONDecoder().decode(SPCSignal.self, from: Data(json.utf8))
    }

    @Test("the rule, the subgroup, the plotted point and the values measured")
    func reason() throws {
        #expect(
            try signal(suspects: [124.1, 125.3, 124.9, 125, 124.70004]).auditReason
                == "nelson-1 on subgroup 15 (plotted 124.8022; measured since the last good subgroup: 124.1, 125.3, 124.9, 125, 124.7)"
        )
    }

    @Test("more than 12 values: the last 12, and how many came before")
    func manyValues() throws {
        let reason = try signal(suspects: (1...20).map(Double.init)).auditReason
        #expect(
            reason.hasSuffix(
                "measured since the last good subgroup: 8 more, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)"))
    }

    @Test("an adjustment's old value is the mean measured since the last good subgroup, its new one the centre line")
    func adjustmentValues() throws {
        // (124.1 + 125.3 + 124.9 + 125 + 124.7) / 5 = 624 / 5 = 124.8
        let values = try signal(suspects: [124.1, 125.3, 124.9, 125, 124.7]).adjustment(centre: 125, offset: 0)
        #expect(values.old == "mean 124.8 of the 5 values since the last good subgroup (centre line 125)")
        #expect(values.new == "centre line 125")
        let imperfect = try signal(suspects: [124.1]).adjustment(centre: 125, offset: -0.0123)
        #expect(imperfect.new == "centre line 125, off by the adjustment error -0.0123")
    }
}
