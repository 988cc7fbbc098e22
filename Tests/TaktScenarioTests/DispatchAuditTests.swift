import Foundation
import Testing
import TaktExperiment
import TaktMES
import TaktScenario

/// One press, 1 min per board; three one-board orders arrive at time 0, due in 3 h, 1 h and
/// 2 h, released at once and dispatched by earliest due date.
let dispatchAuditScenario = """
    name: dispatch-audit
    horizon: 1h
    replications: 1
    stations:
      - { id: press, cycle: const(1m) }
    products:
      - { id: board, route: [press] }
    mes:
      orders: { book: orders.csv }
      release: push
      dispatch: edd
    """

/// Replication 0 of `scenario` under `rule` with the audit trail on: its dispatch entries.
func dispatchEntries<Rule: DispatchRule>(_ scenario: Scenario, rule: Rule) throws -> [AuditEntry] {
    var mes = try auditedMES(scenario, rule: rule)
    return mes.drainAudit().filter { $0.action == "dispatch" }
}

@Suite struct DispatchingDecisionsInTheAuditTrail {
    @Test func eachChoiceAmongWaitingUnitsIsRecordedWithTheRuleThatMadeIt() throws {
        // All three boards are released at 0 and the press picks at the end of that instant:
        // board 2 (due 1 h) of 3 waiting. At 1 min it picks board 3 (due 2 h) over board 1
        // (3 h). At 2 min board 1 is alone: no choice, no entry.
        let scenario = try scenarioWithBook(
            dispatchAuditScenario, book: "product,quantity,due\nboard,1,3h\nboard,1,1h\nboard,1,2h\n")
        let entries = try dispatchEntries(scenario, rule: EDDRule())
        #expect(entries.map(\.time) == [0, 60])
        #expect(entries.map(\.subject) == ["unit 2", "unit 3"])
        #expect(entries.map(\.reason) == ["chosen from 3 waiting", "chosen from 2 waiting"])
        #expect(
            entries.allSatisfy {
                $0.actor == "dispatch edd" && $0.old == "station press" && $0.new == "machine press-1"
            })
    }

    @Test func aRuleThatSwitchesDispatchingIsNamedAtTheDecisionsAfterTheSwitch() throws {
        // A scripted incident switches to shortest processing time at 30 s: the decision at
        // 0 is still EDD's, the one at 1 min SPT's.
        let scenario = try scenarioWithBook(
            dispatchAuditScenario + "\nincidents: [{ at: 30s, do: set dispatch spt }]",
            book: "product,quantity,due\nboard,1,3h\nboard,1,1h\nboard,1,2h\n")
        let entries = try dispatchEntries(scenario, rule: SwitchableRule(kinds: [.edd, .spt]))
        #expect(entries.map(\.actor) == ["dispatch edd", "dispatch spt"])
    }
}
