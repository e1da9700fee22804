import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs one line per request: method, the path with tokens and ids of people taken out, status and time.
/// Never the query (delivery-report secrets, phone numbers) and never a body.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = LogPath.redact(request.uri.path)
        do {
            let response = try await next(request, context)
            log(request, path: path, status: response.status.code, start: start)
            return response
        } catch let error as HTTPResponseError {
            log(request, path: path, status: error.status.code, start: start)
            throw error
        } catch {
            log(request, path: path, status: 500, start: start)
            throw error
        }
    }

    private func log(_ request: Request, path: String, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(path), "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)),
        ])
    }
}

/// Paths as they may appear in logs (pure).
public enum LogPath {
    /// `/team/<token>/…` → `/team/:token/…`; any query is dropped.
    public static func redact(_ path: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        var parts = bare.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, parts[1] == "team", parts[2] != "sw.js" { parts[2] = ":token" }
        return parts.joined(separator: "/")
    }
}

/// Headers every page carries: no referrer (a team link must not leak to a map site), no framing, a strict CSP.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}

/// Behind a reverse proxy (needed for HTTPS, which the offline service worker requires on a phone) every request
/// comes from the proxy: when it is one of `trusted`, the client is the last address it put in X-Forwarded-For.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let trusted: Set<String>

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.remoteAddress?.ipAddress, trusted.contains(peer),
           let header = request.headers[HTTPField.Name("X-Forwarded-For")!] {
            context.forwardedFor = ClientAddress.lastForwarded(header)
        }
        return try await next(request, context)
    }
}

public enum ClientAddress {
    /// The address the nearest proxy added: the last entry of an X-Forwarded-For list.
    public static func lastForwarded(_ header: String) -> String? {
        header.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
