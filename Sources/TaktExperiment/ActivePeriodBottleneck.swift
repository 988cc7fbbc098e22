import TaktPlant

/// The bottleneck by the active-period method (Roser, Nakano & Tanaka 2001): at each instant
/// the bottleneck is the station whose current active period is the longest. Where the
/// active periods of one bottleneck and the next overlap, both stations are shifting
/// bottlenecks; the rest of a station's time as the bottleneck is sole bottleneck time.
///
/// A machine is active while producing, in setup, broken down or in unplanned maintenance (it
/// holds the line up); waiting (starved, blocked, no work released, an operator, an MES hold)
/// and planned down time are inactive. A station of parallel machines is active while all
/// its machines are: only then does it turn work away.
public enum ActivePeriodBottleneck {
    /// Per station: shares of `from`…`to` as sole and as shifting bottleneck, sampled every
    /// `step` seconds.
    public static func shares(
        _ changes: [(time: Double, machine: Int32, element: TimeElement)], stationOfMachine: [Int], stations: Int,
        from start: Double, to end: Double, step: Double
    ) -> [RunTrace.BottleneckShare] {
        let periods = activePeriods(
            changes, stationOfMachine: stationOfMachine, stations: stations, from: start, to: end)
        // The momentary bottleneck at each sample: (station, index of its active period).
        var samples: [(station: Int, period: Int)?] = []
        var cursor = [Int](repeating: 0, count: stations)
        var t = start + step / 2
        while t < end {
            var best: (station: Int, period: Int, length: Double)?
            for s in 0..<stations {
                while cursor[s] < periods[s].count, periods[s][cursor[s]].end <= t { cursor[s] += 1 }
                guard cursor[s] < periods[s].count, periods[s][cursor[s]].start <= t else { continue }
                let period = periods[s][cursor[s]]
                let length = period.end - period.start
                if best == nil || length > best!.length { best = (s, cursor[s], length) }
            }
            samples.append(best.map { ($0.station, $0.period) })
            t += step
        }
        // Runs of samples with the same bottleneck period, in order.
        var episodes: [(station: Int, period: Int, first: Int, last: Int)] = []
        for (index, sample) in samples.enumerated() {
            guard let sample else { continue }
            if let last = episodes.last, last.station == sample.station, last.period == sample.period {
                episodes[episodes.count - 1].last = index
            } else {
                episodes.append((sample.station, sample.period, index, index))
            }
        }
        // Where a bottleneck period overlaps the next one (another station's), both stations
        // are shifting bottlenecks.
        var shiftingIntervals = [[(start: Double, end: Double)]](repeating: [], count: stations)
        for e in episodes.indices.dropLast() {
            let (one, next) = (episodes[e], episodes[e + 1])
            guard one.station != next.station else { continue }
            let a = periods[one.station][one.period]
            let b = periods[next.station][next.period]
            let overlap = (start: max(a.start, b.start), end: min(a.end, b.end))
            guard overlap.end > overlap.start else { continue }
            shiftingIntervals[one.station].append(overlap)
            shiftingIntervals[next.station].append(overlap)
        }
        var sole = [Double](repeating: 0, count: stations)
        for episode in episodes {
            for index in episode.first...episode.last {
                let time = start + step / 2 + Double(index) * step
                if !shiftingIntervals[episode.station].contains(where: { time >= $0.start && time < $0.end }) {
                    sole[episode.station] += step
                }
            }
        }
        let observed = max(end - start, 1e-300)
        return (0..<stations).map {
            RunTrace.BottleneckShare(sole: sole[$0] / observed, shifting: unionLength(shiftingIntervals[$0]) / observed)
        }
    }

    /// The total length covered by `intervals`.
    static func unionLength(_ intervals: [(start: Double, end: Double)]) -> Double {
        var total = 0.0
        var reach = -Double.infinity
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            let from = max(interval.start, reach)
            if interval.end > from { total += interval.end - from }
            reach = max(reach, interval.end)
        }
        return total
    }

    /// Per station: its active periods, clipped to `start`…`end`, in time order.
    static func activePeriods(
        _ changes: [(time: Double, machine: Int32, element: TimeElement)], stationOfMachine: [Int], stations: Int,
        from start: Double, to end: Double
    ) -> [[(start: Double, end: Double)]] {
        func isActive(_ element: TimeElement) -> Bool {
            element == .production || element == .setup || element == .breakdown || element == .unplannedMaintenance
        }
        var machinesOf = [Int](repeating: 0, count: stations)
        for s in stationOfMachine { machinesOf[s] += 1 }
        var activeMachines = [Int](repeating: 0, count: stations)
        var machineActive = [Bool](repeating: false, count: stationOfMachine.count)
        var openSince = [Double?](repeating: nil, count: stations)
        var periods = [[(start: Double, end: Double)]](repeating: [], count: stations)
        for change in changes {
            let m = Int(change.machine)
            guard m < stationOfMachine.count, change.time <= end else { continue }
            let s = stationOfMachine[m]
            let active = isActive(change.element)
            guard active != machineActive[m] else { continue }
            machineActive[m] = active
            activeMachines[s] += active ? 1 : -1
            if activeMachines[s] == machinesOf[s], openSince[s] == nil {
                openSince[s] = change.time
            } else if activeMachines[s] < machinesOf[s], let since = openSince[s] {
                openSince[s] = nil
                if change.time > start { periods[s].append((max(since, start), change.time)) }
            }
        }
        for s in 0..<stations {
            if let since = openSince[s] { periods[s].append((max(since, start), end)) }
        }
        return periods
    }
}
