import Foundation
import Hummingbird
import Messaging
import Outreach
import Store

/// The voice gateway's side of `carnation serve`: the audio a provider fetches through a signed, expiring link,
/// and the call reports it sends back (safe to call twice).
extension CarnationWeb {
    func addVoiceRoutes(to router: Router<WebContext>) {
        router.get("/audio/:id") { request, context in try await self.voiceAudio(request, context) }
        // Some providers ask for the size first.
        router.head("/audio/:id") { request, context in
            let full = try await self.voiceAudio(request, context)
            return Response(status: full.status, headers: full.headers)
        }
        router.get(RouterPath(VoiceHTTPConfiguration.reportPath)) { request, context in
            try self.voiceReport(query: Self.queryParameters(request), payload: nil, context)
        }
        router.post(RouterPath(VoiceHTTPConfiguration.reportPath)) { request, context in
            var request = request
            let body = Data(buffer: try await request.collectBody(upTo: 256 * 1024))
            let query = Self.queryParameters(request)
            let isJSON = request.headers[.contentType]?.lowercased().contains("json") ?? false
            guard isJSON else {
                var fields = (try? KannelDeliveryReport.decodeQuery(String(decoding: body, as: UTF8.self))) ?? [:]
                for (k, v) in query where fields[k] == nil { fields[k] = v }
                return try self.voiceReport(query: query, payload: Self.flatReport(fields), context)
            }
            guard let json = JSONValue.parse(body) else { return Self.text("call report is not JSON\n", status: .badRequest) }
            return try self.voiceReport(query: query, payload: json, context)
        }
    }

    /// `GET /audio/<outbox id>?exp=…&sig=…`: the voice message's audio as WAV. A bad signature or an expired link
    /// is 403 with no detail; a link to no voice message is 404.
    func voiceAudio(_ request: Request, _ context: WebContext) async throws -> Response {
        let now = services.now()
        guard limiter.allows(context.client, now: now) else { return Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)) }
        let id = context.parameters.get("id") ?? ""
        let query = Self.queryParameters(request)
        switch audioLinks.check(outboxID: id, expires: query["exp"], signature: query["sig"], now: now) {
        case .valid: break
        case .expired:
            logger.info("audio link expired", metadata: ["outbox": .string(id)])
            return Self.text("forbidden\n", status: .forbidden)
        case .badSignature:
            limiter.recordFailure(context.client, now: now)
            logger.warning("audio link with a bad signature")
            return Self.text("forbidden\n", status: .forbidden)
        }
        guard let rowID = Int64(id), let message = try services.database.outboxMessage(rowID), message.channel == .voice,
              let voice = services.voice else {
            logger.warning("audio link to no voice message", metadata: ["outbox": .string(id)])
            return Self.text("not found\n", status: .notFound)
        }
        let wav = try await voice.audio(script: message.body)
        logger.info("audio fetched", metadata: ["outbox": .string(id), "bytes": .stringConvertible(wav.count)])
        return Response(status: .ok, headers: [.contentType: "audio/wav", .contentLength: String(wav.count), .cacheControl: "private, no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: wav)))
    }

    /// `GET|POST /gateway/voice/report?key=…[&outbox=…]`: call reports, as a JSON body or as query/form fields.
    /// Answers the configured reply for applied, repeated or unknown-message reports, so the provider stops.
    func voiceReport(query: [String: String], payload: JSONValue?, _ context: WebContext) throws -> Response {
        guard let gateway = services.voiceHTTP else { return Self.text("voice gateway not configured\n", status: .notFound) }
        let now = services.now()
        guard limiter.allows(context.client, now: now) else { return Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)) }
        do {
            let effects = try DeliveryReports.applyVoice(payload ?? Self.flatReport(query), outbox: query["outbox"], key: query["key"],
                                                         gateway: gateway, to: services.database, now: now)
            for effect in effects {
                switch effect {
                case let .applied(state): logger.info("call report applied", metadata: ["state": .string(state.rawValue)])
                case let .alreadyFinal(state): logger.info("call report for a settled message", metadata: ["state": .string(state.rawValue)])
                case .unknownMessage: logger.warning("call report for an unknown message")
                }
            }
            let reply = gateway.report.reply
            return Self.text(reply, contentType: JSONValue.parse(Data(reply.utf8)) == nil ? "text/plain; charset=utf-8" : "application/json; charset=utf-8")
        } catch let rejection as DeliveryReports.Rejection {
            return refused(rejection, what: "call report", context, now: now)
        }
    }

    /// Query or form fields as one flat report object; the key stays out of it.
    static func flatReport(_ fields: [String: String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: fields.filter { $0.key != "key" }.map { ($0.key, JSONValue.string($0.value)) }))
    }
}
