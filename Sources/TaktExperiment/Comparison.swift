import Foundation
import TaktKernel

/// One KPI of two scenarios run with common random numbers: the paired difference B − A.
public struct KPIDifference: Sendable, Codable, Equatable {
    /// The KPI's name and unit.
    public var name: String
    public var unit: String
    /// The means of A and B (NaN where undefined).
    public var meanA: Double
    public var meanB: Double
    /// The mean of the paired differences B − A and the half-width of its 95% interval (0
    /// without one), over the `pairs` replications where both are defined.
    public var difference: Double
    public var halfWidth: Double
    public var pairs: Int
    /// The paired t test's two-sided p-value, and the same adjusted for the number of KPIs
    /// compared (``Comparison/compare(_:_:correction:)``); `nil` with fewer than two pairs.
    public var pValue: Double?
    public var adjustedPValue: Double?

    /// Whether the difference is significant at 5% on its own (its interval excludes 0).
    public var isSignificant: Bool { (pValue ?? 1) < 0.05 }
    /// Whether it stays significant at 5% once the family of comparisons is accounted for.
    public var isSignificantAdjusted: Bool { (adjustedPValue ?? 1) < 0.05 }
    /// Whether there is an interval to show (two or more pairs that vary).
    public var hasInterval: Bool { pairs >= 2 && halfWidth > 0 }
}

/// Compares two runs replication by replication. Both must have used the same seed and
/// number of replications, so that each pair of replications shares its random numbers
/// wherever the scenarios share streams (stations of the same name); then the paired
/// differences have far less noise than the two runs' intervals suggest.
public enum Comparison {
    /// The paired differences of every KPI both runs have, in A's order, with p-values
    /// adjusted by `correction` over every KPI that could be tested (Holm by default).
    public static func compare(
        _ a: ExperimentResults, _ b: ExperimentResults, correction: MultiplicityCorrection = .holm
    ) -> [KPIDifference] {
        var rows: [KPIDifference] = a.kpis.compactMap { kpiA in
            guard let kpiB = b.kpi(kpiA.name), kpiB.values.count == kpiA.values.count else { return nil }
            let differences = zip(kpiA.values, kpiB.values).map { $1 - $0 }.filter(\.isFinite)
            let interval = try? ConfidenceInterval(values: differences)
            return KPIDifference(
                name: kpiA.name, unit: kpiA.unit, meanA: kpiA.mean, meanB: kpiB.mean,
                difference: interval?.mean ?? (differences.first ?? .nan), halfWidth: interval?.halfWidth ?? 0,
                pairs: differences.count, pValue: interval?.pValueAgainstZero, adjustedPValue: nil)
        }
        let adjusted = correction.adjust(rows.map(\.pValue))
        for index in rows.indices { rows[index].adjustedPValue = adjusted[index] }
        return rows
    }
}

/// The points of a full-grid sweep.
public enum SweepGrid {
    /// The most points one sweep may have on one machine (a larger grid is split into shards).
    public static let maximumPoints = 10_000

    /// Splits `path=v1,v2,…` into the path and its values; commas inside parentheses
    /// belong to a value (`cycle=exp(20s),normal(20s, 2s)`).
    public static func parse(_ vary: String) -> (path: String, values: [String])? {
        guard let equals = vary.firstIndex(of: "=") else { return nil }
        let path = String(vary[..<equals])
        var values: [String] = []
        var current = ""
        var depth = 0
        for character in vary[vary.index(after: equals)...] {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                values.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        values.append(current.trimmingCharacters(in: .whitespaces))
        guard !path.isEmpty, !values.contains(where: \.isEmpty) else { return nil }
        return (path, values)
    }

    /// Every combination of the varied values as override lists, the first path varying slowest.
    public static func points(_ varies: [(path: String, values: [String])]) -> [[String]] {
        varies.reduce([[]]) { partial, vary in
            partial.flatMap { prefix in vary.values.map { prefix + ["\(vary.path)=\($0)"] } }
        }
    }
}
