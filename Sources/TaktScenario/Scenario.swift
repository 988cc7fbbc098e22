import TaktKernel
import TaktMES
import TaktPlant

/// A factory study read from a scenario file: the plant and how to run it.
public struct Scenario: Sendable {
    /// The scenario's name.
    public var name: String
    /// What it models, for people.
    public var description: String
    /// Simulated time per replication, after the warm-up, seconds.
    public var horizon: SimTime
    /// Time discarded at the start of each replication, seconds.
    public var warmup: SimTime
    /// Independent replications.
    public var replications: Int
    /// The scenario seed; every random stream derives from it.
    public var seed: UInt64
    /// The GSL generator.
    public var generator: GeneratorKind
    /// The plant, with every name resolved to an index.
    public var layout: PlantLayout
    /// Per station: planned runtime per unit for OEE (its `ideal_cycle`, else the mean of its
    /// cycle time), seconds. A product's `ideal_cycle` is the line's ideal cycle (line OEE).
    public var idealCycles: [SimTime]
    /// The MES's orders, release policy and dispatching rule, when the scenario has `mes:`.
    public var mes: (settings: MESSettings, dispatch: DispatchRuleKind)?
    /// The file it was read from.
    public var file: String
    /// The ISA-95 equipment hierarchy: `equipment:` names the site, area and line; the
    /// stations are its work centres and their machines its work units.
    public var equipment: EquipmentHierarchy
    /// The scenario's `assert:` list, judged by `takt check`.
    public var assertions: [Assertion] = []
    /// The scenario's `check:` section: which KPIs `takt check` compares with the baseline,
    /// and their tolerances.
    public var check = CheckSettings()
    /// The scenario's `exercise:` section: a training exercise for a live session.
    public var exercise: Exercise?
    /// Times (seconds from the start) at which each replication records the WIP at every
    /// station (`snapshot:` in the file, `--snapshot-at` on the command line).
    public var snapshots: [SimTime] = []
    /// What the reader allowed but flags (`file:line: …`), for the command line to print.
    public var warnings: [ScenarioIssue] = []
    /// `oee: { minor_stop: 5m }`: a stop shorter than this is a small stop (a performance
    /// loss), a longer one an availability loss of its cause. 5 minutes by default.
    public var minorStopThreshold: SimTime = OEECalculator.defaultMinorStopThreshold
    /// `run: { operator: "name <email>" }`: the person accountable for a traced run, recorded
    /// in its trace store (`--operator` overrides it).
    public var accountable: String?
}

extension Scenario {
    /// Calls `visitor` with the MES's dispatching rule: the built-in one the scenario names,
    /// specialised, or a ``SwitchableRule`` when rules or incidents switch to another rule.
    ///
    /// Inlinable so that the visitor's `visit` is specialised for the rule: called through a
    /// witness table it would run the whole simulation unspecialised (2.5× slower).
    @inlinable
    public func visitDispatchRule<Visitor: DispatchRuleVisitor>(_ visitor: Visitor) throws -> Visitor.Output {
        guard let mes else { preconditionFailure("no MES settings") }
        // `kinds[1...]` must match the MES's `dispatchRules` (the actions' rules, each once).
        var kinds = [mes.dispatch]
        for kind in mes.settings.rules.dispatchRules where !kinds.dropFirst().contains(kind) { kinds.append(kind) }
        guard kinds.contains(where: { $0 != mes.dispatch }) else { return try mes.dispatch.accept(visitor) }
        return try visitor.visit(SwitchableRule(kinds: kinds))
    }
}
