import Digests
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Store
@testable import Web

@Suite struct TeamRouteTests {
    func issue(_ f: WebFixture, team: String = "一队") throws -> String {
        try TeamLinks(database: f.database).issue(team: team, date: WebFixture.day, now: f.now).token
    }

    /// The CSRF value and the rendered fields of the first outcome form on the page.
    func formValue(_ page: String, _ name: String) -> String? {
        guard let r = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func tokensAreStoredOnlyAsHashes() throws {
        let f = try WebFixture()
        let token = try issue(f)
        let links = try f.database.teamLinks(team: "一队")
        #expect(links.count == 1)
        #expect(links[0].tokenHash == SHA256.hex(token))
        #expect(links[0].tokenHash != token)
        #expect(token.count >= 22, "at least 128 bits")
        #expect(throws: WebError.self) { try TeamLinks(database: f.database).issue(team: "无此队", date: WebFixture.day, now: f.now) }
    }

    @Test func thePageListsTheTeamsStopsWithMaskedIDsCallsMapsAndAudio() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/team/\(token)", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                let page = r.text
                #expect(page.contains("<html lang=\"zh-CN\">"))
                #expect(page.contains("张大爷") && page.contains("李奶奶"))
                #expect(!page.contains("王伯"), "another team's resident never shows")
                // Stops in order.
                let first = try #require(page.range(of: "第1站")), second = try #require(page.range(of: "第2站"))
                #expect(first.lowerBound < second.lowerBound)
                // Masked IDs only.
                #expect(page.contains(f.zhang.id.masked))
                #expect(!page.contains(f.zhang.id.value))
                // Calls: the resident's own phone, the guardian's for 李奶奶; shown masked.
                #expect(page.contains("href=\"tel:13800000001\""))
                #expect(page.contains("href=\"tel:13900000002\""))
                #expect(page.contains("138****0001"))
                // Navigation in GCJ-02: 25.80, 100.40 moves.
                let g = GCJ02.fromWGS84(.init(latitude: 25.80, longitude: 100.40))
                #expect(page.contains("position=\(MapLinks.fixed(g.longitude)),\(MapLinks.fixed(g.latitude))"))
                // Audio per visit, the outcome form with its CSRF token and a key.
                #expect(page.contains("<audio controls preload=\"auto\" src=\"/team/\(token)/audio/\(f.visitsA[0].id)\""))
                #expect(page.contains("action=\"/team/\(token)/outcome\""))
                #expect(formValue(page, "csrf")?.isEmpty == false)
                #expect(formValue(page, "key")?.isEmpty == false)
                #expect(page.contains("value=\"not-home\""))
                #expect(page.contains("/static/team.js"))
            }
            try await client.execute(uri: "/team/\(token)/audio/\(f.visitsA[1].id)", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "audio/wav")
                #expect(r.text.hasPrefix("RIFF"))
            }
            // Another team's visit through this team's link: not found.
            try await client.execute(uri: "/team/\(token)/audio/\(f.visitsB[0].id)", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/team/sw.js", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[HTTPField.Name("Service-Worker-Allowed")!] == "/team/")
                #expect(r.text.contains("caches.open"))
            }
            try await client.execute(uri: "/static/team.js", method: .get) { r in #expect(r.text.contains("localStorage")) }
        }
    }

    @Test func unknownRevokedAndOtherDaysLinksAreRefused() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let other = try issue(f, team: "二队")
        let app = try await f.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/team/" + String(repeating: "A", count: 43), method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.text.contains("链接不对"))
            }
            try TeamLinks(database: f.database).revoke(team: "一队", date: WebFixture.day, now: f.now)
            try await client.execute(uri: "/team/\(token)", method: .get) { r in
                #expect(r.status == .gone)
                #expect(r.text.contains("停用"))
            }
            #expect(try f.database.teamLinks(team: "二队").first?.revokedAt == nil, "revoking one team leaves the other")
            f.setNow(WebFixture.morning.addingTimeInterval(86400))
            try await client.execute(uri: "/team/\(other)", method: .get) { r in
                #expect(r.status == .gone)
                #expect(r.text.contains("2026-11-30"))
            }
        }
    }

    @Test func guessingTokensIsRateLimited() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            for i in 0..<3 {
                try await client.execute(uri: "/team/guess\(i)" + String(repeating: "x", count: 40), method: .get) { r in #expect(r.status == .notFound) }
            }
            try await client.execute(uri: "/team/\(token)", method: .get) { r in #expect(r.status == .tooManyRequests) }
            f.setNow(WebFixture.morning.addingTimeInterval(61))
            try await client.execute(uri: "/team/\(token)", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func outcomesAreRecordedOnceAndNeedTheCSRFToken() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let app = try await f.app()
        let visit = f.visitsA[0].id
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/team/\(token)", method: .get) { $0.text }
            let csrf = try #require(formValue(page, "csrf"))
            let json: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
            // No or a wrong CSRF token: refused, nothing recorded.
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json,
                                     body: form([("visit", "\(visit)"), ("outcome", "done"), ("key", "k-0000000001")])) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json,
                                     body: form([("csrf", "forged"), ("visit", "\(visit)"), ("outcome", "done"), ("key", "k-0000000001")])) { r in #expect(r.status == .forbidden) }
            // A post from another site, even with the right token.
            var crossSite = json
            crossSite[.origin] = "https://evil.example"
            crossSite[HTTPField.Name("Host")!] = "carnation.local"
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: crossSite,
                                     body: form([("csrf", csrf), ("visit", "\(visit)"), ("outcome", "done"), ("key", "k-0000000001")])) { r in #expect(r.status == .forbidden) }
            #expect(try f.database.visit(visit)?.status == .planned)

            let body = form([("csrf", csrf), ("visit", "\(visit)"), ("outcome", "not-home"), ("note", "邻居说去赶集了"), ("key", "k-0000000001")])
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json, body: body) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"recorded\""))
            }
            #expect(try f.database.visit(visit)?.status == .notHome)
            #expect(try f.database.visit(visit)?.note == "邻居说去赶集了")
            // Not at home: the visits module planned a follow-up.
            #expect(try f.database.openFollowUps().filter { $0.residentID == f.zhang.id.value }.count == 1)
            // The same submission again (the phone did not hear the answer): a duplicate, nothing more recorded.
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json, body: body) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"duplicate\""))
            }
            #expect(try f.database.openFollowUps().filter { $0.residentID == f.zhang.id.value }.count == 1)
            let audits = try f.database.auditEntries(limit: 100).filter { $0.action == "visit-outcome" }
            #expect(audits.count == 1)

            // Without script: a plain form post answers with a redirect back to the stop.
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: formHeaders,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsA[1].id)"), ("outcome", "done"), ("key", "k-0000000002")])) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/team/\(token)#visit-\(f.visitsA[1].id)")
            }
            #expect(try f.database.visit(f.visitsA[1].id)?.status == .done)
        }
    }

    @Test func aTeamCannotRecordAnotherTeamsVisitsOrNonsense() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/team/\(token)", method: .get) { $0.text }
            let csrf = try #require(formValue(page, "csrf"))
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: formHeaders,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsB[0].id)"), ("outcome", "done"), ("key", "k-0000000003")])) { r in
                #expect(r.status == .notFound)
            }
            #expect(try f.database.visit(f.visitsB[0].id)?.status == .planned)
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: formHeaders,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsA[0].id)"), ("outcome", "planned"), ("key", "k-0000000004")])) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: formHeaders,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsA[0].id)"), ("outcome", "done")])) { r in
                #expect(r.status == .badRequest, "an outcome needs its idempotency key")
            }
            // Another team's CSRF token does not fit this link.
            let otherToken = try issue(f, team: "二队")
            let otherPage = try await client.execute(uri: "/team/\(otherToken)", method: .get) { $0.text }
            let otherCSRF = try #require(formValue(otherPage, "csrf"))
            #expect(otherCSRF != csrf)
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: formHeaders,
                                     body: form([("csrf", otherCSRF), ("visit", "\(f.visitsA[0].id)"), ("outcome", "done"), ("key", "k-0000000005")])) { r in
                #expect(r.status == .forbidden)
            }
        }
    }

    @Test func outcomesQueuedOfflineAreAcceptedTheNextDayButNotLater() async throws {
        let f = try WebFixture()
        let token = try issue(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/team/\(token)", method: .get) { $0.text }
            let csrf = try #require(formValue(page, "csrf"))
            let json: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
            // The signal came back the next morning: the page is no longer served, the queued outcome still lands.
            f.setNow(WebFixture.morning.addingTimeInterval(86400))
            try await client.execute(uri: "/team/\(token)", method: .get) { r in #expect(r.status == .gone) }
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsA[0].id)"), ("outcome", "certified"), ("key", "offline-key-1")])) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"recorded\""))
            }
            #expect(try f.database.visit(f.visitsA[0].id)?.status == .certified)
            // Two days later: refused, and the answer says why (the script drops it from its queue and tells the team).
            f.setNow(WebFixture.morning.addingTimeInterval(2 * 86400))
            try await client.execute(uri: "/team/\(token)/outcome", method: .post, headers: json,
                                     body: form([("csrf", csrf), ("visit", "\(f.visitsA[1].id)"), ("outcome", "done"), ("key", "offline-key-2")])) { r in
                #expect(r.status == .gone)
                #expect(r.text.contains("\"refused\""))
            }
            #expect(try f.database.visit(f.visitsA[1].id)?.status == .planned)
        }
    }
}
