import Foundation
import GRDB
import TaktScenario

/// Reading the audit trail without SQL: entries filtered by actor, kind (action), unit,
/// order and simulated time, for `takt audit list` and `takt audit export`.
public enum AuditTrail {
    /// Which entries to read; `nil` keeps every value. Actor and kind take SQLite GLOB
    /// patterns (`rule *`, `hold-*`).
    public struct Filter: Sendable, Equatable {
        /// Only this replication's entries (a store may trace several).
        public var replication: Int?
        public var actor: String?
        public var kind: String?
        /// A unit's serial number: entries whose subject is that unit.
        public var unit: Int?
        /// An order's id as the order book gives it: entries whose subject is that order.
        public var order: String?
        /// Simulated seconds since time 0, inclusive.
        public var from: Double?
        public var to: Double?

        public init(
            replication: Int? = nil, actor: String? = nil, kind: String? = nil, unit: Int? = nil,
            order: String? = nil, from: Double? = nil, to: Double? = nil
        ) {
            self.replication = replication
            self.actor = actor
            self.kind = kind
            self.unit = unit
            self.order = order
            self.from = from
            self.to = to
        }
    }

    /// One entry as the store holds it.
    public struct Entry: Sendable, Equatable, Codable {
        public var replication: Int
        /// Numbered from 1 across the store's replications.
        public var seq: Int
        /// Simulated seconds since time 0.
        public var time: Double
        /// When the entry was recorded: wall-clock UTC, ISO 8601.
        public var recorded: String
        public var actor: String
        public var action: String
        public var subject: String
        public var reason: String
        public var old: String
        public var new: String
        public var hash: String
    }

    /// The entries of the store at `path` that pass `filter`, in the order they were written.
    ///
    /// - Throws: ``TraceStore/StoreError`` when the file is not a trace store of this schema.
    public static func entries(in path: String, matching filter: Filter) throws -> [Entry] {
        let database = try TraceStore.open(path)
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible] = []
        if let replication = filter.replication {
            conditions.append("replication = ?")
            arguments.append(replication)
        }
        if let actor = filter.actor {
            conditions.append("actor GLOB ?")
            arguments.append(actor)
        }
        if let kind = filter.kind {
            conditions.append("action GLOB ?")
            arguments.append(kind)
        }
        if let unit = filter.unit {
            conditions.append("subject = ?")
            arguments.append("unit \(unit)")
        }
        if let order = filter.order {
            conditions.append("subject = ?")
            arguments.append("order \(order)")
        }
        if let from = filter.from {
            conditions.append("time >= ?")
            arguments.append(from)
        }
        if let to = filter.to {
            conditions.append("time <= ?")
            arguments.append(to)
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT replication, seq, time, recorded, actor, action, subject, reason, old, new, hash FROM audit\(clause) ORDER BY rowid",
                arguments: StatementArguments(arguments)
            ).map { row in
                // Values of the wrong type read as empty here; `takt audit verify` names them.
                Entry(
                    replication: Int.fromDatabaseValue(row["replication"] as DatabaseValue) ?? -1,
                    seq: Int.fromDatabaseValue(row["seq"] as DatabaseValue) ?? -1,
                    time: Double.fromDatabaseValue(row["time"] as DatabaseValue) ?? .nan,
                    recorded: String.fromDatabaseValue(row["recorded"] as DatabaseValue) ?? "",
                    actor: String.fromDatabaseValue(row["actor"] as DatabaseValue) ?? "",
                    action: String.fromDatabaseValue(row["action"] as DatabaseValue) ?? "",
                    subject: String.fromDatabaseValue(row["subject"] as DatabaseValue) ?? "",
                    reason: String.fromDatabaseValue(row["reason"] as DatabaseValue) ?? "",
                    old: String.fromDatabaseValue(row["old"] as DatabaseValue) ?? "",
                    new: String.fromDatabaseValue(row["new"] as DatabaseValue) ?? "",
                    hash: String.fromDatabaseValue(row["hash"] as DatabaseValue) ?? "")
            }
        }
    }

    /// The entries as CSV (RFC 4180, a header row first).
    public static func csv(_ entries: [Entry]) -> String {
        var out = "replication,seq,time_s,recorded_utc,actor,action,subject,reason,old,new,hash\n"
        for entry in entries {
            out +=
                [
                    "\(entry.replication)", "\(entry.seq)", "\(entry.time)", entry.recorded, entry.actor, entry.action,
                    entry.subject,
                    entry.reason, entry.old,
                    entry.new, entry.hash,
                ].map(CSVCell.escaped).joined(separator: ",") + "\n"
        }
        return out
    }
}
