/// The run rules that turn points on a control chart into signals.
///
/// Zones are measured in sigmas of the plotted statistic from the centre line. A rule
/// signals at the point that completes its pattern; for "k of m beyond a zone" that point
/// must itself be one of the k.
public enum ControlRule: String, Sendable, CaseIterable, Codable {
    /// WE 1 / Nelson 1: one point beyond 3σ.
    case beyondThreeSigma = "nelson-1"
    /// Nelson 2: nine points in a row on the same side of the centre line.
    case nineOnOneSide = "nelson-2"
    /// Nelson 3: six points in a row steadily increasing or decreasing.
    case sixTrending = "nelson-3"
    /// Nelson 4: fourteen points in a row alternating up and down.
    case fourteenAlternating = "nelson-4"
    /// WE 2 / Nelson 5: two of three points in a row beyond 2σ on the same side.
    case twoOfThreeBeyondTwoSigma = "nelson-5"
    /// WE 3 / Nelson 6: four of five points in a row beyond 1σ on the same side.
    case fourOfFiveBeyondOneSigma = "nelson-6"
    /// Nelson 7: fifteen points in a row within 1σ (stratification).
    case fifteenWithinOneSigma = "nelson-7"
    /// Nelson 8: eight points in a row with none within 1σ, on either side (mixture).
    case eightOutsideOneSigma = "nelson-8"
    /// WE 4: eight points in a row on the same side of the centre line.
    case eightOnOneSide = "we-4"

    /// The Western Electric rules 1–4.
    public static let westernElectric: [ControlRule] = [
        .beyondThreeSigma, .twoOfThreeBeyondTwoSigma, .fourOfFiveBeyondOneSigma, .eightOnOneSide,
    ]
    /// Nelson's rules 1–8.
    public static let nelson: [ControlRule] = [
        .beyondThreeSigma, .nineOnOneSide, .sixTrending, .fourteenAlternating, .twoOfThreeBeyondTwoSigma,
        .fourOfFiveBeyondOneSigma, .fifteenWithinOneSigma, .eightOutsideOneSigma,
    ]

    /// Whether the rule signals at the last of `points` (in sigmas from the centre line,
    /// oldest first).
    ///
    /// Called once per rule and subgroup, so it walks the points in place and allocates nothing.
    public func signals(_ points: ArraySlice<Double>) -> Bool {
        guard let last = points.last else { return false }
        let end = points.endIndex
        /// Where the last `k` points start, or `nil` when there are fewer.
        func start(_ k: Int) -> Int? { points.count >= k ? end - k : nil }
        func sameSide(_ k: Int) -> Bool {
            guard let from = start(k) else { return false }
            var above = true
            var below = true
            for i in from..<end {
                if !(points[i] > 0) { above = false }
                if !(points[i] < 0) { below = false }
            }
            return above || below
        }
        func kOfM(_ k: Int, _ m: Int, beyond zone: Double) -> Bool {
            guard let from = start(m), abs(last) > zone else { return false }
            let side: Double = last > 0 ? 1 : -1
            var count = 0
            for i in from..<end where points[i] * side > zone { count += 1 }
            return count >= k
        }
        func all(_ k: Int, _ holds: (Double) -> Bool) -> Bool {
            guard let from = start(k) else { return false }
            for i in from..<end where !holds(points[i]) { return false }
            return true
        }
        switch self {
        case .beyondThreeSigma:
            return abs(last) > 3
        case .nineOnOneSide:
            return sameSide(9)
        case .eightOnOneSide:
            return sameSide(8)
        case .sixTrending:
            guard let from = start(6) else { return false }
            var rising = true
            var falling = true
            for i in (from + 1)..<end {
                let step = points[i] - points[i - 1]
                if !(step > 0) { rising = false }
                if !(step < 0) { falling = false }
            }
            return rising || falling
        case .fourteenAlternating:
            guard let from = start(14) else { return false }
            for i in (from + 1)..<end where points[i] - points[i - 1] == 0 { return false }
            for i in (from + 2)..<end where (points[i] - points[i - 1] > 0) == (points[i - 1] - points[i - 2] > 0) {
                return false
            }
            return true
        case .twoOfThreeBeyondTwoSigma:
            return kOfM(2, 3, beyond: 2)
        case .fourOfFiveBeyondOneSigma:
            return kOfM(4, 5, beyond: 1)
        case .fifteenWithinOneSigma:
            return all(15) { abs($0) < 1 }
        case .eightOutsideOneSigma:
            return all(8) { abs($0) > 1 }
        }
    }
}
