import TaktKernel

/// The Shewhart charts an MES keeps on a measured characteristic.
public enum ControlChartKind: Sendable, Equatable, Codable {
    /// Subgroup means and ranges (subgroups of 2 to 25).
    case xBarR(subgroupSize: Int)
    /// Subgroup means and standard deviations.
    case xBarS(subgroupSize: Int)
    /// Individual values and moving ranges of two.
    case individuals

    /// Values per plotted point.
    public var subgroupSize: Int {
        switch self {
        case .xBarR(let n), .xBarS(let n): n
        case .individuals: 1
        }
    }
}

/// A control chart with limits set from a baseline period: a location chart (X̄ or X) and a
/// dispersion chart (R, S or moving range), each with its centre line and 3σ limits.
public struct ControlChart: Sendable, Equatable, Codable {
    /// Centre line and limits of one chart.
    public struct Limits: Sendable, Equatable, Codable {
        public var lower: Double
        public var centre: Double
        public var upper: Double
        /// One sigma of the plotted statistic: (upper − centre) / 3.
        public var sigma: Double { (upper - centre) / 3 }
    }

    public let kind: ControlChartKind
    /// The X̄ (or X) chart.
    public let location: Limits
    /// The R, S or moving-range chart.
    public let dispersion: Limits
    /// The process standard deviation estimated within subgroups (R̄/d2, S̄/c4 or MR̄/d2(2)).
    public let processSigma: Double

    /// Limits from baseline subgroups (for individuals: one value each, in time order).
    ///
    /// - Throws: ``StatisticsError`` when the baseline is too short: at least two subgroups
    ///   (three values for individuals), each of the chart's size.
    public init(_ kind: ControlChartKind, baseline: [[Double]]) throws(StatisticsError) {
        self.kind = kind
        switch kind {
        case .xBarR(let n), .xBarS(let n):
            guard baseline.count >= 2, baseline.allSatisfy({ $0.count == n }) else {
                throw .tooFewObservations(needed: 2 * n, found: baseline.reduce(0) { $0 + $1.count })
            }
            let constants = try ControlChartConstants.cached(subgroupSize: n)
            let grandMean = baseline.map(Self.mean).reduce(0, +) / Double(baseline.count)
            if case .xBarR = kind {
                let meanRange = baseline.map(Self.range).reduce(0, +) / Double(baseline.count)
                location = Limits(
                    lower: grandMean - constants.a2 * meanRange, centre: grandMean,
                    upper: grandMean + constants.a2 * meanRange)
                dispersion = Limits(
                    lower: constants.d3Factor * meanRange, centre: meanRange, upper: constants.d4Factor * meanRange)
                processSigma = meanRange / constants.d2
            } else {
                let meanDeviation = baseline.map(Self.standardDeviation).reduce(0, +) / Double(baseline.count)
                location = Limits(
                    lower: grandMean - constants.a3 * meanDeviation, centre: grandMean,
                    upper: grandMean + constants.a3 * meanDeviation)
                dispersion = Limits(
                    lower: constants.b3 * meanDeviation, centre: meanDeviation, upper: constants.b4 * meanDeviation)
                processSigma = meanDeviation / constants.c4
            }
        case .individuals:
            let values = baseline.flatMap { $0 }
            guard values.count >= 3 else { throw .tooFewObservations(needed: 3, found: values.count) }
            let constants = try ControlChartConstants.cached(subgroupSize: 2)
            let mean = Self.mean(values)
            let movingRanges = zip(values.dropFirst(), values).map { abs($0 - $1) }
            let meanMovingRange = Self.mean(movingRanges)
            let sigma = meanMovingRange / constants.d2
            location = Limits(lower: mean - 3 * sigma, centre: mean, upper: mean + 3 * sigma)
            dispersion = Limits(lower: 0, centre: meanMovingRange, upper: constants.d4Factor * meanMovingRange)
            processSigma = sigma
        }
    }

    /// The location statistic of a subgroup (its mean; the value itself for individuals).
    public func locationStatistic(_ subgroup: [Double]) -> Double { Self.mean(subgroup) }

    /// The dispersion statistic of a subgroup: its range or standard deviation; for
    /// individuals the moving range from `previous` (0 for the first value).
    public func dispersionStatistic(_ subgroup: [Double], previous: Double?) -> Double {
        switch kind {
        case .xBarR: Self.range(subgroup)
        case .xBarS: Self.standardDeviation(subgroup)
        case .individuals: previous.map { abs(subgroup[0] - $0) } ?? 0
        }
    }

    /// Process capability against specification limits, from the within-subgroup sigma:
    /// Cp = (USL − LSL) / 6σ, Cpk = min(USL − μ, μ − LSL) / 3σ, μ the centre line.
    public func capability(lower: Double, upper: Double) -> (cp: Double, cpk: Double) {
        let sigma = processSigma
        return (
            (upper - lower) / (6 * sigma), min(upper - location.centre, location.centre - lower) / (3 * sigma)
        )
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    static func range(_ values: [Double]) -> Double { (values.max() ?? 0) - (values.min() ?? 0) }

    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}
