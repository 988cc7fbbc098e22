/// The time-average, maximum and minimum of a level that changes at instants (queue length,
/// WIP, buffer content, machines busy), plus the share of time spent at each whole level.
///
/// The level is a step function: it holds its value from one ``record(_:at:)`` to the next.
/// Call ``reset(at:)`` at the end of the warm-up to start the observation window there.
public struct TimeWeightedLevel: Sendable {
    /// The current level.
    @inlinable public var level: Double { current }
    @usableFromInline var current: Double
    /// When the observation window started.
    public private(set) var windowStart: SimTime
    @usableFromInline var lastChange: SimTime
    @usableFromInline var area: Double
    @usableFromInline var high: Double
    @usableFromInline var low: Double
    /// The highest level seen in the window.
    @inlinable public var maximum: Double { high }
    /// The lowest level seen in the window.
    @inlinable public var minimum: Double { low }
    /// Time spent at each whole level 0, 1, 2, … (levels are rounded down; levels below 0 or
    /// above ``maximumTrackedLevel`` are not counted). Grows only when a new highest level appears.
    public var timeAtLevel: [Double] { levelTimes }
    @usableFromInline var levelTimes: [Double]
    @usableFromInline let tracksLevels: Bool

    /// The highest whole level ``timeAtLevel`` counts; a level beyond it is no count of parts.
    public static let maximumTrackedLevel = 1_000_000

    /// Starts observing at `start` with the given initial level.
    ///
    /// - Parameter tracksLevels: whether to keep ``timeAtLevel`` (off for levels that are not
    ///   counts, such as kilowatts).
    public init(level: Double = 0, at start: SimTime = 0, tracksLevels: Bool = true) {
        current = level
        windowStart = start
        lastChange = start
        area = 0
        high = level
        low = level
        levelTimes = []
        self.tracksLevels = tracksLevels
    }

    /// Sets the level to `newLevel` from time `time` on (`time` must not decrease).
    @inlinable
    @inline(__always)
    public mutating func record(_ newLevel: Double, at time: SimTime) {
        accumulate(until: time)
        current = newLevel
        if newLevel > high { high = newLevel }
        if newLevel < low { low = newLevel }
    }

    /// Adds `delta` to the level at `time`.
    @inlinable
    @inline(__always)
    public mutating func add(_ delta: Double, at time: SimTime) { record(level + delta, at: time) }

    /// Discards everything before `time` (end of warm-up); the current level carries on.
    public mutating func reset(at time: SimTime) {
        windowStart = time
        lastChange = time
        area = 0
        high = current
        low = current
        levelTimes = []
    }

    /// The time-average over [window start, `time`]; the current level if no time has passed.
    public func mean(at time: SimTime) -> Double {
        let span = time - windowStart
        guard span > 0 else { return level }
        return (area + level * (time - lastChange)) / span
    }

    /// The share of [window start, `time`] spent at each whole level 0, 1, 2, ….
    public func shareAtLevels(at time: SimTime) -> [Double] {
        let span = time - windowStart
        guard span > 0 else { return [] }
        var shares = timeAtLevel
        if tracksLevels, level >= 0, level <= Double(Self.maximumTrackedLevel) {
            let current = Int(level.rounded(.down))
            if shares.count <= current { shares += Array(repeating: 0, count: current + 1 - shares.count) }
            shares[current] += time - lastChange
        }
        return shares.map { $0 / span }
    }

    @inlinable
    @inline(__always)
    mutating func accumulate(until time: SimTime) {
        let held = time - lastChange
        area += current * held
        lastChange = time
        guard tracksLevels, current >= 0, current <= Double(Self.maximumTrackedLevel) else { return }
        let index = Int(current)  // rounds down: the level is not negative here
        if index < levelTimes.count {
            levelTimes[index] += held
        } else {
            addTimeAtNewLevel(index, held)
        }
    }

    /// Grows ``timeAtLevel`` to a new highest level (rare, so kept out of line).
    @usableFromInline
    @inline(never)
    mutating func addTimeAtNewLevel(_ index: Int, _ held: Double) {
        levelTimes += Array(repeating: 0, count: index + 1 - levelTimes.count)
        levelTimes[index] += held
    }
}
