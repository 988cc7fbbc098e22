import ArgumentParser
import Foundation
import TaktExperiment
import TaktLive
import TaktReport
import TaktScenario
import TaktServer
import TaktStore

/// `takt serve FILE`: one replication of a scenario live in the browser, for a trainer.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run a scenario live in the browser: a trainer can pause, steer and break the line (docs/trainer.md).",
        discussion: """
            Prints the URL to open (with a random access token). Every command goes to the MES at \
            the current simulated time, audited with the trainer and a reason, and to the session \
            log, which `takt replay` reproduces byte for byte. Stop with Ctrl-C. Exit code 2 for a \
            bad scenario, a scenario without an MES, or a port that cannot be used.
            """)

    @Argument(help: "The scenario file (it needs an `mes:` section).")
    var file: String

    @Option(help: "Address to listen on (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "Simulated seconds per wall-clock second: 1, 10, 60, 600, … or max.")
    var speed = "60"

    @Flag(help: "Start paused (the trainer presses play).")
    var paused = false

    @Flag(help: "Run without the scenario's exercise: no pauses at its steps (its actions still happen).")
    var noExercise = false

    @Option(help: "Which replication to run (its random numbers are those of `takt run`'s replication N).")
    var replication = 0

    @Option(help: "The session log to write (default: session-NAME-YYYYMMDD-HHMMSS.log here).")
    var sessionLog: String?

    @Option(help: "When the horizon is reached, write results.json, audit.jsonl and the CSVs here.")
    var out: String?

    @Option(help: "The access token (at least 16 letters, digits, - or _); default: a random one.")
    var token: String?

    @Option(help: "Commands allowed at once before the rate limit applies.")
    var commandBurst = 20

    @Option(help: "Commands allowed per second after a burst.")
    var commandsPerSecond = 5.0

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a scenario value, e.g. horizon=3d.", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        guard LiveRunner.Speed.parse(speed) != nil else {
            throw ValidationError(
                "--speed takes simulated seconds per wall second (1, 10, 60, 600, …) or max; found `\(speed)`")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port is 0 to 65535; found \(port)") }
        guard replication >= 0 else { throw ValidationError("--replication is a number from 0") }
        guard commandBurst >= 1, commandBurst <= 1_000_000, commandsPerSecond > 0, commandsPerSecond.isFinite else {
            throw ValidationError("--command-burst is 1 or more and --commands-per-second above 0")
        }
        if let token, AccessToken(token) == nil {
            throw ValidationError("--token needs at least 16 letters, digits, - or _")
        }
        try OutputPath.checkDirectory(out, option: "--out")
        try OutputPath.checkFile(sessionLog, option: "--session-log")
    }

    func run() async throws {
        let scenario = try loadScenario(file, overrides: overrides)
        guard scenario.mes != nil else {
            throw failBadInput("\(file): a live session needs an `mes:` section: every command goes through the MES")
        }
        guard replication < scenario.replications || replication == 0 else {
            throw failBadInput("--replication \(replication): the scenario has \(scenario.replications) replications")
        }
        let started = WallClock.iso8601(millis: Int64(Date().timeIntervalSince1970 * 1_000))
        let header = SessionLog.Header(
            scenario: scenario.name, file: file, scenarioSHA256: Provenance.sha256(ofFile: file) ?? "",
            overrides: overrides, seed: scenario.seed, replication: replication,
            taktVersion: Takt.configuration.version, started: started)
        let logPath = sessionLog ?? Self.defaultLogName(scenario.name)
        let runner: LiveRunner
        do {
            runner = try LiveRunner(
                scenario: scenario, replication: replication, header: header, logPath: logPath,
                speed: LiveRunner.Speed.parse(speed) ?? .paced(60), paused: paused, exercise: !noExercise)
        } catch {
            throw failBadInput("\(error)")
        }
        let token = token.flatMap(AccessToken.init) ?? AccessToken.random()
        var configuration = LiveServer.Configuration(token: token)
        configuration.host = host
        configuration.port = port
        configuration.commandBurst = commandBurst
        configuration.commandsPerSecond = commandsPerSecond
        let server = LiveServer(runner: runner, scenario: scenario, configuration: configuration)
        let out = out
        await runner.start { session in
            guard let out, let results = session.results else { return }
            do {
                try ResultsFiles.write(results, scenario: session.scenario, to: out)
                try Data(AuditLines.text(session.auditTrail).utf8).write(
                    to: URL(fileURLWithPath: out).appendingPathComponent("audit.jsonl"), options: .atomic)
                FileHandle.standardOutput.write(
                    Data(
                        "takt serve: the session reached its horizon; results in \(out)/results.json and audit.jsonl\n"
                            .utf8))
            } catch {
                FileHandle.standardError.write(Data("error: cannot write \(out): \(error)\n".utf8))
            }
        }
        let host = host
        let name = scenario.name
        let speed = speed
        do {
            try await server.run { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                // Written unbuffered: a script waiting for the URL reads it at once.
                var lines = """
                    takt serve: \(name), replication \(header.replication), at \(speed == "max" ? "max speed" : "\(speed)×")
                      open  http://\(shown):\(port)/?token=\(token)
                      session log: \(logPath) (replay it with `takt replay \(logPath)`)
                      stop with Ctrl-C

                    """
                if host != "127.0.0.1", host != "localhost", host != "::1" {
                    lines +=
                        "warning: listening on \(host): anyone who can reach it and has the URL can steer the session\n"
                }
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
        } catch {
            await runner.stop()
            throw failBadInput("cannot serve on \(host):\(port): \(error)")
        }
        await runner.stop()
    }

    static func defaultLogName(_ scenario: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let safe = String(scenario.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        return "session-\(safe)-\(formatter.string(from: Date())).log"
    }
}

/// `takt replay session.log`: reproduces a live session from its log.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Reproduce a live session from its log: the same commands at the same simulated times.",
        discussion: """
            The results and the audit trail are those of the session, byte for byte (with --out: \
            results.json, audit.jsonl and the CSVs). Exit code 2 when the log cannot be read, the \
            scenario file changed since the session (give --allow-changed-scenario to replay anyway), \
            or a command no longer fits the scenario.
            """)

    @Argument(help: "A session log written by `takt serve`.")
    var log: String

    @Option(help: "The scenario file (default: the one the log names).")
    var scenario: String?

    @Flag(help: "Replay even if the scenario file is not the one the session ran (its SHA-256 differs).")
    var allowChangedScenario = false

    @Option(help: "Write results.json, audit.jsonl and the CSVs here.")
    var out: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws { try OutputPath.checkDirectory(out, option: "--out") }

    func run() async throws {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else {
            throw failBadInput("\(log): cannot be read")
        }
        let sessionLog: SessionLog
        do {
            sessionLog = try SessionLog.read(text, path: log)
        } catch {
            throw failBadInput(error.description)
        }
        let file = scenario ?? sessionLog.header.file
        let hash = Provenance.sha256(ofFile: file)
        guard hash != nil else {
            throw failBadInput("\(file): the session's scenario cannot be read; give its path with --scenario FILE")
        }
        if hash != sessionLog.header.scenarioSHA256, !allowChangedScenario {
            throw failBadInput(
                "\(file) is not the file the session ran (SHA-256 \(hash ?? "") here, \(sessionLog.header.scenarioSHA256) in the log): give that file with --scenario, or --allow-changed-scenario"
            )
        }
        let loaded = try loadScenario(file, overrides: sessionLog.header.overrides)
        let session: LiveSession
        do {
            session = try LiveSession.replay(sessionLog, scenario: loaded)
        } catch {
            throw failBadInput("\(log): \(error)")
        }
        guard let results = session.results else {
            throw failBadInput("\(log): the replay stopped at \(session.now) s: \(session.failure ?? "unknown")")
        }
        if !quiet {
            print(
                "replayed \(log): \(sessionLog.actions.count) commands on \(loaded.name), replication \(sessionLog.header.replication)"
            )
            print(ResultsTable.render(results, scenario: loaded))
        }
        if let out {
            try ResultsFiles.write(results, scenario: loaded, to: out)
            try Data(AuditLines.text(session.auditTrail).utf8).write(
                to: URL(fileURLWithPath: out).appendingPathComponent("audit.jsonl"), options: .atomic)
            if !quiet { print("wrote \(out)/results.json, audit.jsonl") }
        }
    }
}
