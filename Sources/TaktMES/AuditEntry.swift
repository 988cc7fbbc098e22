/// One MES decision or record change for the audit trail: who (a rule, a policy, a scripted
/// incident), what, when in simulated time, why (a reason code), and the old and new value.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// Seconds since time 0.
    public var time: Double
    /// Who decided: `release-policy`, `order-tracking`, `spc`, `recall`.
    public var actor: String
    /// What was done: `release`, `order-state`, `spc-signal`, `adjust`, `hold-station`,
    /// `quarantine-lot`, `hold-unit`, `release-unit`, `scrap-unit`.
    public var action: String
    /// What it was done to: `order WO-1042` (the order book's id), `unit 345`, `station print`, `machine place-2`,
    /// `lot wifi-soc/3`.
    public var subject: String
    /// Why: the rule or policy and its trigger.
    public var reason: String
    /// The value before and after.
    public var old: String
    public var new: String

    /// An entry.
    public init(
        time: Double, actor: String, action: String, subject: String, reason: String, old: String = "",
        new: String = ""
    ) {
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.reason = reason
        self.old = old
        self.new = new
    }

    /// The canonical one-line text the hash chain covers (tab-separated fields).
    public var canonical: String {
        ["\(time)", actor, action, subject, reason, old, new].joined(separator: "\t")
    }
}
