import TaktKernel
import TaktMES
import TaktPlant

extension Reader {
    /// `mes.variables`, `mes.rules` and the top-level `incidents`, compiled against the
    /// scenario's names.
    ///
    /// ```yaml
    /// mes:
    ///   variables: { alarms: 0 }
    ///   rules:
    ///     - name: stop-placement-on-fails
    ///       when: "aoi.fail_rate(last: 1h) > 0.02"
    ///       then: [hold station place, page quality]
    /// incidents:
    ///   - { at: 3d 10h, do: fail station reflow for 2h }
    /// ```
    func readRules(
        variables variablesField: Field?, rules rulesField: Field?, incidents incidentsField: Field?,
        exerciseActions: [(time: Double, actions: Field)] = [], extraIncidents: [ScriptedIncident] = [],
        names: Names, orders: [String] = [],
        machines: [String] = []
    ) -> RuleSettings {
        var settings = RuleSettings()
        if let mapping = variablesField?.mapping(allowed: variablesField.map(Self.mappingKeys) ?? []) {
            for (name, field) in mapping.sorted(by: { $0.key < $1.key }) {
                guard case .scalar(let scalar) = field.node, let value = Double(scalar.string) else {
                    field.fail("expected a number as the starting value of `\(name)`; found \(field.found)")
                    continue
                }
                settings.variables.append((name, value))
            }
        }
        var vocabulary = LiveVocabulary(
            stations: names.stations, materials: names.materials, products: names.products,
            variables: settings.variables.map(\.name), orders: orders, defects: names.defects,
            machines: machines)
        for (index, item) in (rulesField?.sequence() ?? []).enumerated() {
            guard let entry = item.mapping(allowed: ["name", "owner", "when", "then"], required: ["when", "then"]),
                let whenField = entry["when"], let text = whenField.scalarText()
            else { continue }
            let name = entry["name"]?.string() ?? "#\(index + 1)"
            let owner = entry["owner"]?.string()
            var condition: RuleProgram?
            var factTexts: [(slot: Int32, text: String)] = []
            do throws(RuleError) {
                let syntax = try RuleParser.expression(text)
                condition = try RuleCompiler.condition(syntax, vocabulary: &vocabulary)
                factTexts = try Self.factTexts(syntax, in: text, vocabulary: &vocabulary)
            } catch {
                whenField.fail(error, in: text)
            }
            let actions = entry["then"].map { readActions($0, incident: false, vocabulary: &vocabulary) } ?? []
            if let condition {
                settings.rules.append(
                    MESRule(
                        name: name, condition: condition, actions: actions, text: text, owner: owner,
                        factTexts: factTexts))
            }
        }
        for item in incidentsField?.sequence() ?? [] {
            guard let entry = item.mapping(allowed: ["at", "do"], required: ["at", "do"]),
                let atField = entry["at"], let time = incidentTime(atField), let doField = entry["do"]
            else { continue }
            settings.incidents.append(incident(at: time, doField, vocabulary: &vocabulary))
        }
        // A training exercise's steps that act are incidents of the actor `exercise`.
        for (time, doField) in exerciseActions {
            settings.incidents.append(incident(at: time, doField, vocabulary: &vocabulary, actor: "exercise"))
        }
        for extra in extraIncidents {
            do throws(RuleError) {
                let action = try vocabulary.action(RuleParser.command(extra.text), incident: true)
                settings.incidents.append(
                    Incident(time: extra.time, actions: [action], text: extra.reason, actor: extra.actor))
            } catch {
                var issue = ScenarioIssue(
                    file: extra.source, line: extra.line, column: nil, path: "action", message: error.message,
                    suggestion: error.suggestion)
                issue.excerpt = error.excerpt(of: extra.text)
                root.diagnostics.issues.append(issue)
            }
        }
        settings.facts = vocabulary.facts
        return settings
    }

    /// An incident at `time` doing what `field` says (one action or a list), recorded as written.
    func incident(at time: Double, _ field: Field, vocabulary: inout LiveVocabulary, actor: String = "incident")
        -> Incident
    {
        let actions = readActions(field, incident: true, vocabulary: &vocabulary)
        // A list of actions is recorded as written, one after the other.
        let text =
            if case .sequence(let list) = field.node {
                list.compactMap(\.string).joined(separator: "; ")
            } else {
                field.scalarText() ?? ""
            }
        return Incident(time: time, actions: actions, text: text, actor: actor)
    }

    /// The facts of a compiled condition, each once, as written in `text`, with their slots.
    static func factTexts(_ syntax: RuleSyntax, in text: String, vocabulary: inout LiveVocabulary) throws(RuleError)
        -> [(slot: Int32, text: String)]
    {
        let characters = Array(text)
        var found: [(slot: Int32, text: String)] = []
        func visit(_ node: RuleSyntax) throws(RuleError) {
            switch node {
            case .number, .boolean, .text: return
            case .unary(_, let operand, _): try visit(operand)
            case .binary(_, let left, let right, _):
                try visit(left)
                try visit(right)
            case .path(_, let span), .call(_, _, let span), .phrase(_, let span):
                let slot = try vocabulary.fact(node).slot
                guard !found.contains(where: { $0.slot == slot }) else { return }
                let range = max(0, span.start)..<min(characters.count, span.end)
                found.append((slot, String(characters[range]).trimmingWhitespace()))
            }
        }
        try visit(syntax)
        return found
    }

    static func mappingKeys(_ field: Field) -> [String] {
        guard case .mapping(let mapping) = field.node else { return [] }
        return mapping.keys.compactMap { $0.string }
    }

    /// One action (a text) or a list of them.
    func readActions(_ field: Field, incident: Bool, vocabulary: inout LiveVocabulary) -> [RuleAction] {
        let items: [Field]
        if case .sequence = field.node {
            items = field.sequence() ?? []
        } else {
            items = [field]
        }
        var actions: [RuleAction] = []
        for item in items {
            guard let text = item.scalarText() else { continue }
            do throws(RuleError) {
                actions.append(try vocabulary.action(RuleParser.command(text), incident: incident))
            } catch {
                item.fail(error, in: text)
            }
        }
        if items.isEmpty { field.fail("expected at least one action") }
        return actions
    }

    /// `54h`, or a day and a time of day: `3d 10:00` (3 days and 10 hours from the start).
    func incidentTime(_ field: Field) -> Double? {
        guard let text = field.scalarText() else { return nil }
        let parts = text.split(separator: " ")
        if parts.count == 2, let clock = Self.clockTime(String(parts[1])) {
            guard case .success(let day) = Quantity.parse(String(parts[0]), as: .duration) else {
                field.fail("expected a time such as `54h` or `3d 10:00`; found `\(text)`")
                return nil
            }
            return day + clock
        }
        switch Quantity.parse(text, as: .duration) {
        case .success(let seconds) where seconds >= 0: return seconds
        case .success: field.fail("an incident's time cannot be negative")
        case .failure(let error):
            field.fail(error.message + "; or a day and a time of day such as `3d 10:00`", suggestion: error.suggestion)
        }
        return nil
    }

    /// `10:00` or `10:30:15` as seconds since midnight.
    static func clockTime(_ text: String) -> Double? {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        let values = parts.map { $0! }
        guard values[0] < 24, values[1] < 60, values.count < 3 || values[2] < 60 else { return nil }
        return Double(values[0] * 3_600 + values[1] * 60 + (values.count == 3 ? values[2] : 0))
    }

    /// `mes.maintenance`: preventive maintenance plans.
    ///
    /// ```yaml
    /// maintenance:
    ///   - { station: reflow, every: 5000 units, duration: 45m }
    ///   - { station: place, every: 7d, duration: 2h }             # calendar time
    ///   - { station: print, every: 40h operating, duration: 30m } # processing time
    ///   - { station: reflow, every: 7d, duration: 4h, planned: true } # planned down time
    /// ```
    func readMaintenance(_ field: Field, names: Names) -> [MaintenancePlan] {
        (field.sequence() ?? []).compactMap { item in
            guard
                let entry = item.mapping(
                    allowed: ["station", "every", "duration", "planned"], required: ["station", "every", "duration"]),
                let station = resolve(entry["station"], in: names.stations, what: "station"),
                let everyField = entry["every"], let text = everyField.scalarText(),
                let duration = entry["duration"]?.quantity(.duration, above: 0)
            else { return nil }
            let words = text.split(separator: " ").map(String.init)
            let trigger: MaintenancePlan.Trigger
            if words.count == 2, words[1] == "units" || words[1] == "unit" {
                guard let count = Int(words[0]), count >= 1 else {
                    everyField.fail("expected a whole number of units such as `5000 units`; found `\(text)`")
                    return nil
                }
                trigger = .units(count)
            } else if words.count == 2, words[1] == "operating" {
                guard case .success(let seconds) = Quantity.parse(words[0], as: .duration), seconds > 0 else {
                    everyField.fail("expected an operating time such as `40h operating`; found `\(text)`")
                    return nil
                }
                trigger = .operatingTime(seconds)
            } else if words.count == 1, case .success(let seconds) = Quantity.parse(words[0], as: .duration),
                seconds > 0
            {
                guard seconds > duration else {
                    everyField.fail(
                        "maintenance every \(text) that lasts \(Format.duration(duration)) leaves no time to work; give a longer interval"
                    )
                    return nil
                }
                trigger = .calendarTime(seconds)
            } else if words.count == 1, case .failure(let error) = Quantity.parse(words[0], as: .duration),
                words[0].first?.isNumber ?? false
            {
                everyField.fail(error.message, suggestion: error.suggestion)
                return nil
            } else {
                everyField.fail(
                    "expected a calendar time (`7d`), an operating time (`40h operating`) or a unit count (`5000 units`); found `\(text)`"
                )
                return nil
            }
            var planned = false
            if let field = entry["planned"] {
                guard let value = field.bool() else { return nil }
                planned = value
            }
            return MaintenancePlan(station: station, trigger: trigger, duration: duration, planned: planned)
        }
    }
}

extension String {
    /// Without spaces at either end.
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
