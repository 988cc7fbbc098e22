import Foundation
import Testing
import TaktLive
import TaktScenario
import TaktServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

let testToken = AccessToken("test-token-0123456789")!

/// A paused session of the flagship served on a free loopback port for `body`, allowing
/// `burst` commands at once and one every two seconds after them.
func withServer(burst: Int = 20, _ body: (URL, LiveRunner) async throws -> Void) async throws {
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=3d"])
    let header = SessionLog.Header(
        scenario: scenario.name, file: scenario.file, scenarioSHA256: "", overrides: [], seed: scenario.seed,
        replication: 0, taktVersion: "test", started: "")
    let runner = try LiveRunner(scenario: scenario, header: header, paused: true)
    var configuration = LiveServer.Configuration(token: testToken)
    configuration.port = 0
    configuration.commandBurst = burst
    configuration.commandsPerSecond = 0.5
    let server = LiveServer(runner: runner, scenario: scenario, configuration: configuration)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    let serving = Task { try await server.application(onRunning: { portSink.yield($0) }).run() }
    defer { serving.cancel() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())
    await runner.start()
    try await body(URL(string: "http://127.0.0.1:\(port)")!, runner)
    await runner.stop()
}

/// Sends `method` to `url` with `body` and `bearer`; the status and the decoded JSON.
func call(_ url: URL, method: String = "GET", body: String? = nil, bearer: String? = nil) async throws -> (
    Int, [String: Any]
) {
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let body { request.httpBody = Data(body.utf8) }
    if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
}

@Suite("The live server's HTTP API", .serialized)
struct LiveServerTests {
    @Test("viewing needs the token: none is 401, a wrong one 403, the right one the state")
    func viewingNeedsTheToken() async throws {
        try await withServer { base, _ in
            let (none, noneBody) = try await call(base.appendingPathComponent("api/state"))
            #expect(none == 401 && (noneBody["error"] as? String)?.contains("access token") == true)
            let (wrong, _) = try await call(URL(string: "\(base)/api/state?token=wrong-token-0123456789")!)
            #expect(wrong == 403)
            let (ok, state) = try await call(URL(string: "\(base)/api/state?token=\(testToken)")!)
            #expect(ok == 200 && state["scenario"] as? String == "smt-router-line")
            let (page, _) = try await call(URL(string: "\(base)/?token=\(testToken)")!)
            #expect(page == 200)
            let (pageWithout, _) = try await call(base)
            #expect(pageWithout == 401)
        }
    }

    @Test("a command needs the token in the header, not the URL, and a refused one changes nothing")
    func commandsNeedTheHeader() async throws {
        try await withServer { base, runner in
            let commands = base.appendingPathComponent("api/commands")
            let fail = #"{"command": "mes", "action": "fail station reflow for 2h", "reason": "test"}"#
            let (inURL, _) = try await call(
                URL(string: "\(commands)?token=\(testToken)")!, method: "POST", body: fail)
            #expect(inURL == 401)
            let (wrong, _) = try await call(commands, method: "POST", body: fail, bearer: "wrong-token-0123456789")
            #expect(wrong == 403)
            #expect(await runner.log.entries.isEmpty)
            #expect(await runner.snapshot().decisions.isEmpty)
            let (ok, reply) = try await call(commands, method: "POST", body: fail, bearer: testToken.value)
            #expect(ok == 200 && reply["accepted"] as? Bool == true)
            #expect(await runner.snapshot().stations[3].machines[0].state == "down")
        }
    }

    @Test("malformed, unknown or impossible commands are 400 or 409 with the reason, and change nothing")
    func badCommands() async throws {
        try await withServer { base, runner in
            let commands = base.appendingPathComponent("api/commands")
            for (body, status, phrase) in [
                ("not json", 400, "expected a JSON object"),
                (#"{"command": "explode"}"#, 400, "unknown command `explode`"),
                (#"{"command": "pause", "extra": 1}"#, 400, "unknown key `extra`"),
                (
                    #"{"command": "mes", "action": "fail station reflw for 2h", "reason": "x"}"#, 400,
                    "did you mean `reflow`"
                ),
                (#"{"command": "mes", "action": "fail station reflow for 2h"}"#, 400, "needs `reason`"),
                (#"{"command": "speed", "speed": "-5"}"#, 400, "simulated seconds per wall second"),
                (#"{"command": "mes", "action": "repair machine place-1", "reason": "x"}"#, 409, "is not down"),
            ] {
                let (code, reply) = try await call(commands, method: "POST", body: body, bearer: testToken.value)
                #expect(code == status, "\(body)")
                #expect((reply["error"] as? String)?.contains(phrase) == true, "\(body): \(reply)")
            }
            #expect(await runner.log.actions.isEmpty)
        }
    }

    @Test("a body over the limit is 413, and a burst of commands beyond the limit 429")
    func limits() async throws {
        try await withServer(burst: 5) { base, _ in
            let commands = base.appendingPathComponent("api/commands")
            let huge =
                #"{"command": "mes", "reason": "x", "action": ""# + String(repeating: "a", count: 20_000) + #""}"#
            let (tooLarge, _) = try await call(commands, method: "POST", body: huge, bearer: testToken.value)
            #expect(tooLarge == 413)
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(
                    try await call(commands, method: "POST", body: #"{"command": "pause"}"#, bearer: testToken.value).0)
            }
            // An oversized body is refused before it counts: a burst of 5 passes, then refusals.
            #expect(statuses.prefix(4).allSatisfy { $0 == 200 })
            #expect(statuses.suffix(3).allSatisfy { $0 == 429 })
        }
    }
}

@Suite("Reading a command")
struct CommandRequestTests {
    @Test("each kind of command, with the operator as actor")
    func kinds() throws {
        func parse(_ text: String) throws -> CommandRequest { try CommandRequest.parse(Data(text.utf8)).get() }
        #expect(try parse(#"{"command": "pause"}"#) == CommandRequest(kind: .pause, actor: "trainer"))
        #expect(try parse(#"{"command": "speed", "speed": "600x"}"#).kind == .speed(.paced(600)))
        #expect(try parse(#"{"command": "speed", "speed": "max"}"#).kind == .speed(.max))
        #expect(try parse(#"{"command": "step", "step": "decision"}"#).kind == .step(.decision))
        let mes = try parse(
            #"{"command": "mes", "action": "hold lot wifi-soc/3", "reason": "supplier", "operator": "Ada"}"#)
        #expect(mes == CommandRequest(kind: .mes(action: "hold lot wifi-soc/3", reason: "supplier"), actor: "Ada"))
    }

    @Test("a control character or an over-long text is refused")
    func refusals() {
        #expect(throws: CommandRequestError.self) {
            try CommandRequest.parse(Data(#"{"command": "mes", "action": "a\nb", "reason": "x"}"#.utf8)).get()
        }
        #expect(throws: CommandRequestError.self) {
            try CommandRequest.parse(
                Data(#"{"command": "pause", "operator": "\#(String(repeating: "x", count: 2_000))"}"#.utf8)
            ).get()
        }
    }

    @Test("a field given with a command that does not use it is still checked: a bad one is refused and named")
    func unusedFieldsAreChecked() {
        func error(_ text: String) -> String? {
            if case .failure(let error) = CommandRequest.parse(Data(text.utf8)) { return error.description }
            return nil
        }
        #expect(error(#"{"command": "resume", "step": "__not_in_enum__"}"#)?.hasPrefix("`step` is event") == true)
        #expect(error(#"{"command": "pause", "speed": "fast"}"#)?.hasPrefix("`speed` is simulated seconds") == true)
        #expect(error(#"{"command": "resume", "reason": "a\u0017b"}"#)?.hasPrefix("`reason` holds a control") == true)
        #expect(
            error(#"{"command": "pause", "action": "\#(String(repeating: "x", count: 1_001))"}"#)?
                .hasPrefix("`action` is longer than 1000") == true)
        #expect(error(#"{"command": "resume", "step": "minute", "speed": "60", "reason": "why"}"#) == nil)
    }

    @Test("a field that is not a string is named with its JSON kind, not the class it decoded to")
    func nonStringFieldsNameTheirKind() {
        func error(_ text: String) -> String? {
            if case .failure(let error) = CommandRequest.parse(Data(text.utf8)) { return error.description }
            return nil
        }
        let prefix = #"`speed` must be a string, in quotes as in "speed": "60"; found "#
        #expect(error(#"{"command": "speed", "speed": 60}"#) == prefix + "a number or true/false")
        #expect(error(#"{"command": "speed", "speed": null}"#) == prefix + "null")
        #expect(error(#"{"command": "speed", "speed": [60]}"#) == prefix + "an array")
        #expect(error(#"{"command": "speed", "speed": {"x": 60}}"#) == prefix + "an object")
    }

    @Test("a token is compared whole: a prefix, an extension or another is refused")
    func tokens() {
        let token = AccessToken("abcdefghijklmnop1234")!
        #expect(token.accepts("abcdefghijklmnop1234"))
        #expect(!token.accepts("abcdefghijklmnop123"))
        #expect(!token.accepts("abcdefghijklmnop12345"))
        #expect(!token.accepts(nil))
        #expect(AccessToken("short") == nil)
        #expect(AccessToken.random().value.count == 32)
    }
}
