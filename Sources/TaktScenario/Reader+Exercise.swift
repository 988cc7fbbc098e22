extension Reader {
    /// `exercise: { title: …, steps: [{ at: 3d 08:00, note: …, question: …, pause: true, do: … }] }`.
    /// Returns the exercise and its steps' `do:` fields with their times, which are read with
    /// the incidents (``readRules``).
    func readExercise(_ field: Field) -> (exercise: Exercise, actions: [(time: Double, actions: Field)])? {
        guard let section = field.mapping(allowed: ["title", "steps"], required: ["title", "steps"]),
            let title = section["title"]?.string(), let stepsField = section["steps"]
        else { return nil }
        guard let items = stepsField.sequence() else { return nil }
        if items.isEmpty { stepsField.fail("expected at least one step, e.g. `- { at: 1d, note: \"…\" }`") }
        var steps: [Exercise.Step] = []
        var acting: [(time: Double, actions: Field)] = []
        for item in items {
            guard
                let entry = item.mapping(
                    allowed: ["at", "note", "question", "pause", "do"], required: ["at"]),
                let atField = entry["at"], let time = incidentTime(atField)
            else { continue }
            let note = entry["note"]?.string()
            let question = entry["question"]?.string()
            let actions: [String] =
                if case .sequence(let list)? = entry["do"]?.node {
                    list.compactMap(\.string)
                } else {
                    entry["do"]?.scalarText().map { [$0] } ?? []
                }
            if let doField = entry["do"] { acting.append((time, doField)) }
            let pause = entry["pause"]?.bool() ?? (note != nil || question != nil)
            if !pause, note == nil, question == nil, actions.isEmpty {
                item.fail("a step does something: give it a `note:`, a `question:`, `pause: true` or `do:` actions")
            }
            steps.append(Exercise.Step(time: time, note: note, question: question, pause: pause, actions: actions))
        }
        return (Exercise(title: title, steps: steps), acting)
    }
}
