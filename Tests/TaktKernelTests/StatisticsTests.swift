import Testing
import TaktKernel
#if canImport(Glibc)
    import Glibc
#endif

@Suite("Tally")
struct TallyTests {
    @Test("mean, sample variance, min and max of a textbook data set")
    func textbookData() {
        var tally = Tally()
        for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { tally.add(x) }
        #expect(tally.count == 8)
        #expect(tally.mean == 5)
        #expect(abs(tally.variance - 32.0 / 7) < 1e-12)
        #expect(tally.minimum == 2 && tally.maximum == 9)
    }

    @Test("stays accurate for values with a large common offset")
    func largeOffset() {
        var tally = Tally()
        for x in [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16] { tally.add(x) }
        #expect(abs(tally.variance - 30) < 1e-6)
    }

    @Test("merging two tallies equals tallying everything in one")
    func merge() {
        let values = (0..<101).map { Double($0 * $0 % 17) }
        var whole = Tally(), left = Tally(), right = Tally()
        for (i, x) in values.enumerated() {
            whole.add(x)
            if i < 40 { left.add(x) } else { right.add(x) }
        }
        left.merge(right)
        #expect(left.count == whole.count)
        #expect(abs(left.mean - whole.mean) < 1e-12)
        #expect(abs(left.variance - whole.variance) < 1e-10)
        #expect(left.minimum == whole.minimum && left.maximum == whole.maximum)
    }
}

@Suite("Time-weighted level")
struct TimeWeightedLevelTests {
    @Test("averages a step function over time and shares time by level")
    func stepFunction() {
        var wip = TimeWeightedLevel(level: 0, at: 0)
        wip.record(2, at: 1)
        wip.record(1, at: 4)
        // Area: 0·1 + 2·3 + 1·6 = 12 over 10 time units.
        #expect(abs(wip.mean(at: 10) - 1.2) < 1e-12)
        #expect(wip.maximum == 2 && wip.minimum == 0)
        let shares = wip.shareAtLevels(at: 10)
        #expect(shares.count == 3)
        #expect(abs(shares[0] - 0.1) < 1e-12 && abs(shares[1] - 0.6) < 1e-12 && abs(shares[2] - 0.3) < 1e-12)
    }

    @Test("reset at the end of warm-up forgets the past but keeps the current level")
    func resetAtWarmup() {
        var wip = TimeWeightedLevel(level: 5, at: 0)
        wip.record(1, at: 4)
        wip.reset(at: 4)
        wip.add(2, at: 6)
        // From 4: level 1 for 2, then 3 for 4 → (2 + 12) / 6.
        #expect(abs(wip.mean(at: 10) - 14.0 / 6) < 1e-12)
        #expect(wip.maximum == 3 && wip.minimum == 1)
    }
}

@Suite("Confidence intervals")
struct ConfidenceIntervalTests {
    @Test(
        "Student-t quantiles match printed tables",
        arguments: [(1, 12.706205), (4, 2.776445), (9, 2.262157), (19, 2.093024)])
    func tQuantiles(_ row: (Int, Double)) throws {
        let t = try ConfidenceInterval.studentTQuantile(0.975, degreesOfFreedom: row.0)
        #expect(abs(t - row.1) < 1e-6)
    }

    @Test("a 95% interval for 1…5 is 3 ± t(0.975, 4)·√2.5/√5")
    func intervalOfSmallSample() throws {
        let interval = try ConfidenceInterval(values: [1, 2, 3, 4, 5])
        #expect(interval.mean == 3)
        #expect(abs(interval.halfWidth - 2.776445 * 2.5.squareRoot() / 5.0.squareRoot()) < 1e-5)
        #expect(interval.contains(4.9) && !interval.contains(5.0))
    }

    @Test("one replication is not enough")
    func tooFew() {
        #expect(throws: StatisticsError.tooFewObservations(needed: 2, found: 1)) {
            try ConfidenceInterval(values: [3])
        }
        #expect(
            String(describing: StatisticsError.tooFewObservations(needed: 2, found: 1))
                == "needs at least 2 observations (replications); found 1")
    }

    @Test("a confidence level outside (0, 1) is refused with a hint")
    func badLevel() {
        #expect(throws: StatisticsError.invalidProbability(95)) { try ConfidenceInterval(values: [1, 2], level: 95) }
        #expect(
            String(describing: StatisticsError.invalidProbability(95))
                == "probability 95.0 is outside (0, 1); write e.g. 0.95 for 95%")
    }

    @Test("a NaN replication value is refused and located")
    func nonFinite() {
        #expect(throws: StatisticsError.nonFiniteObservation(index: 1, value: .infinity)) {
            try ConfidenceInterval(values: [1, .infinity, 3])
        }
    }
}

@Suite("P² quantile estimator")
struct QuantileEstimatorTests {
    @Test(
        "median and 95th percentile of 10⁵ exponential variates within 2% of ln 2 and ln 20",
        arguments: [(0.5, log(2.0)), (0.95, log(20.0))])
    func exponentialQuantiles(_ row: (Double, Double)) throws {
        // The sample quantile's own standard error here is ≈ 0.46% (√(p(1−p)/n) / f(q));
        // 2% leaves room for P²'s interpolation error and stays above 4 standard errors.
        var estimator = try QuantileEstimator(probability: row.0)
        let stream = RandomStream(gslSeed: 77)
        for _ in 0..<100_000 { estimator.add(stream.exponential(mean: 1)) }
        let estimate = try #require(estimator.estimate)
        #expect(abs(estimate - row.1) / row.1 < 0.02, "estimate \(estimate), exact \(row.1)")
    }

    @Test("with fewer than five observations it is the nearest-rank sample quantile")
    func smallSample() throws {
        var median = try QuantileEstimator(probability: 0.5)
        #expect(median.estimate == nil)
        for x in [5.0, 1, 3] { median.add(x) }
        #expect(median.estimate == 3)
    }

    @Test("a probability outside (0, 1) is refused")
    func badProbability() {
        #expect(throws: StatisticsError.invalidProbability(1)) { try QuantileEstimator(probability: 1) }
    }
}

@Suite("MSER-5 warm-up truncation")
struct WarmupTruncationTests {
    @Test("cuts an initial transient of 100 observations and little more")
    func findsTransient() throws {
        let stream = RandomStream(gslSeed: 4)
        let noise = try Distribution.normal(mean: 0, sd: 1)
        let series = (0..<1_000).map { i in (i < 100 ? 10.0 : 0.0) + noise.sample(stream) }
        let cut = try WarmupTruncation(mser5: series)
        #expect(cut.truncatedObservations >= 100 && cut.truncatedObservations <= 125)
        #expect(cut.isReliable)
        #expect(cut.batches == 200)
    }

    @Test("a series that trends to the end is flagged as too short to settle")
    func trendIsUnreliable() throws {
        let cut = try WarmupTruncation(mser5: (0..<500).map(Double.init))
        #expect(!cut.isReliable)
    }

    @Test("needs at least two batches of five")
    func tooShort() {
        #expect(throws: StatisticsError.tooFewObservations(needed: 10, found: 9)) {
            try WarmupTruncation(mser5: Array(repeating: 1, count: 9))
        }
    }
}
