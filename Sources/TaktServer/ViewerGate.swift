import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP/1 server with WebSocket upgrade, with a gate in front of the upgrade: a
/// handshake whose access token is missing or wrong is not offered to the upgrader, so it
/// is answered by the router as a plain request, with 401 or 403 and the reason, instead of
/// the bare 400 hummingbird-websocket writes for every refused upgrade.
struct ViewerGateChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    /// Whether a handshake for `uri` (path and query) and `authorization` may go ahead.
    let admits: @Sendable (_ uri: String, _ authorization: String?) -> Bool

    var responder: HTTPChannelHandler.Responder { inner.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(
                type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(UpgradeGate(admits: admits), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// A server builder for ``LiveServer``: the router's WebSocket routes behind the gate.
    static func builder<WSResponderBuilder: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: WSResponderBuilder, configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        admits: @escaping @Sendable (String, String?) -> Bool
    ) -> HTTPServerBuilder where WSResponderBuilder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            ViewerGateChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                admits: admits)
        }
    }
}

/// Takes the upgrade headers off a refused WebSocket handshake, so it goes on as the plain
/// request the router refuses with its status.
final class UpgradeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    let admits: @Sendable (String, String?) -> Bool

    init(admits: @escaping @Sendable (String, String?) -> Bool) {
        self.admits = admits
    }

    /// Only a connection's first request may be an upgrade, so the gate looks at that one
    /// and leaves the pipeline (it must not be there when WebSocket frames flow).
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if head.headers.contains(name: "upgrade"), !admits(head.uri, head.headers.first(name: "authorization")) {
            head.headers.remove(name: "upgrade")
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.fireChannelRead(wrapInboundOut(.head(head)))
        } else {
            context.fireChannelRead(data)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
