import TaktPlant

/// The audit trail's side in the MES: entries wait here until a trace store takes them.
extension MESCore {
    /// Appends an audit entry (callers check ``MESSettings/audits`` first).
    mutating func audit(
        _ time: Double, _ actor: String, _ action: String, _ subject: String, _ reason: String, old: String = "",
        new: String = ""
    ) {
        pendingAudit.append(
            AuditEntry(time: time, actor: actor, action: action, subject: subject, reason: reason, old: old, new: new))
    }

    /// Puts the audit entries made since the last call in `entries`, replacing what was there;
    /// the buffers trade places, so a trace store draining after every event allocates nothing.
    public mutating func drainAudit(into entries: inout [AuditEntry]) {
        entries.removeAll(keepingCapacity: true)
        swap(&entries, &pendingAudit)
    }

    /// Names the dispatching rules for the audit trail: `scenarioRule` is the scenario's own
    /// rule, the others are ``dispatchRules``.
    mutating func nameDispatchRules(scenarioRule: String) {
        dispatchRuleNames = [scenarioRule] + dispatchRules.map(\.description)
        dispatchActors = dispatchRuleNames.map { "dispatch \($0)" }
    }

    /// Records a dispatching decision: the rule in force gave `machine` the unit `serial`, out
    /// of `waiting` units. Only decisions with a choice (two or more waiting) come here.
    @usableFromInline
    mutating func auditDispatch(serial: Int, waiting: Int, machine: Int32, at time: Double) {
        let rule = Int(activeDispatch)
        pendingAudit.append(
            AuditEntry(
                time: time, actor: dispatchActors[rule < dispatchActors.count ? rule : 0], action: "dispatch",
                subject: "unit \(serial)", reason: "chosen from \(waiting) waiting",
                old: stationSubjects[Int(stationOfMachine[Int(machine)])], new: machineSubjects[Int(machine)]))
    }

    /// A finite supply's events: a station short of a material or supplied again, a lot delivered.
    mutating func auditMaterial(_ observation: PlantObservation, at time: Double) {
        switch observation {
        case .materialShortage(let station, let material, let short):
            let name = materialNames[Int(material)]
            audit(
                time, "material", short ? "material-shortage" : "material-restored", stationSubjects[Int(station)],
                short ? "\(name) ran out: no lot at the line for the next unit" : "a lot of \(name) reached the line",
                old: short ? "supplied" : "short of \(name)", new: short ? "short of \(name)" : "supplied")
        case .lotDelivered(let material):
            audit(
                time, "material", "lot-delivered", "material \(materialNames[Int(material)])",
                "replenishment of a used-up lot")
        default:
            break
        }
    }

    /// A lot as the audit trail names it: `lot wifi-soc/3`.
    func lotSubject(material: Int32, lot: Int32) -> String { "lot \(materialNames[Int(material)])/\(lot)" }
}
