import Foundation

/// `value` with a fixed number of decimals, in the POSIX locale.
func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    return String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), value)
}

/// `text` padded with spaces to `width` columns, on the right (labels) or left (numbers).
func pad(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return alignRight ? fill + text : text + fill
}
