import Digests
import Foundation
import Hummingbird
import Registry
import Store

/// The coordinators' read-only view: `/office/login`, `/office`, `/office/logout`.
extension CarnationWeb {
    func addOfficeRoutes(to router: Router<WebContext>) {
        router.get("/office/login") { request, _ in self.loginPage(request, message: nil) }
        router.post("/office/login") { request, context in try await self.login(request, context) }
        router.post("/office/logout") { request, _ in try await self.logout(request) }
        router.get("/office") { request, _ in try self.dashboard(request) }
    }

    func loginPage(_ request: Request, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        // Login CSRF: a random cookie, and its MAC in the form (double submit).
        let nonce = request.cookies[OfficeSession.loginCookieName]?.value ?? Base64URL.encode(SecureRandom.bytes(16))
        var model: [String: Any] = ["csrf": loginCSRF(nonce)]
        if let message { model["message"] = message }
        var r = Self.html(services.templates.render("office-login", model), status: status)
        r.setCookie(Cookie(name: OfficeSession.loginCookieName, value: nonce, path: "/office", httpOnly: true, sameSite: .strict))
        return r
    }

    func loginCSRF(_ nonce: String) -> String { Base64URL.encode(secret.mac(Array(("login|" + nonce).utf8))) }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let now = services.now()
        guard limiter.allows(context.client, now: now) else { return Self.tooManyGuesses(retryAfter: limiter.retryAfter(context.client, now: now)) }
        let form = try await Self.formFields(request)
        guard let nonce = request.cookies[OfficeSession.loginCookieName]?.value, let csrf = form["csrf"],
              constantTimeEqual(csrf, loginCSRF(nonce)) else {
            return loginPage(request, message: "页面已失效，请重新登录。", status: .forbidden)
        }
        let name = form["user"] ?? "", password = form["password"] ?? ""
        // Unknown users cost the same hashing as known ones, so timing does not tell who exists.
        let account = services.settings.coordinators.first { $0.name == name }
        let hash = account?.passwordHash ?? decoyHash
        guard hash.verify(password), let account else {
            limiter.recordFailure(context.client, now: now)
            logger.info("login refused")
            return loginPage(request, message: "用户名或密码不对。", status: .unauthorized)
        }
        let session = OfficeSession(user: account.name, expires: Int(now.timeIntervalSince1970 + services.settings.sessionHours * 3600))
        var r = Response(status: .seeOther, headers: [.location: "/office"])
        r.setCookie(Cookie(name: OfficeSession.cookieName, value: session.cookieValue(key: secret), path: "/office", httpOnly: true, sameSite: .strict))
        try services.database.audit(user: account.name, action: "web-login", subject: "office", now: now)
        logger.info("login", metadata: ["user": .string(account.name)])
        return r
    }

    func session(_ request: Request) -> (OfficeSession, CoordinatorAccount)? {
        guard let value = request.cookies[OfficeSession.cookieName]?.value,
              let s = OfficeSession.verify(value, key: secret, now: Int(services.now().timeIntervalSince1970)),
              let account = services.settings.coordinators.first(where: { $0.name == s.user }) else { return nil }
        return (s, account)
    }

    func logout(_ request: Request) async throws -> Response {
        guard let (s, _) = session(request) else { return Response(status: .seeOther, headers: [.location: "/office/login"]) }
        let form = try await Self.formFields(request)
        guard let csrf = form["csrf"], constantTimeEqual(csrf, s.csrf(key: secret)) else { return Self.text("forbidden\n", status: .forbidden) }
        var r = Response(status: .seeOther, headers: [.location: "/office/login"])
        r.setCookie(Cookie(name: OfficeSession.cookieName, value: "", maxAge: 0, path: "/office", httpOnly: true, sameSite: .strict))
        return r
    }

    func dashboard(_ request: Request) throws -> Response {
        guard let (s, account) = session(request) else { return Response(status: .seeOther, headers: [.location: "/office/login"]) }
        let today = services.day(of: services.now())
        var date = today
        if let q = Self.queryParameters(request)["date"] {
            guard let d = CalendarDate(parsing: q) else { return Self.text("date must be YYYY-MM-DD\n", status: .badRequest) }
            date = d
        }
        // A user with no areas sees no one, as on the command line; the whole province is its prefix (e.g. "53").
        let prefixes = account.areas.map(\.value)
        func inScope(_ area: String) -> Bool { prefixes.contains { area.hasPrefix($0) } }
        let teams = try services.database.teams().filter { t in !t.areas.isEmpty && t.areas.allSatisfy(inScope) }
        let teamNames = Set(teams.map(\.name))
        var byTeam: [String: [String: Int]] = [:]
        for row in try services.database.visitProgress(on: date.description) where teamNames.contains(row.team) {
            byTeam[row.team, default: [:]][row.status] = row.count
        }
        var chartRows: [ProgressChart.Row] = []
        var teamRows: [[String: Any]] = []
        for t in teams.sorted(by: { $0.name < $1.name }) {
            let counts = byTeam[t.name] ?? [:]
            let total = counts.values.reduce(0, +), planned = counts[VisitStatus.planned.rawValue] ?? 0
            chartRows.append(.init(label: t.name, recorded: total - planned, total: total))
            let detail = VisitStatus.allCases.compactMap { st in counts[st.rawValue].map { "\(st.chinese) \($0)" } }.joined(separator: "，")
            teamRows.append(["team": t.name, "total": total, "recorded": total - planned, "detail": detail.isEmpty ? "今天没有安排" : detail])
        }
        var campaigns: [[String: Any]] = []
        let counts = try services.database.campaignStateCounts(areaPrefixes: prefixes)
        for c in try services.database.campaigns() {
            let mine = counts.filter { $0.campaignID == c.id }
            if mine.isEmpty { continue }
            let n = { (s: String) in mine.filter { $0.state == s }.reduce(0) { $0 + $1.count } }
            let total = mine.reduce(0) { $0 + $1.count }
            campaigns.append(["name": c.name, "state": c.state.rawValue, "total": total, "delivered": n("delivered"),
                              "failed": n("failed") + n("expired"), "waiting": n("queued") + n("held") + n("sending") + n("accepted") + n("unknown")])
        }
        let scope = account.areas
        let rules = services.visits.registryRules
        var categories: [[String: Any]] = []
        for c in Category.allCases {
            var f = ResidentFilter()
            f.categories = [c]
            let n = try services.database.countResidents(matching: f, scope: scope, on: date, rules: rules)
            if n > 0 { categories.append(["label": c.chinese, "count": n]) }
        }
        let model: [String: Any] = [
            "user": account.name, "date": date.description, "areas": prefixes.isEmpty ? "未分配地区（请在 carnation.yaml 给这个用户设 areas）" : prefixes.joined(separator: "、"),
            "teams": teamRows, "noTeams": teamRows.isEmpty, "chart": ProgressChart.svg(chartRows),
            "campaigns": campaigns, "noCampaigns": campaigns.isEmpty,
            "residents": try services.database.countResidents(matching: ResidentFilter(), scope: scope, on: date, rules: rules),
            "categories": categories, "csrf": s.csrf(key: secret),
        ]
        return Self.html(services.templates.render("office", model))
    }
}
