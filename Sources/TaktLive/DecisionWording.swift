import TaktMES

/// An MES decision in words a supervisor understands, from its audit entry: who, what was
/// done to what, and why — `rule placement-defects held station place for 20 min
/// (became true: aoi.fail_rate(last: 1h) > 0.02, with aoi.fail_rate(last: 1h) = 0.0612)`.
public enum DecisionWording {
    /// The entry in words.
    public static func text(_ entry: AuditEntry) -> String {
        let what = verb(entry)
        let why = entry.reason.isEmpty ? "" : " (\(entry.reason))"
        return "\(entry.actor) \(what)\(why)"
    }

    /// What was done, in the past tense.
    static func verb(_ entry: AuditEntry) -> String {
        let subject = entry.subject
        switch entry.action {
        case "hold-station": return "held \(subject)\(forDuration(entry.new, prefix: "on hold for "))"
        case "release-station": return "released \(subject)"
        case "hold-unit": return "held \(subject)"
        case "release-unit": return "released \(subject)"
        case "scrap-unit": return "scrapped \(subject)"
        case "rework-unit": return "sent \(subject) to rework"
        case "quarantine-lot": return "quarantined \(subject)"
        case "release-lot": return "released \(subject)"
        case "mark-lot-bad": return "marked \(subject) bad"
        case "hold-order": return "held \(subject)"
        case "release-order": return "released \(subject)"
        case "add-order": return "added \(subject): \(entry.new)"
        case "order-state": return "moved \(subject) from \(entry.old) to \(entry.new)"
        case "spc-signal": return "saw an SPC signal at \(subject): \(entry.new)"
        case "adjust": return "adjusted \(subject)"
        case "rule-fired": return "fired"
        case "fail-station": return "broke down \(subject)\(forDuration(entry.new, prefix: "down for "))"
        case "fail-machine": return "broke down \(subject)\(forDuration(entry.new, prefix: "down for "))"
        case "repair-machine": return "repaired \(subject)"
        case "dispatch-rule": return "switched dispatching from \(entry.old) to \(entry.new)"
        case "set-release", "set-wip-cap": return "changed the release policy from \(entry.old) to \(entry.new)"
        case "set-speed": return "set the speed of \(subject) to \(percent(entry.new))"
        case "set-variable": return "set \(subject) to \(entry.new)"
        case "page": return "paged \(subject.replacingOccurrences(of: "role ", with: ""))"
        case "maintenance-requested": return "asked for maintenance of \(subject)"
        case "maintenance-started": return "started maintenance of \(subject)"
        case "maintenance-done": return "finished maintenance of \(subject)"
        case "material-shortage": return "reported \(subject) \(entry.new)"
        case "material-restored": return "reported \(subject) supplied again"
        case "lot-delivered": return "delivered a lot of \(subject.replacingOccurrences(of: "material ", with: ""))"
        default:
            let change = entry.old.isEmpty && entry.new.isEmpty ? "" : ": \(entry.old) → \(entry.new)"
            return "\(entry.action) \(subject)\(change)"
        }
    }

    /// ` for 20 min` from an audit value `on hold for 1200.0 s`, or nothing.
    static func forDuration(_ value: String, prefix: String) -> String {
        guard value.hasPrefix(prefix), let seconds = Double(value.dropFirst(prefix.count).dropLast(2)) else {
            return ""
        }
        return " for \(duration(seconds))"
    }

    /// `20 min`, `2 h`, `1.5 h`, `45 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds >= 3_600 {
            let hours = seconds / 3_600
            return hours == hours.rounded() ? "\(Int(hours)) h" : "\((hours * 10).rounded() / 10) h"
        }
        if seconds >= 60 { return "\(Int((seconds / 60).rounded())) min" }
        return "\(Int(seconds.rounded())) s"
    }

    /// `80%` from a share `0.8`.
    static func percent(_ share: String) -> String {
        guard let value = Double(share) else { return share }
        return "\(Int((value * 100).rounded()))%"
    }
}
