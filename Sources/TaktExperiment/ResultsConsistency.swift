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
        for key in [("horizon", horizon), ("warmup", warmup)] where bad(key.1) || key.1 < 0 {
            return "\(key.0): \(key.1) is not a time in seconds"
        }
        for (index, kpi) in kpis.enumerated() {
            guard kpi.values.count == replications else {
                return "kpis[\(index)].values: \(kpi.values.count) values for \(replications) replications"
            }
            if let value = ([kpi.mean, kpi.halfWidth] + kpi.values).first(where: { $0.isInfinite || abs($0) > 1e300 }) {
                return "kpis[\(index)] (\(kpi.name)): \(value) is not a number a report can draw"
            }
        }
        return trace?.consistencyProblem.map { "trace.\($0)" }
    }
}

extension RunTrace {
    /// What is wrong with this trace, or `nil`.
    public var consistencyProblem: String? {
        func bad(_ value: Double) -> Bool { !value.isFinite || abs(value) > ExperimentResults.largestValue }
        let states = MachineState.count
        if [timelineStart, timelineEnd, timelineResolution, bottleneckStep].contains(where: bad) {
            return "timeline: a time is not finite or out of range"
        }
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
            guard !bad(series.start), !bad(series.step), series.step > 0, series.values.count <= 10_000_000,
                !series.values.contains(where: bad)
            else { return "\(name): a value is not finite, or the step is not positive" }
        }
        guard leadTimeCounts.count + 1 == leadTimeEdges.count || (leadTimeCounts.isEmpty && leadTimeEdges.isEmpty)
        else { return "leadTimeCounts: \(leadTimeCounts.count) bins for \(leadTimeEdges.count) edges" }
        if leadTimeEdges.contains(where: bad) || leadTimeCounts.contains(where: { $0 < 0 }) {
            return "leadTimeEdges: a value is out of range"
        }
        for (index, shift) in shifts.enumerated() where bad(shift.start) || bad(shift.end) || shift.good < 0 {
            return "shifts[\(index)]: out of range"
        }
        for (index, chart) in spc.enumerated() {
            guard chart.times.count == chart.values.count, chart.signalTimes.count == chart.signalValues.count,
                chart.signalRules.count == chart.signalTimes.count
            else { return "spc[\(index)]: the lists of times and values differ in length" }
            if ([chart.lower, chart.centre, chart.upper] + chart.times + chart.values + chart.signalTimes
                + chart.signalValues).contains(where: bad)
            {
                return "spc[\(index)]: a value is not finite or out of range"
            }
        }
        for (index, share) in bottleneck.enumerated() where bad(share.sole) || bad(share.shifting) {
            return "bottleneck[\(index)]: out of range"
        }
        if let warmup = suggestedWarmup, bad(warmup) { return "suggestedWarmup: out of range" }
        return nil
    }
}
