import Foundation
import Messaging
import Outreach
import Registry
import Testing
@testable import Store
@testable import Web

/// The morning SMS with each team's link: written once into the outbox without the token, filled in as it leaves
/// through the real dispatcher (quiet hours included), revocable before and after.
@Suite struct TeamLinkMessageTests {
    /// A dispatcher's clock stopped at one moment (each dispatcher here sends one or two messages, within its burst).
    struct Clock: DispatchClock {
        let at: Date
        init(_ at: Date) { self.at = at }
        func now() -> Date { at }
        func sleep(seconds: Double) async {}
    }

    /// What a handset would receive: every message the gateway took.
    final class Handset: SMSGateway, @unchecked Sendable {
        private let lock = NSLock()
        private var got: [OutgoingSMS] = []
        let name = "test-sms"
        let deduplicates = false
        var received: [OutgoingSMS] { lock.withLock { got } }
        func send(_ message: OutgoingSMS) async -> SendResult {
            lock.withLock { got.append(message) }
            return .accepted(gatewayMessageID: "m\(message.outboxID)", detail: "ok")
        }
    }

    let f: WebFixture
    let keyPath: String
    let links: TeamLinkMessages
    let teamA: Team

    init() throws {
        f = try WebFixture()
        keyPath = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-link-\(UUID().uuidString)/team-link.key").path
        let templatePath = WebFixture.repo.appendingPathComponent("Templates/sms/team-link.mustache").path
        links = try TeamLinkMessages(database: f.database, key: try TeamLinkKey.load(path: keyPath, create: true), publicURL: "https://c.example.cn",
                                     signature: try SMSSignature("示范县社保"), template: try String(contentsOfFile: templatePath, encoding: .utf8),
                                     templatePath: templatePath)
        teamA = try #require(try f.database.teams().first { $0.name == "一队" })
    }

    func dispatcher(_ gateway: any SMSGateway, at clock: Clock) throws -> Dispatcher {
        try Dispatcher(database: f.database, settings: CampaignSettings(), gateways: DispatchGateways(sms: gateway), clock: clock)
    }

    func token(of outboxID: Int64) throws -> String {
        let secret = try #require(try f.database.teamLinkSecret(outboxID: outboxID))
        let nonce = try #require(secret.nonce)
        return try TeamLinkKey.load(path: keyPath, create: false).token(team: secret.link.team, date: secret.link.date, nonce: nonce)
    }

    @Test func theLinkSMSIsWrittenOnceForATeamAndDayWithoutItsToken() throws {
        guard case let .queued(link, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) else {
            Issue.record("not queued"); return
        }
        #expect(link.outboxID == id && link.team == "一队" && link.date == "2026-11-30")
        // Asked again (the daily job run twice): the same message, nothing new.
        #expect(try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) == .alreadySent(link: link, outboxID: id, state: .queued))
        let campaign = try f.database.campaign(named: "team-links-2026-11-30")
        #expect(campaign.state == .sending)
        let rows = try f.database.outboxMessages(campaignID: campaign.id)
        #expect(rows.count == 1)
        let m = try #require(rows.first)
        #expect(m.phone == "13800000000" && m.areaCode == "532999001" && m.idempotencyKey == "team-link/2026-11-30/一队/1")
        #expect(m.body == "【示范县社保】李海燕：一队11月30日上门名单，只限当天用，请勿转发：https://c.example.cn/team/{token}")
        #expect(m.segments == 2)
        // The token is nowhere in the database: not in the text, its history, or the link (only its hash).
        let token = try token(of: id)
        #expect(token.count == 43)
        #expect(!m.body.contains(token))
        #expect(try f.database.outboxHistory(id).allSatisfy { !$0.detail.contains(token) })
        let stored = try #require(try f.database.teamLinks(team: "一队", date: "2026-11-30").first)
        #expect(stored.tokenHash == TeamLinks.hash(token) && stored.tokenHash != token)
        // A link message is not a resident reached or unreached.
        #expect(try f.database.unreachedResidents(since: .distantPast).isEmpty)
    }

    @Test func theDispatcherFillsInTheTokenAsItLeavesAndTheLinkOpensTheDay() async throws {
        guard case let .queued(_, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) else {
            Issue.record("not queued"); return
        }
        let expected = try token(of: id)
        let handset = Handset()
        let gateway = TeamLinkGateway(inner: handset, database: f.database, keyPath: keyPath, maskToken: false)
        _ = try await dispatcher(gateway, at: Clock(WebFixture.morning)).run(untilIdle: true)
        let sms = try #require(handset.received.first)
        #expect(handset.received.count == 1)
        #expect(sms.text.hasSuffix("https://c.example.cn/team/" + expected))
        #expect(try f.database.outboxMessage(id)?.state == .accepted)
        // The link in the SMS opens the team's day.
        let opened = try TeamLinks(database: f.database).resolve(expected, today: WebFixture.day)
        #expect((try? opened.get())?.team == "一队")
        // The gateway took it and would never be asked again: what the token came from is forgotten.
        #expect(try f.database.teamLinkSecret(outboxID: id)?.nonce == nil)
        let again = try OutgoingSMS(outboxID: String(id), idempotencyKey: "team-link/2026-11-30/一队/1", phone: "13800000000",
                                    text: try #require(try f.database.outboxMessage(id)).body)
        guard case let .failed(.rejected(_, _, code, body)) = await gateway.send(again) else { Issue.record("sent twice"); return }
        #expect(code == "team-link" && body.contains("already left"))
        #expect(handset.received.count == 1)
    }

    @Test func quietHoursHoldTheLinkUntilMorning() async throws {
        // 06:30 in Beijing: the daily job writes the links; SMS quiet hours (21:00–08:00) hold them.
        let early = WebFixture.morning.addingTimeInterval(-3.5 * 3600)
        guard case let .queued(_, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: early) else {
            Issue.record("not queued"); return
        }
        let handset = Handset()
        let gateway = TeamLinkGateway(inner: handset, database: f.database, keyPath: keyPath, maskToken: false)
        _ = try await dispatcher(gateway, at: Clock(early)).run(untilIdle: true)
        let held = try #require(try f.database.outboxMessage(id))
        #expect(held.state == .held && handset.received.isEmpty)
        #expect(held.dueAt == WebFixture.morning.addingTimeInterval(-2 * 3600))  // 08:00
        _ = try await dispatcher(gateway, at: Clock(held.dueAt)).run(untilIdle: true)
        #expect(handset.received.count == 1)
        #expect(try f.database.outboxMessage(id)?.state == .accepted)
    }

    @Test func revokingWithdrawsAnUnsentLinkAndANewOneCanBeSent() async throws {
        let early = WebFixture.morning.addingTimeInterval(-3.5 * 3600)
        guard case let .queued(first, firstID) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: early) else {
            Issue.record("not queued"); return
        }
        let handset = Handset()
        let gateway = TeamLinkGateway(inner: handset, database: f.database, keyPath: keyPath, maskToken: false)
        _ = try await dispatcher(gateway, at: Clock(early)).run(untilIdle: true)
        #expect(try f.database.outboxMessage(firstID)?.state == .held)
        #expect(try TeamLinks(database: f.database).revoke(team: "一队", date: WebFixture.day, now: early) == 1)
        #expect(try f.database.outboxMessage(firstID)?.state == .cancelled)
        #expect(try f.database.teamLinkSecret(outboxID: firstID)?.nonce == nil)
        // A new link after the revocation goes out; the withdrawn one never does.
        guard case let .queued(second, secondID) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: early) else {
            Issue.record("not queued again"); return
        }
        #expect(second.id != first.id && secondID != firstID)
        #expect(try f.database.outboxMessage(secondID)?.idempotencyKey == "team-link/2026-11-30/一队/2")
        let token = try token(of: secondID)
        _ = try await dispatcher(gateway, at: Clock(WebFixture.morning)).run(untilIdle: true)
        #expect(handset.received.map(\.outboxID) == [String(secondID)])
        #expect(handset.received.first?.text.hasSuffix("/team/" + token) == true)
        // Revoked after it was sent: the link stops opening the page.
        try TeamLinks(database: f.database).revoke(team: "一队", date: WebFixture.day, now: WebFixture.morning)
        #expect(try TeamLinks(database: f.database).resolve(token, today: WebFixture.day) == .failure(.revoked))
    }

    @Test func aMessageWhoseLinkWasRevokedWhileClaimedIsNotSent() async throws {
        guard case let .queued(_, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) else {
            Issue.record("not queued"); return
        }
        let body = try #require(try f.database.outboxMessage(id)).body
        try TeamLinks(database: f.database).revoke(team: "一队", date: WebFixture.day, now: WebFixture.morning)
        let handset = Handset()
        let gateway = TeamLinkGateway(inner: handset, database: f.database, keyPath: keyPath, maskToken: false)
        let sms = try OutgoingSMS(outboxID: String(id), idempotencyKey: "team-link/2026-11-30/一队/1", phone: "13800000000", text: body)
        guard case let .failed(.rejected(_, _, _, reason)) = await gateway.send(sms) else { Issue.record("a revoked link was sent"); return }
        #expect(reason.contains("revoked") && handset.received.isEmpty)
    }

    @Test func theSpoolKeepsOnlyAShortenedToken() async throws {
        guard case let .queued(_, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) else {
            Issue.record("not queued"); return
        }
        let token = try token(of: id)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gateway = TeamLinkGateway(inner: SpoolGateway(directory: dir), database: f.database, keyPath: keyPath, maskToken: true)
        _ = try await dispatcher(gateway, at: Clock(WebFixture.morning)).run(untilIdle: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 1)
        let spooled = try String(contentsOf: dir.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(spooled.contains("/team/" + token.prefix(4) + "…"))
        #expect(!spooled.contains(token))
        #expect(try f.database.outboxMessage(id)?.state == .accepted)
        // The spool deduplicates, so its sends may be repeated until recorded; once recorded, the nonce goes too.
        #expect(try f.database.teamLinkSecret(outboxID: id)?.nonce != nil)
        #expect(try f.database.forgetSettledTeamLinkNonces() == 1)
        #expect(try f.database.teamLinkSecret(outboxID: id)?.nonce == nil)
    }

    @Test func linksAreRefusedForPastDaysAndTeamsWithoutAMobile() throws {
        #expect(throws: WebError.pastDay("2026-11-29")) {
            try links.send(team: teamA, date: WebFixture.day.adding(days: -1), user: "wang", now: WebFixture.morning)
        }
        var noPhone = teamA
        noPhone.members = [TeamMember(name: "无手机", phone: "", skills: []), TeamMember(name: "座机", phone: "08721234567", skills: [])]
        #expect(throws: WebError.noLeaderPhone(team: "一队")) {
            try links.send(team: noPhone, date: WebFixture.day, user: "wang", now: WebFixture.morning)
        }
        // The leader is the first member with a mobile.
        var second = teamA
        second.members = [TeamMember(name: "无手机", phone: "", skills: []), TeamMember(name: "赵敏", phone: "13600000006", skills: [])]
        #expect(TeamLinkMessages.leader(of: second)?.name == "赵敏")
        // An opted-out phone gets nothing.
        _ = try f.database.optOut(phone: "13800000000", source: "test", now: WebFixture.morning)
        #expect(try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) == .optedOut)
    }

    @Test func theKeyFileIsMadeOnceOwnerOnlyAndAChangedKeyStopsOldLinks() throws {
        let a = try TeamLinkKey.load(path: keyPath, create: true)
        let b = try TeamLinkKey.load(path: keyPath, create: false)
        #expect(a.token(team: "一队", date: "2026-11-30", nonce: "n") == b.token(team: "一队", date: "2026-11-30", nonce: "n"))
        #expect(a.token(team: "一队", date: "2026-11-30", nonce: "n") != a.token(team: "一队", date: "2026-12-01", nonce: "n"))
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        guard case let .queued(_, id) = try links.send(team: teamA, date: WebFixture.day, user: "wang", now: WebFixture.morning) else {
            Issue.record("not queued"); return
        }
        try Data(repeating: 1, count: 32).write(to: URL(fileURLWithPath: keyPath))
        #expect(try TeamLinkMessages.token(forOutbox: id, database: f.database, key: TeamLinkKey.load(path: keyPath, create: false)) == .failure(.keyChanged))
        try Data(repeating: 1, count: 5).write(to: URL(fileURLWithPath: keyPath))
        #expect(throws: WebError.self) { try TeamLinkKey.load(path: keyPath, create: false) }
    }
}
