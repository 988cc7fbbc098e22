import Foundation
import TaktKernel

/// One scenario's run as `takt check` keeps it for comparison: how it was run and the KPIs'
/// per-replication values, nothing else (no order records, no traces).
public struct BaselineRun: Sendable, Equatable {
    /// One KPI: its unit and one value per replication (NaN where undefined).
    public struct KPI: Sendable, Equatable {
        public var unit: String
        public var values: [Double]

        public init(unit: String, values: [Double]) {
            self.unit = unit
            self.values = values
        }

        public static func == (a: KPI, b: KPI) -> Bool {
            a.unit == b.unit && a.values.count == b.values.count
                && zip(a.values, b.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
    }

    public var scenario: String
    public var file: String
    public var seed: UInt64
    public var replications: Int
    public var horizon: Double
    public var warmup: Double
    /// The GSL generator the run drew from (the same is needed for common random numbers).
    public var generator: String
    /// The KPIs by name.
    public var kpis: [String: KPI]
    /// Significant digits the values were kept to (nil: full precision, from an older
    /// baseline or a results.json); the run compared is rounded the same way, so an unchanged
    /// scenario gives differences of exactly 0.
    public var significantDigits: Int?

    /// The baseline of `results`, its values kept to `significantDigits`.
    public init(_ results: ExperimentResults, significantDigits: Int? = Baseline.significantDigits) {
        scenario = results.scenario
        file = results.file
        seed = results.seed
        replications = results.replications
        horizon = results.horizon
        warmup = results.warmup
        generator = results.generator
        self.significantDigits = significantDigits
        var kpis: [String: KPI] = [:]
        for kpi in results.kpis {
            kpis[kpi.name] = KPI(
                unit: kpi.unit, values: kpi.values.map { Baseline.rounded($0, significantDigits: significantDigits) })
        }
        self.kpis = kpis
    }
}

/// What went wrong reading a baseline: the file, where in it, and what to do.
public struct BaselineError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The baseline file of `takt check`: small, sorted and one KPI per line, so that it can be
/// committed and its diff read.
public enum Baseline {
    /// The format written by this version.
    public static let formatVersion = 2
    /// Digits kept of each value: far below any replication noise (relative 5·10⁻¹¹), and
    /// what keeps the flagship's baseline under 100 KB.
    public static let significantDigits = 10

    /// `value` kept to `digits` significant digits (the value itself without `digits`).
    public static func rounded(_ value: Double, significantDigits digits: Int?) -> Double {
        guard let digits, value.isFinite else { return value.isFinite ? value : .nan }
        return Double(String(format: "%.\(digits)g", value)) ?? value
    }

    /// The file's text: runs by scenario name, KPIs by name, values on the KPI's line.
    public static func text(_ runs: [BaselineRun]) -> String {
        var out = "{\n  \"takt_baseline\": \(formatVersion),\n  \"runs\": ["
        for (r, run) in runs.sorted(by: { $0.scenario < $1.scenario }).enumerated() {
            out += r == 0 ? "\n" : ",\n"
            out += "    {\n"
            out += "      \"scenario\": \(quoted(run.scenario)),\n"
            out += "      \"file\": \(quoted(run.file)),\n"
            out += "      \"seed\": \(run.seed),\n"
            out += "      \"replications\": \(run.replications),\n"
            out += "      \"horizon\": \(number(run.horizon)),\n"
            out += "      \"warmup\": \(number(run.warmup)),\n"
            out += "      \"generator\": \(quoted(run.generator)),\n"
            if let digits = run.significantDigits { out += "      \"significant_digits\": \(digits),\n" }
            out += "      \"kpis\": {"
            for (k, name) in run.kpis.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes($1.utf8) })
                .enumerated()
            {
                let kpi = run.kpis[name]!
                out += k == 0 ? "\n" : ",\n"
                out += "        \(quoted(name)): {\"unit\": \(quoted(kpi.unit)), \"values\": ["
                out += kpi.values.map { $0.isFinite ? number($0, digits: run.significantDigits) : "null" }
                    .joined(separator: ", ")
                out += "]}"
            }
            out += "\n      }\n    }"
        }
        return out + "\n  ]\n}\n"
    }

    /// Reads a baseline file: this format, the first one (`takt_baseline: 1`, whole results),
    /// or a `takt run --out` results.json. `path` names it in errors.
    public static func read(_ data: Data, path: String) throws(BaselineError) -> [BaselineRun] {
        let decoder = JSONDecoder()
        struct Version: Decodable { var takt_baseline: Int? }
        let version: Int?
        do {
            version = try decoder.decode(Version.self, from: data).takt_baseline
        } catch {
            throw BaselineError(
                "`\(path)` is not JSON: \(reason(error)); write a baseline with `takt check FILE --baseline \(path) --update-baseline`"
            )
        }
        do {
            switch version {
            case 2?:
                let runs = try decoder.decode(Document.self, from: data).runs
                var read: [BaselineRun] = []
                for (index, run) in runs.enumerated() {
                    do {
                        read.append(try run.run(index))
                    } catch {
                        throw BaselineError("`\(path)`: \(error.description); rewrite it with --update-baseline")
                    }
                }
                return try checked(read, path: path, prefix: "runs")
            case 1?:
                struct First: Decodable { var runs: [ExperimentResults] }
                let runs = try decoder.decode(First.self, from: data).runs
                return try checked(runs.map { BaselineRun($0, significantDigits: nil) }, path: path, prefix: "runs")
            case nil:
                let run = BaselineRun(try decoder.decode(ExperimentResults.self, from: data), significantDigits: nil)
                return try checked([run], path: path, prefix: nil)
            case let other?:
                throw BaselineError(
                    "`\(path)` is a baseline of format \(other), newer than this takt reads (\(formatVersion)); update takt, or rewrite the baseline with --update-baseline"
                )
            }
        } catch let error as BaselineError {
            throw error
        } catch {
            let what = version == nil ? "a takt baseline nor a results.json" : "a valid takt baseline"
            throw BaselineError("`\(path)` is not \(what): \(reason(error)); rewrite it with --update-baseline")
        }
    }

    /// `runs` when each is one `takt check` can run and compare, else the first problem as
    /// `path: key.path: …`. A hand-edited baseline is read before anything runs: a horizon of
    /// 1e300 s or 10¹⁵ significant digits is an error, not a crash later.
    static func checked(_ runs: [BaselineRun], path: String, prefix: String?) throws(BaselineError) -> [BaselineRun] {
        for (index, run) in runs.enumerated() {
            if let problem = run.problem {
                let at = prefix.map { "\($0)[\(index)]." } ?? ""
                throw BaselineError("`\(path)`: \(at)\(problem); rewrite it with --update-baseline")
            }
        }
        return runs
    }

    /// A decoding error as a key path and what was wrong.
    static func reason(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let index = key.intValue { return "\(text)[\(index)]" }
                return text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)"
            }
        }
        switch error as? DecodingError {
        case .typeMismatch(let type, let context)?:
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context)?:
            return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context)?:
            return "\(path(context.codingPath + [key])): missing"
        case .dataCorrupted(let context)?:
            let underlying = (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            let at = path(context.codingPath)
            return (at.isEmpty ? "" : "\(at): ") + (underlying ?? context.debugDescription)
        default:
            return "\(error)"
        }
    }

    static func number(_ value: Double, digits: Int? = nil) -> String {
        if let digits { return String(format: "%.\(digits)g", value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The decoded shape of format 2.
    struct Document: Decodable {
        struct Run: Decodable {
            struct KPI: Decodable {
                var unit: String
                var values: [Double?]
            }
            var scenario: String
            var file: String
            var seed: UInt64
            var replications: Int
            var horizon: Double
            var warmup: Double
            var generator: String
            var significant_digits: Int?
            var kpis: [String: KPI]

            func run(_ index: Int) throws(BaselineError) -> BaselineRun {
                guard (1...100_000).contains(replications) else {
                    throw BaselineError("runs[\(index)].replications: expected 1 to 100000; found \(replications)")
                }
                for (name, kpi) in kpis where kpi.values.count != replications {
                    throw BaselineError(
                        "runs[\(index)].kpis.\(name).values: \(kpi.values.count) values for \(replications) replications"
                    )
                }
                return BaselineRun(
                    scenario: scenario, file: file, seed: seed, replications: replications, horizon: horizon,
                    warmup: warmup, generator: generator,
                    kpis: kpis.mapValues { BaselineRun.KPI(unit: $0.unit, values: $0.values.map { $0 ?? .nan }) },
                    significantDigits: significant_digits)
            }
        }
        var runs: [Run]
    }
}

extension BaselineRun {
    /// What makes this run one `takt check` cannot repeat or compare, as `key: problem`;
    /// `nil` when there is nothing. The bounds are those of a scenario file.
    public var problem: String? {
        guard (1...100_000).contains(replications) else {
            return "replications: expected 1 to 100000; found \(replications)"
        }
        guard horizon.isFinite, horizon > 0, horizon <= DurationLimits.horizon else {
            return "horizon: expected a time in seconds above 0 and within 10 years; found \(horizon)"
        }
        guard warmup.isFinite, warmup >= 0, warmup < horizon else {
            return "warmup: expected a time in seconds from 0 up to the horizon; found \(warmup)"
        }
        if let digits = significantDigits, !(1...17).contains(digits) {
            return "significant_digits: expected 1 to 17; found \(digits)"
        }
        for name in kpis.keys.sorted() {
            if let value = kpis[name]!.values.first(where: { $0.isInfinite || abs($0) > 1e300 }) {
                return "kpis.\(name).values: \(value) is not a value a KPI takes"
            }
        }
        return nil
    }

    /// A baseline run from its parts.
    public init(
        scenario: String, file: String, seed: UInt64, replications: Int, horizon: Double, warmup: Double,
        generator: String, kpis: [String: KPI], significantDigits: Int?
    ) {
        self.scenario = scenario
        self.file = file
        self.seed = seed
        self.replications = replications
        self.horizon = horizon
        self.warmup = warmup
        self.generator = generator
        self.kpis = kpis
        self.significantDigits = significantDigits
    }
}
