/// A training exercise on a scenario (`exercise:`): steps at given simulated times where a
/// live session pauses with a note for the trainer and a question for the room, and
/// incidents that happen on their own (their `do:` actions, carried out by the MES as
/// scripted incidents with the actor `exercise`). A batch run carries out the actions and
/// ignores the rest.
public struct Exercise: Sendable, Equatable {
    /// One step.
    public struct Step: Sendable, Equatable {
        /// Simulated seconds from the start.
        public var time: Double
        /// What the trainer should point out, and what to ask the room.
        public var note: String?
        public var question: String?
        /// Whether a live session pauses here (by default when the step has a note or a question).
        public var pause: Bool
        /// The step's actions as written (carried out as incidents).
        public var actions: [String]

        public init(time: Double, note: String? = nil, question: String? = nil, pause: Bool, actions: [String] = []) {
            self.time = time
            self.note = note
            self.question = question
            self.pause = pause
            self.actions = actions
        }
    }

    public var title: String
    /// The steps, by time.
    public var steps: [Step]

    public init(title: String, steps: [Step]) {
        self.title = title
        self.steps = steps.sorted { $0.time < $1.time }
    }
}

/// An incident from outside the scenario file: a command of a live session's log, carried
/// out at its simulated time and audited as it was then.
public struct ScriptedIncident: Sendable, Equatable {
    /// Simulated seconds from the start.
    public var time: Double
    /// The action, in the incident language.
    public var text: String
    /// Who gave it, and why (the audit trail's actor and reason).
    public var actor: String
    public var reason: String
    /// Where it was written, for error messages.
    public var source: String
    public var line: Int?

    public init(time: Double, text: String, actor: String, reason: String, source: String, line: Int?) {
        self.time = time
        self.text = text
        self.actor = actor
        self.reason = reason
        self.source = source
        self.line = line
    }
}
