import Digests
import Foundation
import Hummingbird
import Messaging
import Outreach
import Registry
import Store

/// Gateway callbacks: Kannel's delivery reports and residents' replies. Both are safe to call twice.
extension CarnationWeb {
    func addGatewayRoutes(to router: Router<WebContext>) {
        router.get("/gateway/kannel/dlr") { request, context in try self.kannelReport(request, context) }
        router.get("/gateway/kannel/inbound") { request, context in
            try self.inbound(parameters: Self.queryParameters(request), context)
        }
        router.post("/gateway/kannel/inbound") { request, context in
            var fields = Self.queryParameters(request)
            for (k, v) in try await Self.formFields(request) where fields[k] == nil { fields[k] = v }
            return try self.inbound(parameters: fields, context)
        }
    }

    static func queryParameters(_ request: Request) -> [String: String] {
        (try? KannelDeliveryReport.decodeQuery(request.uri.query ?? "")) ?? [:]
    }

    /// `GET /gateway/kannel/dlr?outbox=…&key=…&type=%d&…` — the dlr-url `KannelURL.deliveryReportURL` builds.
    func kannelReport(_ request: Request, _ context: WebContext) throws -> Response {
        guard let kannel = services.kannel else {
            return Self.text("kannel gateway not configured\n", status: .notFound)
        }
        let now = services.now()
        guard limiter.allows(context.client, now: now) else { return Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)) }
        do {
            let effect = try DeliveryReports.applyKannel(query: request.uri.query ?? "", gateway: kannel, to: services.database, now: now)
            let outbox = Self.queryParameters(request)["outbox"] ?? ""
            switch effect {
            case let .applied(state):
                logger.info("delivery report applied", metadata: ["outbox": .string(outbox), "state": .string(state.rawValue)])
            case let .alreadyFinal(state):
                logger.info("delivery report for a settled message", metadata: ["outbox": .string(outbox), "state": .string(state.rawValue)])
            case .unknownMessage:
                logger.warning("delivery report for an unknown message", metadata: ["outbox": .string(outbox)])
            }
            return Self.text("ok\n")
        } catch let rejection as DeliveryReports.Rejection {
            return refused(rejection, what: "delivery report", context, now: now)
        }
    }

    /// `GET|POST /gateway/kannel/inbound?key=SECRET&from=%p&text=%a` — Kannel's sms-service `get-url`.
    /// The answer's body is the reply SMS Kannel sends back (empty: none, with `omit-empty = true`).
    func inbound(parameters p: [String: String], _ context: WebContext) throws -> Response {
        guard let expected = services.settings.inboundSecret else {
            return Self.text("inbound SMS not configured\n", status: .notFound)
        }
        let now = services.now()
        guard limiter.allows(context.client, now: now) else { return Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)) }
        guard let key = p["key"], constantTimeEqual(key, expected) else {
            limiter.recordFailure(context.client, now: now)
            logger.warning("inbound SMS with a wrong key")
            return Self.text("forbidden\n", status: .forbidden)
        }
        guard let raw = p["from"] ?? p["phone"], let text = p["text"] else {
            return Self.text("from and text are required\n", status: .badRequest)
        }
        let phone: String
        do { phone = try PhoneNumber(raw).value } catch {
            logger.warning("inbound SMS from an unreadable number")
            return Self.text("from is not a phone number\n", status: .badRequest)
        }
        let kind = InboundReply.classify(text, optOut: services.settings.optOut)
        let masked = PhoneNumber(stored: phone).masked
        switch kind {
        case .optOut:
            try DeliveryReports.applyInbound(phone: phone, text: text, keywords: services.settings.optOut, to: services.database, now: now)
            try services.database.audit(user: "sms", action: "inbound-opt-out", subject: masked, detail: "reply asked to stop messages", now: now)
            logger.info("inbound SMS", metadata: ["reply": "opt-out"])
            return Self.text("您已退订，今后不再给这个号码发短信。如需帮助请联系社保所。")
        case .callMe:
            let added = try requestCallBack(phone: phone, text: text, now: now)
            try services.database.audit(user: "sms", action: "inbound-call-me", subject: masked, detail: "follow-ups added: \(added)", now: now)
            logger.info("inbound SMS", metadata: ["reply": "call-me", "followUps": .stringConvertible(added)])
            return Self.text("收到，社保所工作人员会尽快和您联系。")
        case .other:
            try services.database.audit(user: "sms", action: "inbound-other", subject: masked, detail: "kept, nothing done", now: now)
            logger.info("inbound SMS", metadata: ["reply": "other"])
            return Self.text("")
        }
    }

    /// "Call me": a follow-up visit need for each resident on that phone, unless one from a reply is still open.
    /// Returns how many were added (0 when the phone is unknown or the request came twice).
    func requestCallBack(phone: String, text: String, now: Date) throws -> Int {
        let today = services.day(of: now)
        let open = Set(try services.database.openFollowUps().filter { $0.source == Self.replySource }.map(\.residentID))
        var added = 0
        for id in try services.database.residentIDs(withPhone: phone) where !open.contains(id) {
            try services.database.addFollowUp(FollowUp(residentID: id, source: Self.replySource,
                                                      reason: "短信回复要求联系：" + String(text.prefix(30)),
                                                      created: today, due: today.adding(days: 1)))
            added += 1
        }
        return added
    }

    /// A report that was refused: 400 when it cannot be read, 403 (counted as a guess) for a wrong key.
    func refused(_ rejection: DeliveryReports.Rejection, what: String, _ context: WebContext, now: Date) -> Response {
        switch rejection {
        case .malformed:
            logger.warning("\(what) not understood", metadata: ["reason": .string(rejection.description)])
            return Self.text("bad \(what)\n", status: .badRequest)
        case .wrongSecret:
            limiter.recordFailure(context.client, now: now)
            logger.warning("\(what) with a wrong key")
            return Self.text("forbidden\n", status: .forbidden)
        }
    }

    static let replySource = "sms-reply"
}
