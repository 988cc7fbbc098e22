import Foundation
import TaktMES

/// The record of a live session, from which `takt replay` reproduces it: what was run (the
/// scenario file's SHA-256, its overrides, seed and replication) and every command with the
/// simulated time it took effect.
///
/// One JSON object per line: the header first, then the entries in the order given. Times are
/// written as JSON numbers that read back to the same `Double`, so a replay applies each
/// command at exactly the simulated time the session did.
public struct SessionLog: Sendable, Equatable {
    /// What the session ran.
    public struct Header: Codable, Sendable, Equatable {
        /// The log format (`takt_session`).
        public var taktSession: Int
        public var scenario: String
        public var file: String
        public var scenarioSHA256: String
        public var overrides: [String]
        public var seed: UInt64
        public var replication: Int
        public var taktVersion: String
        /// When the session started (wall clock, UTC, ISO 8601); informational.
        public var started: String

        enum CodingKeys: String, CodingKey {
            case taktSession = "takt_session"
            case scenario, file
            case scenarioSHA256 = "scenario_sha256"
            case overrides, seed, replication
            case taktVersion = "takt_version"
            case started
        }

        public init(
            scenario: String, file: String, scenarioSHA256: String, overrides: [String], seed: UInt64,
            replication: Int, taktVersion: String, started: String
        ) {
            taktSession = SessionLog.formatVersion
            self.scenario = scenario
            self.file = file
            self.scenarioSHA256 = scenarioSHA256
            self.overrides = overrides
            self.seed = seed
            self.replication = replication
            self.taktVersion = taktVersion
            self.started = started
        }
    }

    /// One command: an MES action in the incident language (`fail station reflow for 2h`),
    /// or a control of the session (`pause`, `resume`, `speed 60`), which changes no result.
    public struct Entry: Codable, Sendable, Equatable {
        /// Simulated seconds since time 0 when it took effect.
        public var time: Double
        /// Events the session had run when it took effect (a replay runs exactly as many first).
        public var events: UInt64
        /// Who gave it: `trainer`, a named operator, or `exercise`.
        public var actor: String
        /// The MES action as written, or nil for a control.
        public var action: String?
        /// A control of the session (`pause`, `resume`, `speed 60`, `speed max`), or nil.
        public var control: String?
        public var reason: String

        public init(
            time: Double, events: UInt64, actor: String, action: String? = nil, control: String? = nil,
            reason: String = ""
        ) {
            self.time = time
            self.events = events
            self.actor = actor
            self.action = action
            self.control = control
            self.reason = reason
        }
    }

    /// The format this version writes and reads.
    public static let formatVersion = 1

    public var header: Header
    public var entries: [Entry] = []

    public init(header: Header, entries: [Entry] = []) {
        self.header = header
        self.entries = entries
    }

    /// The MES actions, in order: what a replay applies.
    public var actions: [Entry] { entries.filter { $0.action != nil } }

    /// One line of the log (no line break inside).
    static func line<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structures cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The whole log as text.
    public var text: String {
        ([Self.line(header)] + entries.map { Self.line($0) }).joined(separator: "\n") + "\n"
    }

    /// Reads a log; `path` names it in errors.
    public static func read(_ text: String, path: String) throws(SessionLogError) -> SessionLog {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first else {
            throw SessionLogError("\(path): the file is empty; a session log starts with its header line")
        }
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: Data(first.element.utf8))
        } catch {
            throw SessionLogError(
                "\(path):\(first.offset + 1): not a Takt session log header (\(reason(error))); a log is written by `takt serve --session-log FILE`"
            )
        }
        guard header.taktSession == formatVersion else {
            throw SessionLogError(
                "\(path):\(first.offset + 1): a session log of format \(header.taktSession); this takt reads format \(formatVersion)"
            )
        }
        var log = SessionLog(header: header)
        var previous = -Double.infinity
        for (offset, line) in lines.dropFirst() {
            let entry: Entry
            do {
                entry = try decoder.decode(Entry.self, from: Data(line.utf8))
            } catch {
                throw SessionLogError("\(path):\(offset + 1): not a session log entry (\(reason(error)))")
            }
            guard entry.time.isFinite, entry.time >= 0 else {
                throw SessionLogError("\(path):\(offset + 1): time: expected seconds from 0; found \(entry.time)")
            }
            guard entry.time >= previous else {
                throw SessionLogError(
                    "\(path):\(offset + 1): time \(entry.time) s comes before the entry above it (\(previous) s): entries are in the order the session gave them"
                )
            }
            guard (entry.action == nil) != (entry.control == nil) else {
                throw SessionLogError("\(path):\(offset + 1): an entry has either `action` or `control`")
            }
            previous = entry.time
            log.entries.append(entry)
        }
        return log
    }

    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing `\(key.stringValue)`"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "`\(context.codingPath.map(\.stringValue).joined(separator: "."))`: \(context.debugDescription)"
        case .dataCorrupted?: "not JSON"
        default: "\(error)"
        }
    }
}

/// A session log that cannot be read or replayed: where, and what is wrong.
public struct SessionLogError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Appends a session's log to a file line by line as the session goes, so a session that is
/// stopped leaves its log up to its last command.
public final class SessionLogFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    /// Creates `path` (replacing a log there) and writes `header`.
    public init(path: String, header: SessionLog.Header) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data((SessionLog.line(header) + "\n").utf8))
        else {
            throw SessionLogError("\(path): cannot be written")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw SessionLogError("\(path): cannot be opened")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Appends `entry`.
    public func append(_ entry: SessionLog.Entry) {
        lock.withLock { handle.write(Data((SessionLog.line(entry) + "\n").utf8)) }
    }

    deinit { try? handle.close() }
}

/// A session's audit trail as JSON lines (one entry per line, keys sorted): what `takt serve
/// --out` and `takt replay --out` write as `audit.jsonl`, byte-identical for a session and its
/// replay (simulated times only; the wall clock is not in it).
public enum AuditLines {
    public static func text(_ entries: [AuditEntry]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        for (index, entry) in entries.enumerated() {
            struct Line: Encodable {
                var seq: Int
                var entry: AuditEntry
                func encode(to encoder: any Encoder) throws {
                    try entry.encode(to: encoder)
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(seq, forKey: .seq)
                }
                enum Key: String, CodingKey { case seq }
            }
            let data = (try? encoder.encode(Line(seq: index + 1, entry: entry))) ?? Data("{}".utf8)
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }
}
