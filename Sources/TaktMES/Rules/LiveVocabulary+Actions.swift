import TaktKernel

extension LiveVocabulary {
    /// The verbs of a rule's `then:`, and those only an incident's `do:` may use.
    public static let ruleVerbs = ["hold", "release", "abort", "dispatch", "maintain", "adjust", "page", "set"]
    public static let incidentVerbs = ["fail", "repair", "mark", "add"]

    /// Binds a parsed command to an action; `incident` allows the incident-only verbs.
    public mutating func action(_ command: RuleCommand, incident: Bool) throws(RuleError) -> RuleAction {
        var words = WordReader(command: command)
        let verbs = Self.ruleVerbs + (incident ? Self.incidentVerbs : [])
        switch command.verb {
        case "hold":
            if words.skip("unit") {
                if let serial = try serialWord(&words) { return .holdUnit(serial: serial) }
                guard !incident else {
                    throw RuleError(
                        "an incident has no event's unit: name one, as in `hold unit 120`", at: command.span)
                }
                try words.end()
                return .holdUnit(serial: 0)
            }
            if words.skip("lot") {
                let (material, lot) = try lotWords(&words, defaultOpen: true)
                return .holdLot(material: material, lot: lot)
            }
            if words.skip("order") { return .holdOrder(try orderWord(&words)) }
            _ = words.skip("station")
            let station = try stationWord(&words)
            let duration = words.skip("for") ? try words.duration() : 0
            try words.end()
            return .holdStation(station, duration: duration)
        case "release":
            if words.skip("units") {
                try words.end()
                return .releaseUnit(serial: 0)
            }
            if words.skip("unit") {
                guard let serial = try serialWord(&words) else {
                    throw RuleError(
                        "`release unit` needs a unit's serial number, as in `release unit 120` (or `release units` for every unit put on hold)",
                        at: command.span)
                }
                return .releaseUnit(serial: serial)
            }
            if words.skip("lot") {
                let (material, lot) = try lotWords(&words, defaultOpen: false)
                try words.end()
                return .releaseLot(material: material, lot: lot)
            }
            if words.skip("order") { return .releaseOrder(try orderWord(&words)) }
            _ = words.skip("station")
            let station = try stationWord(&words)
            try words.end()
            return .releaseStation(station)
        case "abort":
            try words.expect("order", "as in `abort order WO-17`")
            return .abortOrder(try orderWord(&words))
        case "dispatch":
            let rule = try dispatchWord(&words)
            try words.end()
            return .dispatch(rule)
        case "maintain":
            _ = words.skip("station")
            let station = try stationWord(&words)
            try words.expect("for", "before the duration, as in `maintain reflow for 45m`")
            let duration = try words.duration()
            try words.end()
            return .maintain(station: station, duration: duration)
        case "adjust":
            _ = words.skip("process") || words.skip("station")
            let station = try stationWord(&words)
            try words.end()
            return .adjust(station: station)
        case "page":
            guard let role = words.next(), let name = role.name else {
                throw RuleError("`page` needs a role, as in `page quality`", at: command.span)
            }
            _ = words.rest()
            return .page(role: name)
        case "set":
            return try setAction(command, &words)
        case "fail" where incident:
            if words.skip("machine") {
                let machine = try machineWord(&words)
                try words.expect("for", "before the repair time, as in `fail machine place-2 for 1h`")
                let repair = try words.duration()
                try words.end()
                return .failMachine(machine, repair: repair)
            }
            _ = words.skip("station")
            let station = try stationWord(&words)
            try words.expect("for", "before the repair time, as in `fail station reflow for 2h`")
            let repair = try words.duration()
            try words.end()
            return .failStation(station, repair: repair)
        case "repair" where incident:
            try words.expect("machine", "as in `repair machine place-2`")
            let machine = try machineWord(&words)
            try words.end()
            return .repairMachine(machine)
        case "mark" where incident:
            try words.expect("lot", "as in `mark lot wifi-soc/3 bad`")
            let (material, lot) = try lotWords(&words, defaultOpen: false)
            try words.expect("bad", "after the lot, as in `mark lot wifi-soc/3 bad`")
            guard words.skip("with") else {
                try words.end()
                return .markLotBad(material: material, lot: lot)
            }
            // `with p 0.3 [defect NAME]`: the lot was bad from the start; units built with it
            // get the defect (by default named after the material) with that probability.
            try words.expect("p", "after `with`, as in `mark lot wifi-soc/3 bad with p 0.3`")
            let p = try words.number("a defect probability")
            guard (0...1).contains(p) else {
                throw RuleError("a defect probability lies from 0 to 1; found \(p)", at: words.lastSpan)
            }
            var defectName = materials[Int(material)]
            if words.skip("defect") {
                guard let word = words.next(), let name = word.name else {
                    throw RuleError("expected a defect name after `defect`", at: words.span)
                }
                defectName = name
            }
            try words.end()
            guard let defect = defects.firstIndex(of: defectName) else {
                throw RuleError(
                    "unknown defect `\(defectName)`", at: command.span,
                    suggestion: nearestName(to: defectName, in: defects))
            }
            return .markLotBad(material: material, lot: lot, probability: p, defect: Int32(defect))
        case "add" where incident:
            return try addOrder(&words)
        default:
            throw RuleError(
                "unknown action `\(command.verb)`; expected \(verbs.joined(separator: ", "))", at: command.verbSpan,
                suggestion: nearestName(to: command.verb, in: verbs))
        }
    }

    mutating func setAction(_ command: RuleCommand, _ words: inout WordReader) throws(RuleError) -> RuleAction {
        guard let target = words.next(), let name = target.name else {
            throw RuleError("`set` needs what to set, as in `set mode = 1`", at: command.span)
        }
        switch name {
        case "dispatch":
            _ = words.skip("to")
            let rule = try dispatchWord(&words)
            try words.end()
            return .dispatch(rule)
        case "wip_cap":
            guard let value = command.assigned, case .number(let cap, nil, _) = value, cap >= 1, cap == cap.rounded(),
                cap <= Double(Self.maximumCount)
            else {
                throw RuleError(
                    "`set wip_cap = N` needs a whole number from 1 to \(Self.maximumCount)", at: command.span)
            }
            return .setWIPCap(Int(cap))
        case "release":
            _ = words.skip("to")
            guard let word = words.next(), let policy = word.name, ["push", "conwip"].contains(policy) else {
                throw RuleError(
                    "`set release` takes push or conwip with a cap, as in `set release conwip 40`", at: command.span)
            }
            guard policy == "conwip" else {
                try words.end()
                return .setRelease(.push)
            }
            let cap = try words.number("a WIP cap")
            guard cap >= 1, cap == cap.rounded(), cap <= Double(Self.maximumCount) else {
                throw RuleError("a WIP cap is a whole number from 1 to \(Self.maximumCount)", at: words.lastSpan)
            }
            try words.end()
            return .setRelease(.conwip(cap: Int(cap)))
        case "speed":
            let station = try stationWord(&words)
            guard let value = command.assigned, case .number(let share, let unit, let span) = value,
                unit == "%" || unit == nil
            else {
                throw RuleError("`set speed STATION = 80%` needs a share", at: command.span)
            }
            let fraction = unit == "%" ? share / 100 : share
            guard fraction > 0 else { throw RuleError("a speed must be above 0%", at: span) }
            return .setSpeed(station: station, share: fraction)
        default:
            guard let v = variables.firstIndex(of: name) else {
                throw RuleError(
                    "unknown variable `\(name)`; declare it under `variables:`", at: target.span,
                    suggestion: nearestName(to: name, in: variables + ["dispatch", "wip_cap", "release", "speed"]))
            }
            try words.end(assigning: true)
            guard let assigned = command.assigned else {
                throw RuleError("expected `=` and a value, as in `set \(name) = 1`", at: command.span)
            }
            let program = try RuleCompiler.compile(assigned, vocabulary: &self)
            guard program.type == .number else {
                throw RuleError("a variable holds a number; this is \(program.type)", at: assigned.span)
            }
            return .set(variable: Int32(v), value: program)
        }
    }

    mutating func addOrder(_ words: inout WordReader) throws(RuleError) -> RuleAction {
        let urgent = words.skip("urgent")
        try words.expect("order", "as in `add urgent order router-ax3000 x 20 due 8h`")
        guard let productWord = words.next(), let productName = productWord.name else {
            throw RuleError("expected a product after `order`", at: words.span)
        }
        guard let product = products.firstIndex(of: productName) else {
            throw RuleError(
                "unknown product `\(productName)`", at: productWord.span,
                suggestion: nearestName(to: productName, in: products))
        }
        _ = words.skip("x")
        let quantity = try words.number("a quantity")
        guard quantity >= 1, quantity == quantity.rounded(), quantity <= Double(Self.maximumCount) else {
            throw RuleError("a quantity is a whole number from 1 to \(Self.maximumCount)", at: words.lastSpan)
        }
        try words.expect("due", "before the time allowed, as in `due 8h`")
        let due = try words.duration()
        try words.end()
        return .addOrder(product: Int32(product), quantity: Int(quantity), dueIn: due, priority: urgent ? 10 : 1)
    }

    /// An order book's order after `order`: its id as the book writes it (a name or a number).
    func orderWord(_ words: inout WordReader) throws(RuleError) -> Int32 {
        guard let word = words.next() else {
            throw RuleError("expected an order id of the order book, as in `hold order WO-17`", at: words.span)
        }
        let name: String
        if let text = word.name {
            name = text
        } else if case .number(let value, nil) = word.value, value == value.rounded(), abs(value) < 1e15 {
            name = "\(Int(value))"
        } else {
            throw RuleError("expected an order id of the order book, as in `hold order WO-17`", at: word.span)
        }
        guard let index = orders.firstIndex(of: name) else {
            let known = orders.isEmpty ? "the scenario has no order book (`mes.orders.book`)" : "not in the order book"
            throw RuleError(
                "unknown order `\(name)`: \(known)", at: word.span, suggestion: nearestName(to: name, in: orders))
        }
        try words.end()
        return Int32(index)
    }

    /// A unit's serial number after `unit`, if one follows (then nothing may follow it).
    func serialWord(_ words: inout WordReader) throws(RuleError) -> Int? {
        guard let next = words.peek(), case .number(let value, nil) = next.value else { return nil }
        _ = words.next()
        guard value >= 1, value == value.rounded(), value < 1e15 else {
            throw RuleError("a unit's serial number is a whole number 1, 2, …", at: next.span)
        }
        try words.end()
        return Int(value)
    }

    func stationWord(_ words: inout WordReader) throws(RuleError) -> Int32 {
        guard let word = words.next(), let name = word.name else {
            throw RuleError("expected a station name", at: words.span)
        }
        guard let index = stations.firstIndex(of: name) else {
            throw RuleError("unknown station `\(name)`", at: word.span, suggestion: nearestName(to: name, in: stations))
        }
        return Int32(index)
    }

    func machineWord(_ words: inout WordReader) throws(RuleError) -> Int32 {
        guard let word = words.next(), var name = word.name else {
            throw RuleError("expected a machine name, as in `place-2`", at: words.span)
        }
        // `place-2` reads as the name `place` and the number −2 right after it.
        if let suffix = words.peek(), case .number(let value, nil) = suffix.value, value < 0,
            value == value.rounded(), suffix.span.start == word.span.end
        {
            _ = words.next()
            name += "-\(Int(-value))"
        }
        guard let index = machines.firstIndex(of: name) else {
            throw RuleError("unknown machine `\(name)`", at: word.span, suggestion: nearestName(to: name, in: machines))
        }
        return Int32(index)
    }

    func lotWords(_ words: inout WordReader, defaultOpen: Bool) throws(RuleError) -> (Int32, Int32) {
        guard let word = words.next(), let name = word.name else {
            throw RuleError("expected a material, as in `wifi-soc/3`", at: words.span)
        }
        guard let material = materials.firstIndex(of: name) else {
            throw RuleError(
                "unknown material `\(name)`", at: word.span, suggestion: nearestName(to: name, in: materials))
        }
        if let next = words.peek(), case .number(let lot, nil) = next.value {
            _ = words.next()
            guard lot >= 1, lot == lot.rounded(), lot <= Double(Int32.max) else {
                throw RuleError("a lot number is a whole number from 1 to \(Int32.max)", at: next.span)
            }
            return (Int32(material), Int32(lot))
        }
        guard defaultOpen else { throw RuleError("expected a lot number, as in `\(name)/3`", at: word.span) }
        return (Int32(material), 0)
    }

    func dispatchWord(_ words: inout WordReader) throws(RuleError) -> DispatchRuleKind {
        guard let word = words.next(), let name = word.name else {
            throw RuleError("expected a dispatching rule such as `edd`", at: words.span)
        }
        guard let kind = DispatchRuleKind(name: name) else {
            throw RuleError(
                "unknown dispatching rule `\(name)`; expected \(DispatchRuleKind.names.joined(separator: ", "))",
                at: word.span, suggestion: nearestName(to: name, in: DispatchRuleKind.names))
        }
        return kind
    }
}

/// Reads the words of a command one by one.
struct WordReader {
    let command: RuleCommand
    var index = 0
    var lastSpan: RuleSpan

    init(command: RuleCommand) {
        self.command = command
        lastSpan = command.verbSpan
    }

    /// Where the next word is (or the end of the command).
    var span: RuleSpan {
        index < command.words.count ? command.words[index].span : RuleSpan(command.span.end, command.span.end + 1)
    }

    func peek() -> RuleWord? { index < command.words.count ? command.words[index] : nil }

    mutating func next() -> RuleWord? {
        guard let word = peek() else { return nil }
        index += 1
        lastSpan = word.span
        return word
    }

    /// Skips `word` if it comes next.
    mutating func skip(_ word: String) -> Bool {
        guard peek()?.name == word else { return false }
        index += 1
        return true
    }

    mutating func expect(_ word: String, _ hint: String) throws(RuleError) {
        guard skip(word) else {
            throw RuleError("expected `\(word)` \(hint)", at: span)
        }
    }

    mutating func number(_ what: String) throws(RuleError) -> Double {
        guard let word = next(), case .number(let value, nil) = word.value else {
            throw RuleError("expected \(what)", at: lastSpan == span ? span : lastSpan)
        }
        return value
    }

    mutating func duration() throws(RuleError) -> Double {
        let at = span
        guard let word = next(), case .number(let value, let unit) = word.value else {
            throw RuleError("expected a duration such as `45m`", at: at)
        }
        guard let unit, let factor = RuleCompiler.seconds(per: unit), value > 0 else {
            throw RuleError("expected a positive duration with a unit, such as `45m`", at: word.span)
        }
        guard (DurationLimits.minimum...DurationLimits.maximum).contains(value * factor) else {
            throw RuleError("expected a duration from 1 µs to 10⁹ s (about 31 years)", at: word.span)
        }
        return value * factor
    }

    mutating func rest() -> [RuleWord] {
        defer { index = command.words.count }
        return Array(command.words[index...])
    }

    func end(assigning: Bool = false) throws(RuleError) {
        if let word = peek() {
            throw RuleError("unexpected words at the end of the action", at: word.span.joined(command.words.last!.span))
        }
        if command.assigned != nil, !assigning {
            throw RuleError("this action takes no `=`", at: command.span)
        }
    }
}
