import Foundation
import TaktKernel

/// What kind of quantity a value is, and so which units it may carry.
public enum QuantityKind: Sendable {
    /// A time: `500ms`, `22s`, `15m`, `8h`, `7d`, `2w`; stored in seconds.
    case duration
    /// Electrical power: `800W`, `4.5kW`, `1.2MW`; stored in kilowatts.
    case power
    /// A plain number, or one in the unit a measurement declares (`120um`).
    case plain(unit: String?)

    var example: String {
        switch self {
        case .duration: "a duration such as 22s, 15m, 8h or 7d"
        case .power: "a power such as 4.5kW or 800W"
        case .plain(let unit?): "a number, optionally in \(unit) (e.g. 120\(unit))"
        case .plain(nil): "a number"
        }
    }
}

/// Reads quantities written with their unit.
public enum Quantity {
    /// The longest duration a scenario may write (``DurationLimits/maximum``).
    public static let maximumDuration = DurationLimits.maximum
    /// The shortest duration other than 0 (``DurationLimits/minimum``).
    public static let minimumDuration = DurationLimits.minimum

    static let durationUnits: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("min", 60), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800),
    ]
    static let powerUnits: [(suffix: String, kilowatts: Double)] = [("kW", 1), ("MW", 1_000), ("W", 0.001)]

    /// The value of `text` in the kind's base unit, or what is wrong with it.
    public static func parse(_ text: String, as kind: QuantityKind) -> Result<Double, QuantityError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let split = trimmed.firstIndex { !("0123456789.+-eE_".contains($0)) } ?? trimmed.endIndex
        // "1e3s" would be ambiguous with exponents; numbers here are plain decimals.
        let numberText = String(trimmed[..<split]).replacingOccurrences(of: "_", with: "")
        let unit = String(trimmed[split...]).trimmingCharacters(in: .whitespaces)
        guard let number = Double(numberText), number.isFinite else {
            return .failure(QuantityError("expected \(kind.example); found `\(text)`"))
        }
        switch kind {
        case .duration:
            guard !unit.isEmpty else {
                return .failure(QuantityError("a duration needs a unit; found `\(text)`", suggestion: "\(trimmed)s"))
            }
            guard let match = durationUnits.first(where: { $0.suffix == unit }) else {
                return .failure(
                    QuantityError(
                        "unknown time unit `\(unit)`; expected ms, s, m (or min), h, d or w",
                        suggestion: nearestName(to: unit, in: durationUnits.map(\.suffix)).map { numberText + $0 }))
            }
            let seconds = number * match.seconds
            guard seconds >= 0 else {
                return .failure(QuantityError("a duration cannot be negative; found `\(text)`"))
            }
            guard seconds <= maximumDuration else {
                return .failure(
                    QuantityError(
                        "`\(text)` is longer than the longest duration Takt accepts, 10⁹ s (about 31 years)"))
            }
            guard seconds == 0 || seconds >= minimumDuration else {
                return .failure(
                    QuantityError("`\(text)` is shorter than the shortest duration Takt accepts, 1 µs (or write 0s)"))
            }
            return .success(seconds)
        case .power:
            guard let match = powerUnits.first(where: { $0.suffix == unit }) else {
                return .failure(
                    QuantityError(
                        unit.isEmpty
                            ? "a power needs a unit; found `\(text)`"
                            : "unknown power unit `\(unit)`; expected W, kW or MW",
                        suggestion: unit.isEmpty ? "\(trimmed)kW" : nil))
            }
            return .success(number * match.kilowatts)
        case .plain(let declared):
            guard unit.isEmpty || unit == declared else {
                let expected = declared.map { "no unit or \($0)" } ?? "no unit"
                return .failure(QuantityError("unexpected unit `\(unit)`; expected \(expected)"))
            }
            return .success(number)
        }
    }

    /// A time of day, `06:00` or `9:30`, as seconds after midnight; a duration is accepted too.
    public static func clockTime(_ text: String) -> Result<Double, QuantityError> {
        let parts = text.split(separator: ":")
        if parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0..<24).contains(hours), (0..<60).contains(minutes)
        {
            return .success(Double(hours * 3_600 + minutes * 60))
        }
        if case .success(let seconds) = parse(text, as: .duration) { return .success(seconds) }
        return .failure(QuantityError("expected a time of day such as 06:00; found `\(text)`"))
    }
}

/// A quantity that could not be read.
public struct QuantityError: Error, Sendable, Equatable {
    /// What is wrong.
    public var message: String
    /// A corrected spelling, when one is likely.
    public var suggestion: String?

    /// A quantity error.
    public init(_ message: String, suggestion: String? = nil) {
        self.message = message
        self.suggestion = suggestion
    }
}

extension Field {
    /// The node as a quantity of `kind` (a duration in seconds, a power in kW, …).
    func quantity(_ kind: QuantityKind, atLeast minimum: Double? = nil, above: Double? = nil) -> Double? {
        guard let text = scalarText() else { return nil }
        switch Quantity.parse(text, as: kind) {
        case .failure(let error):
            fail(error.message, suggestion: error.suggestion)
            return nil
        case .success(let value):
            if let minimum, value < minimum {
                fail("expected at least \(minimum); found `\(text)`")
                return nil
            }
            if let above, value <= above {
                fail("expected more than \(above); found `\(text)`")
                return nil
            }
            return value
        }
    }

    /// The node as a time of day.
    func clockTime() -> Double? {
        guard let text = scalarText() else { return nil }
        switch Quantity.clockTime(text) {
        case .failure(let error):
            fail(error.message)
            return nil
        case .success(let value): return value
        }
    }
}
