import Foundation
import TaktKernel

/// Reads distributions written inline: `exp(9h)`, `normal(22s, 1.5s)`,
/// `lognormal(mean: 20m, sd: 10m)`, `gamma(shape: 2, mean: 30s)`, `weibull(shape: 1.5, scale: 40h)`,
/// `triangular(10s, 12s, 20s)`, `uniform(200, 800)`, `const(30s)`, a bare `30s`,
/// `empirical(file: data/reflow.csv)`.
///
/// For durations, `normal` is truncated at zero: a processing time is never negative.
public enum DistributionSyntax {
    /// One parameter: its name (or position) and the text, with its offset in the value.
    struct Argument {
        var name: String?
        var text: String
        var offset: Int
    }

    /// A parameter's kind: a value in the distribution's own unit, or a plain count or shape.
    enum ParameterKind: Sendable { case value, plain }

    /// Each distribution's parameters in positional order, and how to build it from their
    /// numbers (read in that order). `empirical` takes a file instead and is built apart.
    static let shapes:
        [String: (
            parameters: [(name: String, kind: ParameterKind)],
            build: @Sendable ([Double], QuantityKind) throws -> Distribution
        )] = [
            "const": ([("value", .value)], { v, _ in try .constant(v[0]) }),
            "exp": ([("mean", .value)], { v, _ in try .exponential(mean: v[0]) }),
            "normal": (
                [("mean", .value), ("sd", .value)],
                { v, kind in
                    if case .duration = kind { return try .normalTruncatedAtZero(mean: v[0], sd: v[1]) }
                    return try .normal(mean: v[0], sd: v[1])
                }
            ),
            "lognormal": ([("mean", .value), ("sd", .value)], { v, _ in try .lognormal(mean: v[0], sd: v[1]) }),
            "gamma": ([("shape", .plain), ("mean", .value)], { v, _ in try .gamma(shape: v[0], mean: v[1]) }),
            "erlang": (
                [("phases", .plain), ("mean", .value)],
                { v, _ in
                    guard v[0] == v[0].rounded() else {
                        throw DistributionError("erlang", "phases must be a whole number; found \(v[0])")
                    }
                    return try .erlang(phases: Int(v[0]), mean: v[1])
                }
            ),
            "weibull": ([("shape", .plain), ("scale", .value)], { v, _ in try .weibull(shape: v[0], scale: v[1]) }),
            "triangular": (
                [("min", .value), ("mode", .value), ("max", .value)],
                { v, _ in try .triangular(min: v[0], mode: v[1], max: v[2]) }
            ),
            "uniform": ([("min", .value), ("max", .value)], { v, _ in try .uniform(min: v[0], max: v[1]) }),
            "beta": (
                [("alpha", .plain), ("beta", .plain), ("min", .value), ("max", .value)],
                { v, _ in try .beta(alpha: v[0], beta: v[1], min: v[2], max: v[3]) }
            ),
            "pert": (
                [("min", .value), ("mode", .value), ("max", .value)],
                { v, _ in try .pert(min: v[0], mode: v[1], max: v[2]) }
            ),
        ]

    /// The distributions and their parameters in positional order.
    static var signatures: [String: [String]] {
        var all = shapes.mapValues { $0.parameters.map(\.name) }
        all["empirical"] = ["file", "method"]
        return all
    }

    /// A distribution problem and its column offset within the value.
    public struct Problem: Error, Sendable, Equatable {
        /// What is wrong.
        public var message: String
        /// Where in the value, 0-based.
        public var offset: Int
        /// A likely correction.
        public var suggestion: String?
    }

    /// Parses `text`; values carry units of `kind`; `directory` resolves `empirical(file: …)`.
    public static func parse(_ text: String, kind: QuantityKind, directory: String) -> Result<Distribution, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "(") else {
            // A bare value is a constant.
            return quantity(trimmed, kind: kind, offset: 0).flatMap { value in
                make { try .constant(value) }
            }.flatMap { checked($0, kind: kind) }
        }
        let name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
        let canonical = name == "exponential" ? "exp" : name
        guard let parameters = signatures[canonical] else {
            return .failure(
                Problem(
                    message:
                        "unknown distribution `\(name)`; expected one of \(signatures.keys.sorted().joined(separator: ", "))",
                    offset: 0, suggestion: nearestName(to: name, in: Array(signatures.keys))))
        }
        guard trimmed.hasSuffix(")") else {
            return .failure(Problem(message: "missing `)` at the end of `\(trimmed)`", offset: trimmed.count))
        }
        let body = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        let bodyOffset = trimmed.distance(from: trimmed.startIndex, to: open) + 1
        var arguments: [Argument] = []
        var position = bodyOffset
        for piece in body.split(separator: ",", omittingEmptySubsequences: false) {
            let raw = String(piece)
            let leading = raw.prefix { $0 == " " }.count
            let content = raw.trimmingCharacters(in: .whitespaces)
            if let colon = content.firstIndex(of: ":"), content[..<colon].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let key = String(content[..<colon])
                let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                arguments.append(Argument(name: key, text: value, offset: position + leading))
            } else {
                arguments.append(Argument(name: nil, text: content, offset: position + leading))
            }
            position += raw.count + 1
        }
        if arguments.count == 1, arguments[0].text.isEmpty, arguments[0].name == nil { arguments = [] }
        // Match arguments to parameters: positional first, then by name.
        var values: [String: Argument] = [:]
        for (index, argument) in arguments.enumerated() {
            let key: String
            if let named = argument.name {
                guard parameters.contains(named) else {
                    return .failure(
                        Problem(
                            message:
                                "`\(canonical)` has no parameter `\(named)`; it takes \(parameters.joined(separator: ", "))",
                            offset: argument.offset, suggestion: nearestName(to: named, in: parameters)))
                }
                key = named
            } else {
                guard index < parameters.count else {
                    return .failure(
                        Problem(
                            message:
                                "`\(canonical)` takes \(parameters.count) parameter\(parameters.count == 1 ? "" : "s") (\(parameters.joined(separator: ", "))); found \(arguments.count)",
                            offset: argument.offset))
                }
                key = parameters[index]
            }
            guard values[key] == nil else {
                return .failure(Problem(message: "`\(key)` is given twice", offset: argument.offset))
            }
            values[key] = argument
        }
        let optional: Set<String> = ["method"]
        for parameter in parameters where values[parameter] == nil && !optional.contains(parameter) {
            return .failure(
                Problem(
                    message: "`\(canonical)` needs `\(parameter)` (it takes \(parameters.joined(separator: ", ")))",
                    offset: trimmed.count - 1))
        }
        guard let shape = shapes[canonical] else {
            return empirical(file: values["file"]!, method: values["method"], kind: kind, directory: directory)
        }
        var numbers: [Double] = []
        for parameter in shape.parameters {
            let argument = values[parameter.name]!
            switch quantity(
                argument.text, kind: parameter.kind == .value ? kind : .plain(unit: nil), offset: argument.offset)
            {
            case .success(let number): numbers.append(number)
            case .failure(let problem): return .failure(problem)
            }
        }
        return make { try shape.build(numbers, kind) }.flatMap { checked($0, kind: kind) }
    }

    /// A duration's distribution must stay at or above 0 and have a mean Takt can simulate.
    static func checked(_ distribution: Distribution, kind: QuantityKind) -> Result<Distribution, Problem> {
        guard case .duration = kind else { return .success(distribution) }
        let mean = distribution.mean
        guard distribution.lowerBound >= 0 else {
            return .failure(
                Problem(
                    message:
                        "a duration cannot be negative, and `\(distribution)` reaches \(Format.number(distribution.lowerBound, decimals: 3)) s",
                    offset: 0))
        }
        guard mean.isFinite, mean <= Quantity.maximumDuration else {
            return .failure(
                Problem(
                    message:
                        "the mean of `\(distribution)` is \(mean.isFinite ? Format.number(mean, decimals: 0) + " s" : "not finite"), beyond the longest duration Takt accepts, 10⁹ s (about 31 years)",
                    offset: 0))
        }
        return .success(distribution)
    }

    static func quantity(_ text: String, kind: QuantityKind, offset: Int) -> Result<Double, Problem> {
        Quantity.parse(text, as: kind).mapError {
            Problem(message: $0.message, offset: offset, suggestion: $0.suggestion)
        }
    }

    static func make(_ build: () throws -> Distribution) -> Result<Distribution, Problem> {
        do {
            return .success(try build())
        } catch let error as DistributionError {
            return .failure(Problem(message: error.problem, offset: 0))
        } catch {
            return .failure(Problem(message: "\(error)", offset: 0))
        }
    }

    /// The largest data file `empirical(file: …)` reads.
    public static let maximumDataFileBytes = 50_000_000

    /// Samples from a file: one value per line (the first comma-separated field), `#` comments
    /// and a non-numeric header line skipped; values carry the units of `kind` or none
    /// (durations without a unit are seconds).
    static func empirical(file: Argument, method: Argument?, kind: QuantityKind, directory: String) -> Result<
        Distribution, Problem
    > {
        // Data files sit beside the scenario: a scenario that names /etc/… or ../… is refused,
        // so a shared or generated scenario cannot make Takt read (and quote) other files.
        let components = file.text.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.text.hasPrefix("/"), !file.text.hasPrefix("~"), !components.contains(".."), !file.text.isEmpty
        else {
            return .failure(
                Problem(
                    message:
                        "a data file is named relative to the scenario's folder, without `..`; found `\(file.text)`",
                    offset: file.offset))
        }
        let path = (directory as NSString).appendingPathComponent(file.text)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maximumDataFileBytes {
            return .failure(
                Problem(
                    message:
                        "`\(file.text)` is larger than \(maximumDataFileBytes / 1_000_000) MB, the limit for a data file",
                    offset: file.offset))
        }
        guard attributes?[.type] as? FileAttributeType == .typeRegular,
            let contents = try? String(contentsOfFile: path, encoding: .utf8)
        else {
            return .failure(
                Problem(
                    message: "cannot read `\(file.text)` as UTF-8 text (looked at \(path))", offset: file.offset))
        }
        var samples: [Double] = []
        for (number, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let field = line.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if field.isEmpty || field.hasPrefix("#") { continue }
            let unitless: QuantityKind = if case .duration = kind { .duration } else { kind }
            let text =
                Double(field) != nil && { if case .duration = kind { return true } else { return false } }()
                ? field + "s" : field
            switch Quantity.parse(text, as: unitless) {
            case .success(let value): samples.append(value)
            case .failure:
                if samples.isEmpty && number == 0 { continue }  // a header line
                // The parse error quotes the line; a message never repeats a data file.
                return .failure(
                    Problem(
                        message:
                            "\(file.text) line \(number + 1): its first field is not \(unitless.example) (nor, for a duration, a number of seconds)",
                        offset: file.offset))
            }
        }
        var chosen = Distribution.EmpiricalMethod.interpolate
        if let method {
            guard let value = Distribution.EmpiricalMethod(rawValue: method.text) else {
                return .failure(
                    Problem(
                        message: "unknown method `\(method.text)`; expected resample or interpolate",
                        offset: method.offset,
                        suggestion: nearestName(
                            to: method.text, in: Distribution.EmpiricalMethod.allCases.map(\.rawValue))))
            }
            chosen = value
        }
        return make { try .empirical(samples: samples, method: chosen) }.flatMap { checked($0, kind: kind) }
    }
}

extension Field {
    /// The node as an inline distribution of `kind` values.
    func distribution(_ kind: QuantityKind, directory: String) -> Distribution? {
        guard let text = scalarText() else { return nil }
        switch DistributionSyntax.parse(text, kind: kind, directory: directory) {
        case .success(let distribution): return distribution
        case .failure(let problem):
            fail(problem.message, suggestion: problem.suggestion, columnOffset: problem.offset)
            return nil
        }
    }
}
