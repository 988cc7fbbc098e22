import Testing
import TaktMES
import TaktScenario

@Suite("A rule's audit entries say who answers for it and why it fired")
struct RuleReasonTests {
    @Test("the reason gives each fact of the condition with its value when the rule fired")
    func factValuesInTheReason() throws {
        // As in aRuleFiresExactlyWhenItsConditionBecomesTrue: WIP is 6 at 540 s and at 600 s,
        // the two moments the rule becomes true; s2 has finished units at 210, 330 and 450 s,
        // so at 540 s it finished 3 units in the last 10 min (and 3 again at 600 s: 210 s has
        // left the window, 570 s has come in).
        let scenario = try ruleScenario(
            """
              rules:
                - name: crowded
                  owner: "Grace Hopper <grace@example.com>"
                  when: "wip(line) > 5 and s2.units(last: 10m) >= 1"
                  then: page supervisor
            """)
        let entries = try auditedRun(scenario)
        let fired = entries.filter { $0.action == "rule-fired" }
        #expect(fired.map(\.time) == [540, 600])
        #expect(
            fired.first?.reason
                == "became true: wip(line) > 5 and s2.units(last: 10m) >= 1, with wip(line) = 6, s2.units(last: 10m) = 3"
        )
        let page = try #require(
            entries.first { $0.actor.hasPrefix("rule crowded") && $0.action != "rule-fired" && $0.time == 540 })
        #expect(page.reason.hasSuffix("with wip(line) = 6, s2.units(last: 10m) = 3"))
    }

    @Test("the owner from the scenario is named in the actor of every entry of the rule")
    func ownerNamed() throws {
        let scenario = try ruleScenario(
            """
              rules:
                - { name: crowded, owner: quality, when: "wip(line) > 5", then: page supervisor }
            """)
        let mine = try auditedRun(scenario).filter { $0.actor.hasPrefix("rule crowded") }
        #expect(!mine.isEmpty)
        #expect(mine.allSatisfy { $0.actor == "rule crowded (owner quality)" })
    }

    @Test("a fraction is shown to four decimals, a whole number as one")
    func shownValues() throws {
        let scenario = try ruleScenario(
            """
              rules:
                - { name: r, when: "wip(line) > 5 and s2.units(last: 10m) >= 1", then: page supervisor }
            """)
        let rule = try #require(scenario.mes?.settings.rules.rules.first)
        #expect(rule.factTexts.map(\.slot) == [0, 1])
        #expect(
            rule.reason(factValues: [0.0612345, 12])
                == "wip(line) > 5 and s2.units(last: 10m) >= 1, with wip(line) = 0.0612, s2.units(last: 10m) = 12")
    }
}

@Suite("A station action's entry says what the station was before")
struct StationActionOldValueTests {
    @Test("holding or failing a station records its machines' states before, setting its speed the speed before")
    func oldValues() throws {
        // s1 takes 2 min per unit and a unit arrives every minute: from 60 s on it is always
        // busy, so at 30 min and at 40 min its one machine is busy; the first speed change
        // finds the nominal speed 1, the second the 0.8 set before.
        let scenario = try ruleScenario(
            "",
            top: """
                incidents:
                  - { at: 30m, do: fail station s1 for 5m }
                  - { at: 40m, do: hold station s1 for 5m }
                  - { at: 50m, do: "set speed s1 = 80%" }
                  - { at: 60m, do: "set speed s1 = 50%" }
                """)
        let entries = try auditedRun(scenario).filter { $0.actor == "incident" }
        #expect(entries.map(\.action) == ["fail-station", "hold-station", "set-speed", "set-speed"])
        #expect(entries.map(\.old) == ["busy", "busy", "1.0", "0.8"])
        #expect(entries.map(\.new) == ["down for 300.0 s", "on hold for 300.0 s", "0.8", "0.5"])
    }
}
