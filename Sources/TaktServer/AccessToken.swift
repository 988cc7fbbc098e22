import Foundation

/// The secret that lets a browser view a session (in the page's URL) and a client command it
/// (in the `Authorization: Bearer` header): 128 random bits in hex, compared in constant time.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    public let value: String

    /// A token given (`--token`, for scripted tests); nil when it is shorter than 16
    /// characters or holds anything but letters, digits, `-` and `_`.
    public init?(_ value: String) {
        guard value.count >= 16, value.count <= 256,
            value.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
        else { return nil }
        self.value = value
    }

    /// A new random token.
    public static func random() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return AccessToken(uncheckedValue: bytes.map { String(format: "%02x", $0) }.joined())
    }

    private init(uncheckedValue: String) { value = uncheckedValue }

    /// Whether `candidate` is the token, taking the same time whatever it is.
    public func accepts(_ candidate: Substring?) -> Bool {
        guard let candidate else { return false }
        let a = Array(value.utf8)
        let b = Array(candidate.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    public var description: String { value }
}

/// Commands allowed in a burst and per second after it: a token bucket.
actor CommandRateLimit {
    let burst: Double
    let perSecond: Double
    var available: Double
    var updated = ContinuousClock.now

    init(burst: Int, perSecond: Double) {
        self.burst = Double(burst)
        self.perSecond = perSecond
        available = Double(burst)
    }

    /// Takes one command's allowance; false when none is left.
    func take() -> Bool {
        let now = ContinuousClock.now
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        available = min(burst, available + seconds * perSecond)
        updated = now
        guard available >= 1 else { return false }
        available -= 1
        return true
    }
}
