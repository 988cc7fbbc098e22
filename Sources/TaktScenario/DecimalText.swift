import Foundation

/// Fixed-point decimal text of a `Double`, byte for byte what C's `printf("%.Nf")` writes,
/// without Foundation or a `String` per number.
///
/// The digits come from the exact binary value: its integer part and the fraction's first N
/// decimals, rounded half to even on the exact remainder, as glibc does. Output files with
/// millions of numbers (operations.csv) are written at disk speed this way; values outside
/// the exact fast range (over 2⁶³ in magnitude, not finite) go through `vsnprintf`.
public enum DecimalText {
    /// The most decimals ``write(_:decimals:into:)`` takes.
    public static let maximumDecimals = 9

    private static let powers: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    ]

    /// The most bytes ``write(_:decimals:to:)`` writes: a sign, 20 digits, a point and 9 decimals.
    public static let maximumLength = 32

    /// `value` with `decimals` decimals (0 to ``maximumDecimals``), appended to `bytes`.
    public static func write(_ value: Double, decimals: Int, into bytes: inout [UInt8]) {
        guard value.isFinite, value.magnitude < 0x1p63 else {
            bytes.append(contentsOf: Array(printf(value, decimals: decimals).utf8))
            return
        }
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let count = write(value, decimals: decimals, to: start)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        }
    }

    /// Writes `value` with `decimals` decimals at `out`, which has room for
    /// ``maximumLength`` bytes, and returns how many it wrote. `value` must be finite and
    /// below 2⁶³ in magnitude (``isFast(_:)``).
    public static func write(_ value: Double, decimals: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        precondition((0...maximumDecimals).contains(decimals), "decimals must be 0 to \(maximumDecimals)")
        precondition(isFast(value), "\(value) is not finite or not below 2^63")
        var length = 0
        if value.sign == .minus {
            out[0] = UInt8(ascii: "-")
            length = 1
        }
        let magnitude = value.magnitude
        // magnitude = m / 2^s exactly, m an integer of at most 53 bits.
        var m = magnitude.significandBitPattern
        let s: Int
        if magnitude.isNormal {
            m |= 1 << UInt64(Double.significandBitCount)
            s = Double.significandBitCount - Int(magnitude.exponent)
        } else {
            s = magnitude == 0 ? 0 : 1074  // zero, or a subnormal m·2^-1074
        }
        var integer: UInt64
        var digits: UInt64
        if s <= 0 {
            integer = m << UInt64(-s)
            digits = 0
        } else {
            integer = s < 64 ? m >> UInt64(s) : 0
            let fraction = s < 64 ? m & ((1 << UInt64(s)) - 1) : m
            let power = powers[decimals]
            let (high, low) = fraction.multipliedFullWidth(by: power)
            // q = high·2^64 + low = fraction · 10^decimals; digits = ⌊q / 2^s⌋, and the
            // remainder against half of 2^s decides the rounding.
            let comparison: Int
            if s < 64 {
                digits = (s == 0 ? 0 : high << UInt64(64 - s)) | (low >> UInt64(s))
                comparison = compare(0, low & ((1 << UInt64(s)) - 1), 0, 1 << UInt64(s - 1))
            } else if s == 64 {
                digits = high
                comparison = compare(0, low, 0, 1 << 63)
            } else if s < 128 {
                digits = high >> UInt64(s - 64)
                comparison = compare(high & ((1 << UInt64(s - 64)) - 1), low, 1 << UInt64(s - 65), 0)
            } else {
                digits = 0
                comparison = -1  // q < 2^83, below half of 2^s
            }
            // Half to even on the last digit kept: a decimal, or the units without decimals.
            let last = decimals == 0 ? integer : digits
            if comparison > 0 || (comparison == 0 && last & 1 == 1) {
                digits += 1
                if digits == power {
                    digits = 0
                    integer += 1
                }
            }
        }
        length += writeInteger(integer, to: out + length)
        guard decimals > 0 else { return length }
        out[length] = UInt8(ascii: ".")
        var position = length + decimals
        for _ in 0..<decimals {
            out[position] = UInt8(ascii: "0") + UInt8(digits % 10)
            digits /= 10
            position -= 1
        }
        return length + 1 + decimals
    }

    /// Whether ``write(_:decimals:to:)`` takes `value`: finite and below 2⁶³ in magnitude.
    @inline(__always)
    public static func isFast(_ value: Double) -> Bool { value.isFinite && value.magnitude < 0x1p63 }

    /// Writes the decimal digits of `value` at `out` (room for 20) and returns how many.
    public static func writeInteger(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        rest = value
        var position = count - 1
        repeat {
            out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            position -= 1
        } while position >= 0
        return count
    }

    /// `value` with `decimals` decimals as a `String`.
    public static func string(_ value: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(value, decimals: decimals, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decimal digits of `value`, appended to `bytes`.
    public static func appendInteger(_ value: UInt64, into bytes: inout [UInt8]) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: writeInteger(value, to: start)))
        }
    }

    /// The decimal digits of `value`, with its sign, appended to `bytes`.
    public static func appendInteger(_ value: Int, into bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendInteger(UInt64(value.magnitude), into: &bytes)
    }

    /// -1, 0 or 1 as (aHigh, aLow) is below, equal to or above (bHigh, bLow).
    private static func compare(_ aHigh: UInt64, _ aLow: UInt64, _ bHigh: UInt64, _ bLow: UInt64) -> Int {
        if aHigh != bHigh { return aHigh < bHigh ? -1 : 1 }
        if aLow != bLow { return aLow < bLow ? -1 : 1 }
        return 0
    }

    /// C's own `%.Nf`, for the values the fast path leaves out (and for tests).
    public static func printf(_ value: Double, decimals: Int) -> String {
        withVaList([value]) { arguments in
            var buffer = [CChar](repeating: 0, count: 512)
            let count = vsnprintf(&buffer, buffer.count, "%.\(decimals)f", arguments)
            if count >= buffer.count {
                buffer = [CChar](repeating: 0, count: Int(count) + 1)
                _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(decimals)f", $0) }
            }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
