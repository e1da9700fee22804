import Digests
import Foundation
import Hummingbird
import Logging
import Messaging
import Outreach
import Registry
import Store

/// Reads a resident's own explainer aloud: the script for the door, and its audio.
/// `carnation serve` implements it with the explainers and espeak-ng; tests give a fake.
public protocol ExplainerVoiceSource: Sendable {
    /// The spoken text of `explainer` for the resident, or nil when it does not apply to them.
    func script(explainer: String, residentID: String, on date: CalendarDate) throws -> String?
    /// The audio (WAV) of `script`.
    func audio(script: String) async throws -> Data
}

/// Everything the web server works with.
public struct WebServices: Sendable {
    public var database: CarnationDatabase
    public var visits: VisitService
    public var settings: WebSettings
    /// The Kannel gateway whose delivery reports arrive here (nil: the endpoint answers 404).
    public var kannel: KannelConfiguration?
    /// The voice gateway whose call reports arrive here (nil: the endpoint answers 404).
    public var voiceHTTP: VoiceHTTPConfiguration?
    public var voice: (any ExplainerVoiceSource)?
    public var templates: WebTemplates
    /// The clock; days are counted in `timeZone` (China Standard Time).
    public var now: @Sendable () -> Date
    public var timeZone: TimeZone

    public init(database: CarnationDatabase, visits: VisitService, settings: WebSettings, kannel: KannelConfiguration?,
                voiceHTTP: VoiceHTTPConfiguration? = nil, voice: (any ExplainerVoiceSource)?, templates: WebTemplates,
                now: @escaping @Sendable () -> Date = { Date() }, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.database = database; self.visits = visits; self.settings = settings; self.kannel = kannel; self.voiceHTTP = voiceHTTP; self.voice = voice
        self.templates = templates; self.now = now; self.timeZone = timeZone
    }

    /// The calendar day of `date` in the office's time zone.
    public func day(of date: Date) -> CalendarDate {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        return CalendarDate(daysSinceEpoch: Int((Double(seconds) / 86400).rounded(.down)))!
    }
}

/// `carnation serve`'s HTTP side: gateway callbacks, voice audio links, team day pages, the coordinators' view, `/healthz`.
public final class CarnationWeb: Sendable {
    public let services: WebServices
    public let logger: Logger
    let limiter: GuessLimiter
    let links: TeamLinks
    /// Key of the CSRF tokens and session cookies; kept in the database so pages survive a restart.
    let secret: HMACSHA256
    /// Checks the signed, expiring audio links that voice providers fetch (the dispatcher signs them).
    let audioLinks: AudioLink
    /// Hashed for unknown user names, at the cost of a real account's hash, so timing does not tell who exists.
    let decoyHash: PasswordHash

    public init(services: WebServices, logger: Logger = Logger(label: "carnation.web")) throws {
        self.services = services
        self.logger = logger
        limiter = GuessLimiter(burst: services.settings.guessBurst, refillSeconds: services.settings.guessRefillSeconds)
        links = TeamLinks(database: services.database)
        secret = HMACSHA256(key: try services.database.webSecret(named: "web", make: { SecureRandom.bytes(32) }))
        audioLinks = try services.database.audioLink()
        decoyHash = PasswordHash.make("decoy", iterations: services.settings.coordinators.first?.passwordHash.iterations ?? 1_000,
                                      salt: Array(repeating: 7, count: 16))
    }

    /// All routes, behind the access log.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: ClientAddressMiddleware(trusted: Set(services.settings.trustedProxies)))
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/healthz") { _, _ in self.health() }
        addGatewayRoutes(to: router)
        addVoiceRoutes(to: router)
        addTeamRoutes(to: router)
        addOfficeRoutes(to: router)
        return router
    }

    /// The application listening on `host:port`; `runService()` serves until SIGINT or SIGTERM.
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "carnation"), logger: logger)
    }

    /// Serves on `host:port` until SIGINT or SIGTERM.
    public func run(host: String, port: Int) async throws {
        try await application(host: host, port: port).runService()
    }

    func health() -> Response {
        let ok = (try? services.database.ping()) ?? false
        return Self.json(ok ? ["status": "ok", "database": "ok"] : ["status": "unavailable", "database": "not answering"],
                         status: ok ? .ok : .serviceUnavailable)
    }

    // MARK: responses

    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var r = text(body, status: status, contentType: "text/html; charset=utf-8")
        r.headers[.cacheControl] = "private, no-cache"
        return r
    }

    static func json(_ object: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return text(String(decoding: data, as: UTF8.self), status: status, contentType: "application/json; charset=utf-8")
    }

    static func tooManyGuesses(retryAfter: Int) -> Response {
        var r = text("尝试次数过多，请稍后再试。\n", status: .tooManyRequests)
        r.headers[.retryAfter] = String(max(1, retryAfter))
        return r
    }

    /// The form fields of a urlencoded body (at most `limit` bytes).
    static func formFields(_ request: Request, limit: Int = 16 * 1024) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return (try? KannelDeliveryReport.decodeQuery(String(buffer: buffer))) ?? [:]
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/json") ?? false
    }
}
