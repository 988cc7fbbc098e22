import Foundation
import TaktLive

/// A command to a live session as `/api/commands` and `/api/stream` take it (JSON):
///
/// ```json
/// {"command": "mes", "action": "fail station reflow for 2h", "reason": "heater fault", "operator": "Ada"}
/// {"command": "pause"}   {"command": "resume"}   {"command": "speed", "speed": "600"}
/// {"command": "step", "step": "event" | "minute" | "decision"}
/// ```
public struct CommandRequest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case pause, resume
        case speed(LiveRunner.Speed)
        case step(LiveRunner.Step)
        /// An MES action in the incident language, with the reason the audit trail records.
        case mes(action: String, reason: String)
    }

    public var kind: Kind
    /// Who gives it: the named operator, else `trainer`.
    public var actor: String

    public init(kind: Kind, actor: String) {
        self.kind = kind
        self.actor = actor
    }

    static let keys = ["command", "speed", "step", "action", "reason", "operator"]
    static let commands = ["pause", "resume", "speed", "step", "mes"]
    /// The longest action, reason and operator name accepted.
    static let maximumText = 1_000

    /// What a decoded JSON value is, in JSON's words (not the Foundation class it decoded to).
    static func jsonKind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case is NSNumber: "a number or true/false"
        default: "a value of another kind"
        }
    }

    /// Reads `data`, or says what is wrong with it.
    public static func parse(_ data: Data) -> Result<CommandRequest, CommandRequestError> {
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            return .failure(
                CommandRequestError(
                    "expected a JSON object such as {\"command\": \"pause\"} or {\"command\": \"mes\", \"action\": \"fail station reflow for 2h\", \"reason\": \"…\"}"
                ))
        }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            return .failure(
                CommandRequestError("unknown key `\(unknown)`; a command has \(keys.joined(separator: ", "))"))
        }
        for (key, value) in fields where !(value is String) {
            return .failure(
                CommandRequestError(
                    "`\(key)` must be a string, in quotes as in \"speed\": \"60\"; found \(jsonKind(of: value))"))
        }
        func text(_ key: String) -> Result<String?, CommandRequestError> {
            guard let value = fields[key] as? String else { return .success(nil) }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard trimmed.count <= maximumText else {
                return .failure(CommandRequestError("`\(key)` is longer than \(maximumText) characters"))
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return .failure(CommandRequestError("`\(key)` holds a control character; give one line of text"))
            }
            return .success(trimmed)
        }
        let actor: String
        switch text("operator") {
        case .failure(let error): return .failure(error)
        case .success(let name): actor = name.flatMap { $0.isEmpty ? nil : $0 } ?? "trainer"
        }
        // Every field given is checked, whatever the command: a request the API documents as
        // invalid (a `step` outside its values, an over-long `reason`) is refused, not half read.
        for key in ["speed", "step", "action", "reason"] {
            switch text(key) {
            case .failure(let error): return .failure(error)
            case .success(let value?) where key == "step" && LiveRunner.Step(rawValue: value) == nil:
                return .failure(Self.badStep(value))
            case .success(let value?) where key == "speed" && LiveRunner.Speed.parse(value) == nil:
                return .failure(Self.badSpeed(value))
            case .success: continue
            }
        }
        guard let command = fields["command"] as? String else {
            return .failure(
                CommandRequestError("missing `command`; expected one of \(commands.joined(separator: ", "))"))
        }
        func require(_ key: String, for command: String, example: String) -> Result<String, CommandRequestError> {
            switch text(key) {
            case .failure(let error): return .failure(error)
            case .success(let value?) where !value.isEmpty: return .success(value)
            case .success: return .failure(CommandRequestError("`\(command)` needs `\(key)`, e.g. \(example)"))
            }
        }
        let kind: Kind
        switch command {
        case "pause": kind = .pause
        case "resume": kind = .resume
        case "speed":
            switch require("speed", for: command, example: "\"60\" or \"max\"") {
            case .failure(let error): return .failure(error)
            case .success(let value):
                guard let speed = LiveRunner.Speed.parse(value) else { return .failure(badSpeed(value)) }
                kind = .speed(speed)
            }
        case "step":
            switch require("step", for: command, example: "\"event\", \"minute\" or \"decision\"") {
            case .failure(let error): return .failure(error)
            case .success(let value):
                guard let step = LiveRunner.Step(rawValue: value) else { return .failure(badStep(value)) }
                kind = .step(step)
            }
        case "mes":
            let action = require("action", for: command, example: "\"fail station reflow for 2h\"")
            let reason = require("reason", for: command, example: "\"heater fault\" (the audit trail records it)")
            switch (action, reason) {
            case (.failure(let error), _), (_, .failure(let error)): return .failure(error)
            case (.success(let action), .success(let reason)): kind = .mes(action: action, reason: reason)
            }
        default:
            return .failure(
                CommandRequestError("unknown command `\(command)`; expected one of \(commands.joined(separator: ", "))")
            )
        }
        return .success(CommandRequest(kind: kind, actor: actor))
    }

    static func badSpeed(_ value: String) -> CommandRequestError {
        CommandRequestError(
            "`speed` is simulated seconds per wall second (1, 10, 60, 600, up to 1000000) or max; found `\(value)`")
    }

    static func badStep(_ value: String) -> CommandRequestError {
        CommandRequestError("`step` is event, minute or decision; found `\(value)`")
    }
}

/// What is wrong with a command request.
public struct CommandRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
