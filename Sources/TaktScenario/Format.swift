import Foundation

/// Numbers and durations as people read them in tables and messages.
public enum Format {
    /// `value` with `decimals` decimals, POSIX locale.
    public static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        guard (0...DecimalText.maximumDecimals).contains(decimals) else {
            return DecimalText.printf(value, decimals: decimals)
        }
        return DecimalText.string(value, decimals: decimals)
    }

    /// A duration in its largest whole unit: `14d`, `8h`, `90s`, `1.5s`.
    public static func duration(_ seconds: Double) -> String {
        for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)]
        where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            if let whole = Int(exactly: seconds / size) { return "\(whole)\(unit)" }
        }
        if let whole = Int(exactly: seconds) { return "\(whole)s" }
        // Beyond any duration a scenario allows (only a damaged file has one): never trap.
        return abs(seconds) < 1e15 ? "\(number(seconds, decimals: 3))s" : "\(seconds)s"
    }
}

/// A CSV cell as RFC 4180 writes it: quoted when it holds a comma, quote or line break.
public enum CSVCell {
    public static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
