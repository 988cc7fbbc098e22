/// A built-in dispatching rule chosen by name in a scenario (`dispatch: edd`).
public indirect enum DispatchRuleKind: Sendable, Equatable, CustomStringConvertible {
    case fifo, fcfsOperation, spt, lpt, edd, criticalRatio, minimumSlack
    case atc(k: Double)
    /// No changeover first, then the base rule.
    case setupAware(base: DispatchRuleKind)

    /// The names a scenario may use.
    public static let names = [
        "fifo", "fcfs-operation", "spt", "lpt", "edd", "cr", "min-slack", "atc", "setup-aware",
    ]

    /// The rule called `name`; `setup-aware` takes `base` (FIFO when nil).
    public init?(name: String, base: DispatchRuleKind? = nil) {
        switch name {
        case "fifo": self = .fifo
        case "fcfs-operation": self = .fcfsOperation
        case "spt": self = .spt
        case "lpt": self = .lpt
        case "edd": self = .edd
        case "cr": self = .criticalRatio
        case "min-slack": self = .minimumSlack
        case "atc": self = .atc(k: 2)
        case "setup-aware": self = .setupAware(base: base ?? .fifo)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .fifo: "fifo"
        case .fcfsOperation: "fcfs-operation"
        case .spt: "spt"
        case .lpt: "lpt"
        case .edd: "edd"
        case .criticalRatio: "cr"
        case .minimumSlack: "min-slack"
        case .atc(let k): "atc(k: \(k))"
        case .setupAware(let base): "setup-aware(\(base))"
        }
    }

    /// Calls `visitor` with the concrete rule, so that code generic over the rule is
    /// specialised for each built-in one.
    @inlinable
    public func accept<Visitor: DispatchRuleVisitor>(_ visitor: Visitor) throws -> Visitor.Output {
        switch self {
        case .fifo: try visitor.visit(FIFORule())
        case .fcfsOperation: try visitor.visit(FCFSOperationRule())
        case .spt: try visitor.visit(SPTRule())
        case .lpt: try visitor.visit(LPTRule())
        case .edd: try visitor.visit(EDDRule())
        case .criticalRatio: try visitor.visit(CriticalRatioRule())
        case .minimumSlack: try visitor.visit(MinimumSlackRule())
        case .atc(let k): try visitor.visit(ATCRule(k: k))
        case .setupAware(let base):
            switch base {
            case .fcfsOperation: try visitor.visit(SetupAwareRule(base: FCFSOperationRule()))
            case .spt: try visitor.visit(SetupAwareRule(base: SPTRule()))
            case .lpt: try visitor.visit(SetupAwareRule(base: LPTRule()))
            case .edd: try visitor.visit(SetupAwareRule(base: EDDRule()))
            case .criticalRatio: try visitor.visit(SetupAwareRule(base: CriticalRatioRule()))
            case .minimumSlack: try visitor.visit(SetupAwareRule(base: MinimumSlackRule()))
            case .atc(let k): try visitor.visit(SetupAwareRule(base: ATCRule(k: k)))
            default: try visitor.visit(SetupAwareRule(base: FIFORule()))
            }
        }
    }
}

/// Code that runs with a concrete dispatching rule (see ``DispatchRuleKind/accept(_:)``).
public protocol DispatchRuleVisitor {
    associatedtype Output
    func visit<Rule: DispatchRule>(_ rule: Rule) throws -> Output
}

extension DispatchRuleKind {
    /// Picks a unit as the built-in rule this names would.
    public func select(_ c: DispatchCandidates) -> Int {
        switch self {
        case .fifo: FIFORule().select(c)
        case .fcfsOperation: FCFSOperationRule().select(c)
        case .spt: SPTRule().select(c)
        case .lpt: LPTRule().select(c)
        case .edd: EDDRule().select(c)
        case .criticalRatio: CriticalRatioRule().select(c)
        case .minimumSlack: MinimumSlackRule().select(c)
        case .atc(let k): ATCRule(k: k).select(c)
        case .setupAware(let base): SetupAwareRule(base: SwitchableRule(kinds: [base])).select(c)
        }
    }
}

/// The dispatching rule of an MES whose rules may switch it (`dispatch spt` in a rule's
/// actions): the rule in force is picked by ``DispatchCandidates/activeRule`` with a switch
/// over an enum, so a decision stays a direct call.
public struct SwitchableRule: DispatchRule {
    /// The scenario's rule first, then those the actions name.
    public let kinds: [DispatchRuleKind]

    /// A rule that starts as `kinds[0]`.
    public init(kinds: [DispatchRuleKind]) { self.kinds = kinds }
    /// The scenario's rule (the audit trail names the rule in force at each decision).
    public var name: String { kinds.first?.description ?? "fifo" }

    public func select(_ c: DispatchCandidates) -> Int {
        let index = Int(c.activeRule)
        return kinds[index < kinds.count ? index : 0].select(c)
    }
}
