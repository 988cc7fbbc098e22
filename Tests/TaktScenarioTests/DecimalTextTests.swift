import Foundation
import TaktKernel
import TaktScenario
import Testing

@Suite("Fixed-point decimal text")
struct DecimalTextTests {
    @Test(
        "halfway cases round to even on the exact binary value, as C's printf does",
        arguments: [
            (0.0625, 3, "0.062"), (0.1875, 3, "0.188"), (2.5, 0, "2"), (3.5, 0, "4"), (0.125, 2, "0.12"),
            (1.0005, 3, "1.000"), (1.0015, 3, "1.002"), (999.9995, 3, "1000.000"), (0.5, 0, "0"),
        ])
    func halfway(value: Double, decimals: Int, expected: String) {
        #expect(DecimalText.string(value, decimals: decimals) == expected)
        #expect(DecimalText.printf(value, decimals: decimals) == expected)
    }

    @Test("a carry out of the decimals goes into the integer part")
    func carry() {
        #expect(DecimalText.string(9.9996, decimals: 3) == "10.000")
        #expect(DecimalText.string(-0.99999, decimals: 4) == "-1.0000")
    }

    @Test("the sign of negative zero and of negatives that round to zero is kept, as printf keeps it")
    func signs() {
        #expect(DecimalText.string(-0.0, decimals: 3) == "-0.000")
        #expect(DecimalText.string(-0.0001, decimals: 3) == "-0.000")
        #expect(DecimalText.string(0, decimals: 0) == "0")
    }

    @Test("subnormal, huge and non-finite values give printf's text")
    func extremes() {
        for value in [
            Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, 0x1p63, -0x1p63, 1e300, Double.infinity,
            -Double.infinity,
        ] {
            for decimals in [0, 3, 9] {
                #expect(
                    DecimalText.string(value, decimals: decimals) == DecimalText.printf(value, decimals: decimals),
                    "\(value) with \(decimals) decimals")
            }
        }
    }

    @Test("a million random values of every magnitude equal printf's text")
    func randomValues() {
        var generator = SplitMix(seed: 2026)
        var mismatches: [String] = []
        for _ in 0..<1_000_000 {
            let bits = generator.next()
            // A random sign and mantissa with an exponent from 2^-80 to 2^70, and every
            // tenth value a short decimal (times like 12.345 s), where ties are likeliest.
            let exponent = Int(bits % 151) - 80
            var value = Double(
                sign: bits & 1 == 0 ? .plus : .minus, exponent: exponent,
                significand: 1 + Double(generator.next() >> 12) / 0x1p52)
            if bits % 10 == 0 { value = Double(Int64(bitPattern: generator.next()) % 10_000_000) / 16_000 }
            let decimals = Int(generator.next() % 10)
            let fast = DecimalText.string(value, decimals: decimals)
            let reference = DecimalText.printf(value, decimals: decimals)
            if fast != reference && mismatches.count < 5 {
                mismatches.append("\(value) %.\(decimals)f: \(fast) ≠ \(reference)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("integers are written with their sign, from Int.min to Int.max")
    func integers() {
        for value in [0, 7, -7, 10, 1_000_000, Int.max, Int.min] {
            var bytes: [UInt8] = []
            DecimalText.appendInteger(value, into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "\(value)")
        }
    }

    @Test("Format.number keeps the text it gave through Foundation")
    func formatNumber() {
        #expect(Format.number(1234.5678, decimals: 2) == "1234.57")
        #expect(Format.number(-0.5, decimals: 0) == "-0")
        #expect(Format.number(.nan, decimals: 3) == "nan")
        #expect(Format.number(1.5, decimals: 12) == "1.500000000000")
    }

    @Test("Format.duration names the largest whole unit, and gives any other time without trapping")
    func formatDuration() {
        #expect(Format.duration(14 * 86_400) == "14d")
        #expect(Format.duration(8 * 3_600) == "8h")
        #expect(Format.duration(90) == "90s")
        #expect(Format.duration(1.5) == "1.500s")
        // Only a damaged file has these (a baseline's horizon, say); the message must still print.
        #expect(Format.duration(1e300) == "1e+300s")
        #expect(Format.duration(-1e300) == "-1e+300s")
        #expect(Format.duration(2e19) == "2e+19s")
        #expect(Format.duration(.nan) == "nans")
    }
}

/// A fixed stream of test values: the kernel's SplitMix64 mixer over a counter.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 1
        return StreamSeed.mix(state)
    }
}
