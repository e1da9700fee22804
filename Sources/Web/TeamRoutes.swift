import Digests
import Foundation
import HTTPTypes
import Hummingbird
import Outreach
import Registry
import Store

/// The team day page: `/team/:token` (the page), `/team/:token/outcome` (the form), `/team/:token/audio/:visit`,
/// and the static script, style sheet and service worker that keep the page usable offline.
extension CarnationWeb {
    func addTeamRoutes(to router: Router<WebContext>) {
        router.get("/team/sw.js") { _, _ in
            var r = Self.text(self.services.templates.serviceWorker, contentType: "text/javascript; charset=utf-8")
            r.headers[.cacheControl] = "no-cache"
            r.headers[HTTPField.Name("Service-Worker-Allowed")!] = "/team/"
            return r
        }
        router.get("/static/team.js") { _, _ in
            var r = Self.text(self.services.templates.teamScript, contentType: "text/javascript; charset=utf-8")
            r.headers[.cacheControl] = "no-cache"
            return r
        }
        router.get("/static/carnation.css") { _, _ in
            var r = Self.text(self.services.templates.styleSheet, contentType: "text/css; charset=utf-8")
            r.headers[.cacheControl] = "no-cache"
            return r
        }
        router.get("/team/:token") { request, context in try self.teamPage(request, context) }
        router.post("/team/:token/outcome") { request, context in try await self.teamOutcome(request, context) }
        router.get("/team/:token/audio/:visit") { request, context in try await self.teamAudio(request, context) }
    }

    /// The CSRF token of a team link's forms: an HMAC of its token hash under the server's key.
    func csrfToken(for link: TeamLinkRecord) -> String {
        Base64URL.encode(secret.mac(Array(("team-csrf|" + link.tokenHash).utf8)))
    }

    /// A team link that opens, or the answer to give instead.
    enum LinkCheck {
        case success(TeamLinkRecord)
        case failure(Response)
    }

    /// Resolves the token in the path, counting unknown tokens as guesses.
    func teamLink(_ context: WebContext, graceDays: Int, json: Bool) throws -> LinkCheck {
        let now = services.now()
        guard limiter.allows(context.client, now: now) else {
            return .failure(Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)))
        }
        let token = context.parameters.get("token") ?? ""
        switch try links.resolve(token, today: services.day(of: now), graceDays: graceDays) {
        case let .success(link):
            return .success(link)
        case let .failure(refusal):
            let (status, message): (HTTPResponse.Status, String)
            switch refusal {
            case .malformed, .unknown:
                limiter.recordFailure(context.client, now: now)
                (status, message) = (.notFound, "这个链接不对。请用社保所短信里的链接打开。")
            case .revoked:
                (status, message) = (.gone, "这个链接已经停用。请联系社保所要新的链接。")
            case let .wrongDay(date):
                (status, message) = (.gone, "这是 \(date) 的名单链接，今天不能再用。请用今天短信里的链接。")
            }
            logger.info("team link refused", metadata: ["reason": .string("\(refusal)")])
            if json { return .failure(Self.json(["status": "refused", "message": message], status: status)) }
            return .failure(Self.html(services.templates.render("team-refused", ["message": message]), status: status))
        }
    }

    func teamPage(_ request: Request, _ context: WebContext) throws -> Response {
        let link: TeamLinkRecord
        switch try teamLink(context, graceDays: 0, json: false) {
        case let .success(l): link = l
        case let .failure(r): return r
        }
        guard let date = CalendarDate(parsing: link.date) else { throw HTTPError(.internalServerError) }
        let list = try services.visits.dailyList(team: link.team, date: date)
        let visits = try services.database.visits(from: date, to: date, team: link.team)
        var byID: [Int64: VisitRecord] = [:]
        var phones: [String: (own: PhoneNumber?, guardian: PhoneNumber?)] = [:]
        var scripts: [Int64: String] = [:]
        for v in visits {
            byID[v.id] = v
            if phones[v.residentID] == nil, let id = try? ResidentID(v.residentID), let stored = try services.database.resident(id) {
                let r = Resident(id: stored.id, fields: stored.values)
                phones[v.residentID] = (r.phone, r.guardianPhone)
            }
            if let voice = services.voice, let explainer = services.visits.book.rule(v.rule)?.explainer,
               let script = try? voice.script(explainer: explainer, residentID: v.residentID, on: date) {
                scripts[v.id] = script
            }
        }
        let token = context.parameters.get("token") ?? ""
        let model = TeamPage.model(.init(list: list, visits: byID, phones: phones, scripts: scripts, token: token,
                                         csrf: csrfToken(for: link), newKey: { Base64URL.encode(SecureRandom.bytes(16)) }))
        logger.info("team page served", metadata: ["team": .string(link.team), "stops": .stringConvertible(list.stops.count)])
        return Self.html(services.templates.render("team", model))
    }

    func teamOutcome(_ request: Request, _ context: WebContext) async throws -> Response {
        let json = Self.wantsJSON(request)
        let link: TeamLinkRecord
        switch try teamLink(context, graceDays: services.settings.outcomeGraceDays, json: json) {
        case let .success(l): link = l
        case let .failure(r): return r
        }
        func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
            logger.info("outcome refused", metadata: ["team": .string(link.team), "status": .stringConvertible(status.code)])
            return json ? Self.json(["status": "refused", "message": message], status: status) : Self.text(message + "\n", status: status)
        }
        // A cross-site post carries its own Origin: refuse it before reading anything.
        if let origin = request.headers[.origin], let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!],
           !Self.sameOrigin(origin, host: host) {
            return refuse(.forbidden, "来源不对，请在名单页上提交。")
        }
        let form = try await Self.formFields(request)
        guard let csrf = form["csrf"], constantTimeEqual(csrf, csrfToken(for: link)) else {
            return refuse(.forbidden, "表单已失效，请重新打开名单页再提交。")
        }
        guard let visitText = form["visit"], let visitID = Int64(visitText), let visit = try services.database.visit(visitID),
              visit.team == link.team, visit.date.description == link.date else {
            return refuse(.notFound, "名单里没有这一项。")
        }
        guard let outcomeText = form["outcome"], let outcome = VisitStatus(rawValue: outcomeText), outcome != .planned else {
            return refuse(.badRequest, "请选一个结果。")
        }
        guard let key = form["key"], Base64URL.isToken(key, minLength: 8, maxLength: 64) else {
            return refuse(.badRequest, "缺少提交编号，请重新打开名单页。")
        }
        let note = form["note"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)) }.flatMap { $0.isEmpty ? nil : $0 }
        let now = services.now()
        switch try services.database.claimOutcomeKey(key, visitID: visitID, team: link.team, status: outcome.rawValue, now: now) {
        case let .duplicate(previousVisit, previousStatus):
            logger.info("outcome already recorded", metadata: ["team": .string(link.team), "visit": .stringConvertible(previousVisit)])
            if json { return Self.json(["status": "duplicate", "visit": String(previousVisit), "outcome": previousStatus]) }
        case .claimed:
            do {
                try services.visits.record(visitID, outcome: outcome, note: note, user: "team:" + link.team, now: now)
            } catch {
                try? services.database.releaseOutcomeKey(key)
                logger.error("outcome not recorded", metadata: ["team": .string(link.team), "visit": .stringConvertible(visitID), "error": .string("\(error)")])
                return refuse(.internalServerError, "没有保存成功，请稍后再试。")
            }
            logger.info("outcome recorded", metadata: ["team": .string(link.team), "visit": .stringConvertible(visitID), "outcome": .string(outcome.rawValue)])
            if json { return Self.json(["status": "recorded", "visit": String(visitID), "outcome": outcome.rawValue]) }
        }
        return Response(status: .seeOther, headers: [.location: "/team/" + (context.parameters.get("token") ?? "") + "#visit-" + String(visitID)])
    }

    func teamAudio(_ request: Request, _ context: WebContext) async throws -> Response {
        let link: TeamLinkRecord
        switch try teamLink(context, graceDays: 0, json: false) {
        case let .success(l): link = l
        case let .failure(r): return r
        }
        guard let voice = services.voice, let visitID = context.parameters.get("visit", as: Int64.self),
              let visit = try services.database.visit(visitID), visit.team == link.team, visit.date.description == link.date,
              let explainer = services.visits.book.rule(visit.rule)?.explainer,
              let script = try voice.script(explainer: explainer, residentID: visit.residentID, on: visit.date) else {
            return Self.text("没有这段讲解录音。\n", status: .notFound)
        }
        let audio = try await voice.audio(script: script)
        return Response(status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "private, max-age=86400", .contentLength: String(audio.count)],
                        body: .init(byteBuffer: ByteBuffer(bytes: audio)))
    }

    /// Whether an Origin header names the host the request was sent to.
    static func sameOrigin(_ origin: String, host: String) -> Bool {
        guard let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = originHost + (url.port.map { ":\($0)" } ?? "")
        return originAuthority.lowercased() == host.lowercased() || originHost.lowercased() == host.lowercased()
    }
}
