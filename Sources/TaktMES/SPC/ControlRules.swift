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
    public func signals(_ points: ArraySlice<Double>) -> Bool {
        guard let last = points.last else { return false }
        func tail(_ k: Int) -> ArraySlice<Double>? { points.count >= k ? points.suffix(k) : nil }
        func sameSide(_ k: Int) -> Bool {
            guard let run = tail(k) else { return false }
            return run.allSatisfy { $0 > 0 } || run.allSatisfy { $0 < 0 }
        }
        func kOfM(_ k: Int, _ m: Int, beyond zone: Double) -> Bool {
            guard let window = tail(m), abs(last) > zone else { return false }
            let side: Double = last > 0 ? 1 : -1
            return window.filter { $0 * side > zone }.count >= k
        }
        switch self {
        case .beyondThreeSigma:
            return abs(last) > 3
        case .nineOnOneSide:
            return sameSide(9)
        case .eightOnOneSide:
            return sameSide(8)
        case .sixTrending:
            guard let run = tail(6) else { return false }
            let steps = zip(run.dropFirst(), run).map { $0 - $1 }
            return steps.allSatisfy { $0 > 0 } || steps.allSatisfy { $0 < 0 }
        case .fourteenAlternating:
            guard let run = tail(14) else { return false }
            let steps = zip(run.dropFirst(), run).map { $0 - $1 }
            guard steps.allSatisfy({ $0 != 0 }) else { return false }
            return zip(steps.dropFirst(), steps).allSatisfy { ($0 > 0) != ($1 > 0) }
        case .twoOfThreeBeyondTwoSigma:
            return kOfM(2, 3, beyond: 2)
        case .fourOfFiveBeyondOneSigma:
            return kOfM(4, 5, beyond: 1)
        case .fifteenWithinOneSigma:
            guard let run = tail(15) else { return false }
            return run.allSatisfy { abs($0) < 1 }
        case .eightOutsideOneSigma:
            guard let run = tail(8) else { return false }
            return run.allSatisfy { abs($0) > 1 }
        }
    }
}
