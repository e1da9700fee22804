import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Store
@testable import Web

@Suite struct OfficeRouteTests {
    /// The `name=value` of a Set-Cookie header named `name`.
    func cookie(_ r: TestResponse, _ name: String) -> String? {
        for v in r.headers[values: .setCookie] where v.hasPrefix(name + "=") {
            return String(v.prefix { $0 != ";" })
        }
        return nil
    }

    func hidden(_ page: String, _ name: String) -> String? {
        guard let r = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    /// Logs in and returns the session cookie ("name=value"), or nil with the status.
    func login(_ client: some TestClientProtocol, user: String, password: String) async throws -> (String?, HTTPResponse.Status) {
        let pair: (String?, String?) = try await client.execute(uri: "/office/login", method: .get) { r in
            (cookie(r, OfficeSession.loginCookieName), hidden(r.text, "csrf"))
        }
        let (loginCookie, csrf) = pair
        var headers = formHeaders
        let nonce: String = try #require(loginCookie)
        headers[.cookie] = nonce
        return try await client.execute(uri: "/office/login", method: .post, headers: headers,
                                        body: form([("csrf", try #require(csrf)), ("user", user), ("password", password)])) { r in
            (cookie(r, OfficeSession.cookieName), r.status)
        }
    }

    @Test func theViewNeedsALogin() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/office", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/office/login")
            }
            try await client.execute(uri: "/office", method: .get, headers: [.cookie: "carnation_session=d2FuZw.9999999999.forged"]) { r in
                #expect(r.status == .seeOther)
            }
            let (none, status) = try await login(client, user: "wang", password: "wrong")
            #expect(none == nil && status == .unauthorized)
            let (nobody, status2) = try await login(client, user: "nobody", password: "x")
            #expect(nobody == nil && status2 == .unauthorized)
        }
    }

    @Test func loginNeedsTheFormsCSRFToken() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/office/login", method: .post, headers: formHeaders,
                                     body: form([("csrf", "x"), ("user", "wang"), ("password", "correct horse")])) { r in
                #expect(r.status == .forbidden)
                #expect(cookie(r, OfficeSession.cookieName) == nil)
            }
        }
    }

    @Test func aCoordinatorSeesOnlyTheirAreas() async throws {
        let f = try WebFixture()
        // One outcome in 一队's day, so the progress shows 1/2.
        try f.visits.record(f.visitsA[0].id, outcome: .done, note: nil, user: "t", now: f.now)
        let app = try await f.app()
        try await app.test(.router) { client in
            let (session, status) = try await login(client, user: "wang", password: "correct horse")
            #expect(status == .seeOther)
            let cookieHeader = try #require(session)
            #expect(cookieHeader.hasPrefix("carnation_session="))
            try await client.execute(uri: "/office", method: .get, headers: [.cookie: cookieHeader]) { r in
                #expect(r.status == .ok)
                let page = r.text
                #expect(page.contains("lang=\"zh-CN\""))
                #expect(page.contains("一队"))
                #expect(!page.contains("二队"), "532888 is outside wang's area")
                #expect(page.contains("1/2"))
                #expect(page.contains("<svg"))
                #expect(page.contains("共 2 人"), "two residents live under 532999")
            }
            let (boss, _) = try await login(client, user: "boss", password: "boss pass")
            try await client.execute(uri: "/office?date=2026-11-30", method: .get, headers: [.cookie: try #require(boss)]) { r in
                #expect(r.text.contains("一队") && r.text.contains("二队"))
                #expect(r.text.contains("共 3 人"))
            }
            // A user with no areas in the configuration sees no one (as on the command line), and is told why.
            let (nobody, _) = try await login(client, user: "nobody", password: "no areas")
            try await client.execute(uri: "/office?date=2026-11-30", method: .get, headers: [.cookie: try #require(nobody)]) { r in
                #expect(r.status == .ok)
                #expect(!r.text.contains("一队") && !r.text.contains("二队"))
                #expect(r.text.contains("共 0 人") && r.text.contains("未分配地区"))
            }
        }
    }

    @Test func logoutNeedsItsCSRFToken() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            let (session, _) = try await login(client, user: "wang", password: "correct horse")
            let cookieHeader = try #require(session)
            let csrf = try await client.execute(uri: "/office", method: .get, headers: [.cookie: cookieHeader]) { hidden($0.text, "csrf") }
            var headers = formHeaders
            headers[.cookie] = cookieHeader
            try await client.execute(uri: "/office/logout", method: .post, headers: headers, body: form([("csrf", "nope")])) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/office/logout", method: .post, headers: headers, body: form([("csrf", try #require(csrf))])) { r in
                #expect(r.status == .seeOther)
                #expect(cookie(r, OfficeSession.cookieName) == "carnation_session=")
            }
        }
    }
}
