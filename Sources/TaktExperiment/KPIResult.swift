import TaktKernel
import TaktScenario

/// One key performance indicator over the replications of a run.
///
/// A KPI can be undefined in a replication (a mean lead time when no order ended, a share
/// of no units): its value there is NaN (`null` in results.json), and the mean and interval
/// are over the replications where it is defined, `defined` of them — never a silent 0.
public struct KPIResult: Sendable, Codable, Equatable {
    /// What it is, e.g. `throughput` or `utilisation[reflow]`.
    public var name: String
    /// Its unit, e.g. `units/h`, `h`, `share`.
    public var unit: String
    /// One value per replication, in replication order; NaN where undefined.
    public var values: [Double]
    /// The mean over the replications where it is defined (NaN when it is defined in none).
    public var mean: Double
    /// Half-width of the 95% Student-t confidence interval; 0 when there is none (fewer than
    /// two defined values), see ``hasInterval``.
    public var halfWidth: Double
    /// Replications where it is defined.
    public var defined: Int

    /// A KPI from its per-replication values (NaN or infinite: undefined there).
    public init(name: String, unit: String, values: [Double]) {
        self.name = name
        self.unit = unit
        self.values = values.map { $0.isFinite ? $0 : .nan }
        let finite = values.filter(\.isFinite)
        defined = finite.count
        let interval = try? ConfidenceInterval(values: finite)
        mean = interval?.mean ?? finite.first ?? .nan
        halfWidth = interval?.halfWidth ?? 0
    }

    /// Whether it is defined in at least one replication.
    public var isDefined: Bool { defined > 0 }
    /// Whether there is an interval to show: two or more defined values that vary. With one
    /// replication, or values all equal, the half-width says nothing ("n/a").
    public var hasInterval: Bool { defined >= 2 && halfWidth > 0 && halfWidth.isFinite }

    enum CodingKeys: String, CodingKey { case name, unit, values, mean, halfWidth, defined }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        unit = try container.decode(String.self, forKey: .unit)
        values = try container.decode([Double?].self, forKey: .values).map { $0 ?? .nan }
        mean = try container.decodeIfPresent(Double.self, forKey: .mean) ?? .nan
        halfWidth = try container.decodeIfPresent(Double.self, forKey: .halfWidth) ?? 0
        defined = try container.decodeIfPresent(Int.self, forKey: .defined) ?? values.filter(\.isFinite).count
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(unit, forKey: .unit)
        try container.encode(values.map { $0.isFinite ? $0 : nil }, forKey: .values)
        try container.encode(mean.isFinite ? mean : nil, forKey: .mean)
        try container.encode(hasInterval ? halfWidth : nil, forKey: .halfWidth)
        try container.encode(defined, forKey: .defined)
    }

    public static func == (a: KPIResult, b: KPIResult) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.name == b.name && a.unit == b.unit && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy(same) && same(a.mean, b.mean) && same(a.halfWidth, b.halfWidth)
            && a.defined == b.defined
    }
}

extension KPIResult {
    /// `0.5120 ± 0.0030`; `0.5120 ± n/a` without an interval (one replication, or values all
    /// equal); `undefined` when no replication defines it; `(defined in 7 of 10)` appended
    /// when some do not.
    public func formatted(decimals: Int? = nil) -> String {
        guard isDefined else { return "undefined" }
        let magnitude = max(abs(mean), halfWidth)
        let places = decimals ?? (magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 4)
        let spread = hasInterval ? Format.number(halfWidth, decimals: places) : "n/a"
        let coverage = defined < values.count ? " (defined in \(defined) of \(values.count))" : ""
        return "\(Format.number(mean, decimals: places)) ± \(spread)\(coverage)"
    }

    /// The mean and half-width as CSV cells: empty where undefined or without an interval.
    public func cells(decimals: Int = 6) -> [String] {
        [
            isDefined ? Format.number(mean, decimals: decimals) : "",
            hasInterval ? Format.number(halfWidth, decimals: decimals) : "",
        ]
    }
}
