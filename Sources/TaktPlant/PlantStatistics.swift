import TaktKernel

/// What the plant measures over the observation window (after the warm-up).
struct PlantStatistics {
    var windowStart: SimTime = 0
    /// Per (machine × MachineState.count + state): seconds in that state.
    var stateTime: [Double]
    /// Units in the plant (work in process), time-weighted.
    var workInProcess = TimeWeightedLevel()
    /// Per station: units waiting in its input buffer, time-weighted.
    var bufferLevel: [TimeWeightedLevel]
    /// Time from release to shipping, per shipped unit.
    var leadTime = Tally()
    var released = 0
    var shipped = 0
    var shippedDefective = 0
    var scrapped = 0
    var lostArrivals = 0
    var arrivals = 0
    var reworks = 0
    /// Per station: units processed.
    var processed: [Int]

    init(machines: Int, stations: Int) {
        stateTime = Array(repeating: 0, count: machines * MachineState.count)
        bufferLevel = Array(repeating: TimeWeightedLevel(), count: stations)
        processed = Array(repeating: 0, count: stations)
    }

    /// Forgets everything before `time`, keeping current levels.
    mutating func reset(at time: SimTime) {
        windowStart = time
        for i in stateTime.indices { stateTime[i] = 0 }
        workInProcess.reset(at: time)
        for i in bufferLevel.indices { bufferLevel[i].reset(at: time) }
        leadTime = Tally()
        released = 0
        shipped = 0
        shippedDefective = 0
        scrapped = 0
        lostArrivals = 0
        arrivals = 0
        reworks = 0
        for i in processed.indices { processed[i] = 0 }
    }
}
