import TaktKernel
import TaktPlant

/// Checks results read back from a file (`takt report results.json`) before anything draws
/// them: a hand-edited or damaged file gives a message naming the key path, never a crash.
extension ExperimentResults {
    /// The largest magnitude a time or value in a results file may have.
    static let largestValue = 1e15

    /// What is wrong with these results, as `key.path: problem`; `nil` when they are consistent.
    public var consistencyProblem: String? {
        func bad(_ value: Double) -> Bool { !value.isFinite || abs(value) > Self.largestValue }
        guard (1...100_000).contains(replications) else { return "replications: \(replications) is out of range" }
        for key in [("horizon", horizon), ("warmup", warmup)]
        where bad(key.1) || key.1 < 0 || key.1 > DurationLimits.horizon {
            return "\(key.0): \(key.1) is not a time in seconds within 10 years"
        }
        for (index, kpi) in kpis.enumerated() {
            guard kpi.values.count == replications else {
                return "kpis[\(index)].values: \(kpi.values.count) values for \(replications) replications"
            }
            if let value = ([kpi.mean, kpi.halfWidth] + kpi.values).first(where: { $0.isInfinite || abs($0) > 1e300 }) {
                return "kpis[\(index)] (\(kpi.name)): \(value) is not a number a report can draw"
            }
        }
        return trace?.consistencyProblem(horizon: horizon).map { "trace.\($0)" }
    }
}

extension RunTrace {
    /// What is wrong with this trace of a run `horizon` long, or `nil`. Every time lies within
    /// the run, so no chart draws (or loops over) more than the run.
    public func consistencyProblem(horizon: Double) -> String? {
        // A day either side: a shift or a sample may straddle the start or the end of the run.
        let slack = 86_400 + 1e-6 * horizon
        func bad(_ value: Double) -> Bool { !value.isFinite || value < -slack || value > horizon + slack }
        let states = TimeElement.count
        if [timelineStart, timelineEnd, timelineResolution, bottleneckStep].contains(where: bad) {
            return "timeline: a time is not within the run (0 to the horizon)"
        }
        guard timelineResolution > 0, bottleneckStep > 0 else { return "timelineResolution: not above 0" }
        guard timelineEnd >= timelineStart else { return "timelineEnd: before timelineStart" }
        guard stationOfMachine.count == machines.count else {
            return "stationOfMachine: \(stationOfMachine.count) entries for \(machines.count) machines"
        }
        if let s = stationOfMachine.first(where: { $0 < 0 || $0 >= stations.count }) {
            return "stationOfMachine: station \(s) of \(stations.count)"
        }
        guard timeline.count == machines.count else {
            return "timeline: \(timeline.count) rows for \(machines.count) machines"
        }
        for (m, spans) in timeline.enumerated() {
            for (k, span) in spans.enumerated() {
                guard (0..<states).contains(span.state) else { return "timeline[\(m)][\(k)].state: \(span.state)" }
                guard !bad(span.start), !bad(span.end), span.end >= span.start else {
                    return "timeline[\(m)][\(k)]: the span's times are out of order or range"
                }
            }
        }
        guard buffers.count == stations.count else {
            return "buffers: \(buffers.count) series for \(stations.count) stations"
        }
        for (name, series) in [("workInProcess", workInProcess)] + buffers.enumerated().map({ ("buffers[\($0)]", $1) })
        {
            guard !bad(series.start), !bad(series.step), series.step > 0,
                !bad(series.start + series.step * Double(max(0, series.values.count - 1))),
                !series.values.contains(where: { !$0.isFinite || abs($0) > ExperimentResults.largestValue })
            else { return "\(name): a value is not finite, or the series runs beyond the horizon" }
        }
        guard leadTimeCounts.count + 1 == leadTimeEdges.count || (leadTimeCounts.isEmpty && leadTimeEdges.isEmpty)
        else { return "leadTimeCounts: \(leadTimeCounts.count) bins for \(leadTimeEdges.count) edges" }
        if leadTimeEdges.contains(where: { !$0.isFinite || abs($0) > ExperimentResults.largestValue })
            || leadTimeCounts.contains(where: { $0 < 0 })
        {
            return "leadTimeEdges: a value is out of range"
        }
        for (index, shift) in shifts.enumerated() where bad(shift.start) || bad(shift.end) || shift.good < 0 {
            return "shifts[\(index)]: out of range"
        }
        for (index, chart) in spc.enumerated() {
            guard chart.times.count == chart.values.count, chart.signalTimes.count == chart.signalValues.count,
                chart.signalRules.count == chart.signalTimes.count
            else { return "spc[\(index)]: the lists of times and values differ in length" }
            guard !bad(chart.windowStart), !bad(chart.windowEnd), chart.windowEnd >= chart.windowStart else {
                return "spc[\(index)].windowStart, windowEnd: not a window within the run (0 to the horizon)"
            }
            let dispersion = chart.dispersion.map { [$0.lower, $0.centre, $0.upper] + $0.values } ?? []
            let values =
                [chart.lower, chart.centre, chart.upper] + chart.values + chart.signalValues + chart.lowerLimits
                + chart.upperLimits + chart.secondValues + dispersion
            if (chart.times + chart.signalTimes).contains(where: bad)
                || values.contains(where: { !$0.isFinite || abs($0) > ExperimentResults.largestValue })
            {
                return "spc[\(index)]: a value is not finite or out of range"
            }
        }
        for (index, event) in events.enumerated() where bad(event.time) {
            return "events[\(index)].time: \(event.time) is not within the run (0 to the horizon)"
        }
        guard bottleneck.count == stations.count else {
            return "bottleneck: \(bottleneck.count) shares for \(stations.count) stations"
        }
        for (index, share) in bottleneck.enumerated()
        where !(0...1).contains(share.sole) || !(0...1).contains(share.shifting) {
            return "bottleneck[\(index)]: out of range"
        }
        if let warmup = suggestedWarmup, bad(warmup) { return "suggestedWarmup: out of range" }
        return nil
    }
}
