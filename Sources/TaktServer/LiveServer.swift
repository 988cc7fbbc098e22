import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import TaktLive
import TaktScenario

/// The trainer's dashboard and the JSON/WebSocket API over one live session
/// (docs/live-api.yaml): `/` the page, `/api/state` the state now, `/api/commands` commands,
/// `/api/stream` the state as it changes (and commands) over a WebSocket.
///
/// Viewing needs the access token in the URL (`?token=`), since a browser cannot add headers
/// to a page load or a WebSocket; an HTTP command needs it in the `Authorization: Bearer`
/// header, so a link alone never changes the session. Every malformed or unauthorised request
/// gets a 4xx with a JSON `error` and changes nothing.
public struct LiveServer: Sendable {
    public struct Configuration: Sendable {
        /// Where to listen: loopback by default; port 0 takes any free port.
        public var host = "127.0.0.1"
        public var port = 8080
        public var token: AccessToken
        /// The largest request body and WebSocket message taken.
        public var maximumBody = 16_384
        public var maximumMessage = 8_192
        /// Commands in a burst, and per second after it.
        public var commandBurst = 20
        public var commandsPerSecond = 5.0

        public init(token: AccessToken) { self.token = token }
    }

    let runner: LiveRunner
    let configuration: Configuration
    let page: String
    let limit: CommandRateLimit

    /// A server over `runner`, whose session runs `scenario`.
    public init(runner: LiveRunner, scenario: Scenario, configuration: Configuration) {
        self.runner = runner
        self.configuration = configuration
        page = LivePage.html(scenario)
        limit = CommandRateLimit(burst: configuration.commandBurst, perSecond: configuration.commandsPerSecond)
    }

    /// The application (for tests, and for ``run(onRunning:)``).
    public func application(onRunning: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.middlewares.add(AllowedMethods())
        router.get("/") { request, _ in try await self.page(request) }
        router.get("/api/state") { request, _ in try await self.state(request) }
        router.post("/api/commands") { request, _ in try await self.command(request) }
        router.ws("/api/stream") { request, _ in
            // A refused viewer gets 401 or 403: ViewerGateChannel turns its handshake into a
            // plain request, which this answers.
            if let refused = self.viewer(request) { throw HTTPError(refused.status, message: Self.refusal(request)) }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            try await self.stream(inbound, outbound)
        }
        var logger = Logger(label: "takt.serve")
        logger.logLevel = .warning
        return Application(
            router: router,
            server: ViewerGateChannel.builder(
                webSocketRouter: router,
                configuration: .init(http1: .init(), ws: .init(maxFrameSize: configuration.maximumBody)),
                admits: { [token = configuration.token] uri, authorization in
                    let query = URI(uri).queryParameters["token"]
                    let bearer = authorization.flatMap { $0.hasPrefix("Bearer ") ? Substring($0.dropFirst(7)) : nil }
                    return token.accepts(query ?? bearer)
                }),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "takt"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until cancelled or interrupted (SIGINT, SIGTERM).
    public func run(onRunning: @escaping @Sendable (Int) -> Void) async throws {
        try await application(onRunning: onRunning).runService()
    }

    // MARK: Routes

    /// Nil when `request` may view the session; else the refusal.
    func viewer(_ request: Request) -> Response? {
        let query = request.uri.queryParameters["token"]
        let header = bearer(request)
        guard query != nil || header != nil else {
            return Self.error(
                .unauthorized,
                "this session needs its access token: open the URL `takt serve` printed (…/?token=…)",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        guard configuration.token.accepts(query ?? header) else {
            return Self.error(.forbidden, "wrong access token: open the URL `takt serve` printed")
        }
        return nil
    }

    /// Why a viewer is refused, in words.
    static func refusal(_ request: Request) -> String {
        request.uri.queryParameters["token"] == nil && request.headers[.authorization] == nil
            ? "this session needs its access token: open the URL `takt serve` printed (…/?token=…)"
            : "wrong access token: open the URL `takt serve` printed"
    }

    func bearer(_ request: Request) -> Substring? {
        guard let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return nil }
        return value.dropFirst("Bearer ".count)
    }

    func page(_ request: Request) async throws -> Response {
        if let refused = viewer(request) { return refused }
        // The page keeps its token out of referrers (its `<meta name="referrer">`).
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    func state(_ request: Request) async throws -> Response {
        if let refused = viewer(request) { return refused }
        return Self.json(.ok, await runner.state())
    }

    func command(_ request: Request) async throws -> Response {
        guard let token = bearer(request) else {
            return Self.error(
                .unauthorized,
                "a command needs the access token in the header `Authorization: Bearer TOKEN` (not in the URL)",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        guard configuration.token.accepts(token) else { return Self.error(.forbidden, "wrong access token") }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maximumBody)
        } catch {
            return Self.error(.contentTooLarge, "a command is at most \(configuration.maximumBody) bytes")
        }
        guard await limit.take() else {
            return Self.error(
                .tooManyRequests,
                "more than \(configuration.commandBurst) commands at once: wait a moment (\(Int(configuration.commandsPerSecond)) a second are allowed after a burst)",
                headers: [.retryAfter: "1"])
        }
        let (status, reply) = await perform(Data(buffer: body))
        return Self.json(status, reply)
    }

    /// Carries out a command; the status and the JSON reply.
    func perform(_ data: Data) async -> (HTTPResponse.Status, Data) {
        let request: CommandRequest
        switch CommandRequest.parse(data) {
        case .failure(let error): return (.badRequest, Self.errorBody(error.description))
        case .success(let parsed): request = parsed
        }
        do {
            switch request.kind {
            case .pause: await runner.pause(actor: request.actor)
            case .resume: await runner.resume(actor: request.actor)
            case .speed(let speed): await runner.setSpeed(speed, actor: request.actor)
            case .step(let step): try await runner.step(step, actor: request.actor)
            case .mes(let action, let reason): try await runner.perform(action, actor: request.actor, reason: reason)
            }
        } catch let error as LiveCommandError {
            return (error.kind == .badRequest ? .badRequest : .conflict, Self.errorBody(error.description))
        } catch {
            return (.conflict, Self.errorBody("\(error)"))
        }
        let snapshot = await runner.snapshot()
        let reply: [String: Any] = ["accepted": true, "time": snapshot.time, "status": snapshot.status]
        return (.ok, (try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys])) ?? Data())
    }

    /// A viewer's WebSocket: every published state out; commands in, each answered.
    func stream(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let (id, states) = await runner.subscribe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await state in states {
                    try await outbound.writeTextMessage(String(decoding: state, as: UTF8.self))
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: configuration.maximumMessage) {
                    let data: Data =
                        switch message {
                        case .text(let text): Data(text.utf8)
                        case .binary(let buffer): Data(buffer: buffer)
                        }
                    // The library bounds messages of several frames; one frame is bounded here.
                    guard data.count <= configuration.maximumMessage else {
                        try await outbound.close(
                            .messageTooLarge, reason: "a message is at most \(configuration.maximumMessage) bytes")
                        return
                    }
                    let (status, reply) =
                        await limit.take()
                        ? await perform(data)
                        : (.tooManyRequests, Self.errorBody("too many commands: wait a moment"))
                    var answer = (try? JSONSerialization.jsonObject(with: reply) as? [String: Any]) ?? [:]
                    answer["reply"] = status.code
                    let text = (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data()
                    try await outbound.writeTextMessage(String(decoding: text, as: UTF8.self))
                }
            }
            defer { group.cancelAll() }
            // The first to end (the viewer left, or the session stopped) ends both.
            try await group.next()
        }
        await runner.unsubscribe(id)
    }

    // MARK: Replies

    static func json(_ status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func errorBody(_ message: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys])) ?? Data()
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        var response = json(status, errorBody(message))
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// Answers a method a path does not take with 405 and the methods it does (`Allow`).
struct AllowedMethods<Context: RequestContext>: RouterMiddleware {
    static var allowed: [String: [HTTPRequest.Method]] {
        ["/": [.get], "/api/state": [.get], "/api/commands": [.post], "/api/stream": [.get]]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let methods = Self.allowed[request.uri.path], !methods.contains(request.method) else {
            return try await next(request, context)
        }
        var response = LiveServer.error(
            .methodNotAllowed,
            "\(request.uri.path) takes \(methods.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue)"
        )
        response.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
        return response
    }
}
