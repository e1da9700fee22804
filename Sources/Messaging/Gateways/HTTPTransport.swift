import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP answer.
public struct HTTPResponse: Sendable, Equatable {
    public let status: Int
    /// Header fields with lower-cased names.
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.init(status: status, lowercasedHeaders: Dictionary(headers.map { (Self.lowercased($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }),
                  body: body)
    }

    /// For header names already lower-cased.
    init(status: Int, lowercasedHeaders: [String: String], body: Data) {
        self.status = status
        headers = lowercasedHeaders
        self.body = body
    }

    /// `name` lower-cased (a name already lower-case is returned as it is).
    static func lowercased(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
    }
}

/// What happened to one HTTP request.
public enum HTTPOutcome: Sendable, Equatable {
    case response(HTTPResponse)
    /// No connection was made: the request cannot have been received.
    case notConnected(String)
    /// Connected, but no complete answer (timeout, connection closed): it may have been received.
    case noAnswer(String)
}

/// Performs HTTP requests for the gateways; tests and benchmarks can put their own underneath.
public protocol HTTPTransport: Sendable {
    func perform(_ request: HTTPRequestSpec, timeoutSeconds: Double) async -> HTTPOutcome
}

/// `HTTPTransport` over Foundation's URLSession (libcurl on Linux).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// `maxConnectionsPerHost` bounds concurrent requests to one gateway.
    public init(maxConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Performs `spec`, giving up after `timeoutSeconds`. The deadline is enforced here: on Linux,
    /// URLSession truncates `timeoutInterval` to whole seconds and ignores anything under one.
    public func perform(_ spec: HTTPRequestSpec, timeoutSeconds: Double) async -> HTTPOutcome {
        var request = URLRequest(url: spec.url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: max(1, (timeoutSeconds + 1).rounded(.up)))
        request.httpMethod = spec.method
        for header in spec.headers { request.addValue(header.value, forHTTPHeaderField: header.name) }
        request.httpBody = spec.body
        return await withCheckedContinuation { (continuation: CheckedContinuation<HTTPOutcome, Never>) in
            let pending = PendingRequest(continuation)
            let task = session.dataTask(with: request) { data, response, error in
                pending.finish(Self.outcome(data: data, response: response, error: error))
            }
            pending.started(task)
            task.resume()
            // The deadline holds the request only weakly: an answered request is freed at once instead of
            // waiting out the timeout (at thousands of requests a second, that held over 100 MB of finished tasks).
            DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds) { [weak pending] in
                pending?.timeOut(.noAnswer("no answer within \(timeoutSeconds) s"))
            }
        }
    }

    static func outcome(data: Data?, response: URLResponse?, error: Error?) -> HTTPOutcome {
        if let error = error as? URLError { return classify(error) }
        if let error { return .noAnswer(String(describing: error)) }
        guard let http = response as? HTTPURLResponse else { return .noAnswer("not an HTTP answer") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            guard let key = key as? String, let value = value as? String else { continue }
            let name = HTTPResponse.lowercased(key)
            if headers[name] == nil { headers[name] = value }
        }
        return .response(HTTPResponse(status: http.statusCode, lowercasedHeaders: headers, body: data ?? Data()))
    }

    /// Connection failures before anything was written are `notConnected`; everything else may have
    /// reached the server. `unsupportedURL` is among the latter: libcurl reports an answer that is not HTTP
    /// ("Received HTTP/0.9 when not allowed") with it, after the request went out (gateway URLs are checked
    /// for http/https when the configuration is read, so it cannot mean a bad scheme here).
    static func classify(_ error: URLError) -> HTTPOutcome {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .badURL, .secureConnectionFailed, .serverCertificateUntrusted,
             .serverCertificateHasBadDate, .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return .notConnected("\(error.code.rawValue): \(error.localizedDescription)")
        default:
            return .noAnswer("\(error.code.rawValue): \(error.localizedDescription)")
        }
    }
}

extension HTTPOutcome {
    /// Turns a transport failure into the gateway's error; nil for a response, which the gateway reads itself.
    func failure(gateway: String) -> GatewayError? {
        switch self {
        case .response: return nil
        case let .notConnected(detail): return .unreachable(gateway: gateway, detail: detail)
        case let .noAnswer(detail): return .noAnswer(gateway: gateway, detail: detail)
        }
    }
}

/// One request in flight: exactly one of the answer and the deadline resumes its continuation; the deadline
/// also cancels the task.
private final class PendingRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPOutcome, Never>?
    private var task: URLSessionDataTask?

    init(_ continuation: CheckedContinuation<HTTPOutcome, Never>) { self.continuation = continuation }

    func started(_ task: URLSessionDataTask) { lock.withLock { if continuation != nil { self.task = task } } }

    /// The answer (or the transport's error) came.
    func finish(_ outcome: HTTPOutcome) { take()?.continuation.resume(returning: outcome) }

    /// The deadline passed first.
    func timeOut(_ outcome: HTTPOutcome) {
        guard let (continuation, task) = take() else { return }
        task?.cancel()
        continuation.resume(returning: outcome)
    }

    private func take() -> (continuation: CheckedContinuation<HTTPOutcome, Never>, task: URLSessionDataTask?)? {
        lock.withLock {
            guard let c = continuation else { return nil }
            defer { continuation = nil; task = nil }
            return (c, task)
        }
    }
}
