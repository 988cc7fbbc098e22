/// Simulated time, in seconds since the start of the run, as a `Double`.
///
/// Seconds are the unit everywhere in Takt; scenario files write `22s`, `15m` or `7d` and
/// the parser converts them. A `Double` keeps sub-microsecond resolution for any horizon a
/// factory study needs: at 1 year (3.2 × 10⁷ s) the spacing between representable times is
/// about 4 × 10⁻⁹ s. Being a plain floating-point value, it costs nothing on the hot path.
public typealias SimTime = Double

/// Named multiples of a second, for code and tests that build times by hand.
public enum TimeUnit {
    /// One second.
    public static let second: SimTime = 1
    /// Sixty seconds.
    public static let minute: SimTime = 60
    /// 3,600 seconds.
    public static let hour: SimTime = 3_600
    /// 86,400 seconds.
    public static let day: SimTime = 86_400
}

/// The range of durations Takt accepts from a person (scenario files, rules, commands).
public enum DurationLimits {
    /// The longest: 10⁹ s, about 31.7 years. Longer ones are mistakes, and beyond it times
    /// lose the resolution a factory study needs.
    public static let maximum: SimTime = 1e9
    /// The shortest other than 0: 1 µs. A shorter one is a mistake, and lets a run crawl
    /// through simulated time without ever reaching its horizon.
    public static let minimum: SimTime = 1e-6
    /// The longest horizon a run may have: 10 years of simulated time.
    public static let horizon: SimTime = 3_650 * 86_400
}
