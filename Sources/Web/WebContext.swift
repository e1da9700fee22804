import Hummingbird
import NIOCore

/// The request context of `carnation serve`: Hummingbird's core context plus the client's address,
/// which the guess limiter keys on.
public struct WebContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client a trusted reverse proxy named in X-Forwarded-For (set by `ClientAddressMiddleware`).
    public var forwardedFor: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client as the limiter sees it: its IP address without the port (the proxy's client behind a trusted proxy).
    public var client: String { forwardedFor ?? remoteAddress?.ipAddress ?? "unknown" }
}
