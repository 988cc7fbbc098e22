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

    /// The distributions and their parameters in positional order.
    static let signatures: [String: [String]] = [
        "const": ["value"], "exp": ["mean"], "normal": ["mean", "sd"], "lognormal": ["mean", "sd"],
        "gamma": ["shape", "mean"], "erlang": ["phases", "mean"], "weibull": ["shape", "scale"],
        "triangular": ["min", "mode", "max"], "uniform": ["min", "max"], "beta": ["alpha", "beta", "min", "max"],
        "pert": ["min", "mode", "max"], "empirical": ["file", "method"],
    ]

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
            }
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
        func number(_ key: String, _ valueKind: QuantityKind) -> Result<Double, Problem> {
            quantity(values[key]!.text, kind: valueKind, offset: values[key]!.offset)
        }
        let count = QuantityKind.plain(unit: nil)
        switch canonical {
        case "const":
            return number("value", kind).flatMap { v in make { try .constant(v) } }
        case "exp":
            return number("mean", kind).flatMap { m in make { try .exponential(mean: m) } }
        case "normal":
            return number("mean", kind).flatMap { m in
                number("sd", kind).flatMap { sd in
                    if case .duration = kind { return make { try .normalTruncatedAtZero(mean: m, sd: sd) } }
                    return make { try .normal(mean: m, sd: sd) }
                }
            }
        case "lognormal":
            return number("mean", kind).flatMap { m in
                number("sd", kind).flatMap { sd in make { try .lognormal(mean: m, sd: sd) } }
            }
        case "gamma":
            return number("shape", count).flatMap { k in
                number("mean", kind).flatMap { m in make { try .gamma(shape: k, mean: m) } }
            }
        case "erlang":
            return number("phases", count).flatMap { k in
                number("mean", kind).flatMap { m in
                    guard k == k.rounded() else {
                        return .failure(
                            Problem(
                                message: "erlang phases must be a whole number; found \(k)",
                                offset: values["phases"]!.offset))
                    }
                    return make { try .erlang(phases: Int(k), mean: m) }
                }
            }
        case "weibull":
            return number("shape", count).flatMap { k in
                number("scale", kind).flatMap { s in make { try .weibull(shape: k, scale: s) } }
            }
        case "triangular":
            return number("min", kind).flatMap { a in
                number("mode", kind).flatMap { c in
                    number("max", kind).flatMap { b in make { try .triangular(min: a, mode: c, max: b) } }
                }
            }
        case "uniform":
            return number("min", kind).flatMap { a in
                number("max", kind).flatMap { b in make { try .uniform(min: a, max: b) } }
            }
        case "beta":
            return number("alpha", count).flatMap { al in
                number("beta", count).flatMap { be in
                    number("min", kind).flatMap { a in
                        number("max", kind).flatMap { b in make { try .beta(alpha: al, beta: be, min: a, max: b) } }
                    }
                }
            }
        case "pert":
            return number("min", kind).flatMap { a in
                number("mode", kind).flatMap { c in
                    number("max", kind).flatMap { b in make { try .pert(min: a, mode: c, max: b) } }
                }
            }
        default:  // empirical
            return empirical(file: values["file"]!, method: values["method"], kind: kind, directory: directory)
        }
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

    /// Samples from a file: one value per line (the first comma-separated field), `#` comments
    /// and a non-numeric header line skipped; values carry the units of `kind` or none
    /// (durations without a unit are seconds).
    static func empirical(file: Argument, method: Argument?, kind: QuantityKind, directory: String) -> Result<
        Distribution, Problem
    > {
        let path = file.text.hasPrefix("/") ? file.text : (directory as NSString).appendingPathComponent(file.text)
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(Problem(message: "cannot read `\(file.text)` (looked at \(path))", offset: file.offset))
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
            case .failure(let error):
                if samples.isEmpty && number == 0 { continue }  // a header line
                return .failure(
                    Problem(message: "\(file.text) line \(number + 1): \(error.message)", offset: file.offset))
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
        return make { try .empirical(samples: samples, method: chosen) }
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
