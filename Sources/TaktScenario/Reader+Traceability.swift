import TaktKernel
import TaktMES
import TaktPlant

extension Reader {
    /// `mes.traceability`: the granularity the MES records at and the bad lots it is told of.
    ///
    /// ```yaml
    /// traceability:
    ///   granularity: serial          # serial, lot (work order) or window
    ///   window: 1h                   # the window granularity's resolution (default 1h)
    ///   recall: [{ material: wifi-soc, lot: 3, at: 5d, investigation: 4h }]
    /// ```
    func readTraceability(_ field: Field, names: Names) -> TraceabilitySettings? {
        guard let entry = field.mapping(allowed: ["granularity", "window", "recall"]) else { return nil }
        let window = entry["window"].map { $0.quantity(.duration, above: 0) } ?? 3_600
        var granularity = TraceGranularity.serial
        if let field = entry["granularity"], let text = field.string() {
            switch text {
            case "serial": granularity = .serial
            case "lot": granularity = .workOrder
            case "window": granularity = .window(seconds: window ?? 3_600)
            default:
                field.fail(
                    "unknown granularity `\(text)`; expected serial, lot or window",
                    suggestion: nearestName(to: text, in: ["serial", "lot", "window"]))
            }
        }
        let recalls = (entry["recall"]?.sequence() ?? []).compactMap { item -> LotRecall? in
            guard
                let recall = item.mapping(
                    allowed: ["material", "lot", "at", "investigation"], required: ["material", "lot", "at"]),
                let material = resolve(recall["material"], in: names.materials, what: "material"),
                let lot = recall["lot"]?.int(in: 1...Int(Int32.max), what: "a lot number (1, 2, …)"),
                let time = recall["at"]?.quantity(.duration, atLeast: 0)
            else { return nil }
            let investigation = recall["investigation"].map { $0.quantity(.duration, atLeast: 0) } ?? 4 * 3_600
            guard let investigation else { return nil }
            return LotRecall(material: Int32(material), lot: Int32(lot), time: time, investigation: investigation)
        }
        guard window != nil else { return nil }
        return TraceabilitySettings(granularity: granularity, window: window ?? 3_600, recalls: recalls)
    }
}
