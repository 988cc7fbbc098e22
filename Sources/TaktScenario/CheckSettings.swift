/// A KPI name or a glob over KPI names from a scenario's `check:` section or the command line.
///
/// `*` stands for any run of characters and `?` for one; everything else, brackets included,
/// is literal, so `busy[*]` is every station's busy share and `oee[place]` one KPI.
public struct KPIPattern: Sendable, Equatable {
    /// The pattern as written.
    public var text: String
    /// Where it was written: `file:line` and key path in a scenario, or the option that gave it.
    public var source: String
    /// Its line in the scenario file (for annotations), when it comes from one.
    public var line: Int?

    /// A pattern written at `source`.
    public init(_ text: String, source: String, line: Int? = nil) {
        self.text = text
        self.source = source
        self.line = line
    }

    /// Whether the pattern has a wildcard (else it names one KPI).
    public var isGlob: Bool { text.contains("*") || text.contains("?") }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        Self.match(Array(text.unicodeScalars), Array(name.unicodeScalars))
    }

    /// Glob matching with backtracking to the last `*` (linear in practice, no recursion).
    static func match(_ pattern: [Unicode.Scalar], _ name: [Unicode.Scalar]) -> Bool {
        var (p, n) = (0, 0)
        var star: (p: Int, n: Int)?
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = (p, n)
                p += 1
            } else if let last = star {
                p = last.p + 1
                n = last.n + 1
                star = (last.p, last.n + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// How far a KPI may move towards its worse side before `takt check` calls it a regression.
public enum KPITolerance: Sendable, Equatable {
    /// In the KPI's own unit (`on_time_delivery: 0.01` is one percentage point of a share).
    case absolute(Double)
    /// A share of the baseline's mean (`lead_time: 5%`).
    case relative(Double)

    /// Reads `0.01` (absolute) or `5%` (relative); nil for anything else or a negative value.
    public static func parse(_ text: String) -> KPITolerance? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix("%") {
            guard let percent = Double(String(trimmed.dropLast()).trimmingWhitespace()), percent.isFinite, percent >= 0
            else { return nil }
            return .relative(percent / 100)
        }
        guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
        return .absolute(value)
    }

    /// The margin in the KPI's unit for a baseline mean of `mean`.
    public func margin(baselineMean mean: Double) -> Double {
        switch self {
        case .absolute(let value): value
        case .relative(let share): mean.isFinite ? share * abs(mean) : 0
        }
    }

    /// As written: `0.01` or `5%`.
    public var text: String {
        switch self {
        case .absolute(let value): "\(value)"
        case .relative(let share): "\(share * 100)%"
        }
    }
}

/// The scenario's `check:` section: which KPIs `takt check` compares with the baseline and
/// how much each may move. Without it every KPI the run produces is compared, with the
/// global `--tolerance`.
public struct CheckSettings: Sendable, Equatable {
    /// `kpis:` — compare only the KPIs these match (empty: every KPI).
    public var kpis: [KPIPattern] = []
    /// `ignore:` — leave out the KPIs these match.
    public var ignore: [KPIPattern] = []
    /// `tolerance:` — per KPI or glob, in file order; an exact name wins over a glob, and
    /// among globs the first listed.
    public var tolerances: [(pattern: KPIPattern, tolerance: KPITolerance)] = []
    /// The line of the `check:` key, for annotations about the section as a whole.
    public var line: Int?

    /// No narrowing, no per-KPI tolerance.
    public init() {}

    /// These settings with `kpis` added to those compared (`--kpi`: it narrows a section that
    /// compares everything, and widens one that lists KPIs) and `ignore` to those left out.
    public func adding(kpis more: [KPIPattern], ignoring less: [KPIPattern]) -> CheckSettings {
        var settings = self
        settings.kpis += more
        settings.ignore += less
        return settings
    }

    /// Whether `name` is compared.
    public func includes(_ name: String) -> Bool {
        (kpis.isEmpty || kpis.contains { $0.matches(name) }) && !ignore.contains { $0.matches(name) }
    }

    /// The tolerance that applies to `name`, with the pattern that gave it, if any.
    public func tolerance(of name: String) -> (pattern: KPIPattern, tolerance: KPITolerance)? {
        tolerances.first { !$0.pattern.isGlob && $0.pattern.text == name }
            ?? tolerances.first { $0.pattern.isGlob && $0.pattern.matches(name) }
    }

    public static func == (a: CheckSettings, b: CheckSettings) -> Bool {
        a.kpis == b.kpis && a.ignore == b.ignore && a.line == b.line
            && a.tolerances.map(\.pattern) == b.tolerances.map(\.pattern)
            && a.tolerances.map(\.tolerance) == b.tolerances.map(\.tolerance)
    }
}
