import Foundation
import Testing
@testable import Outreach
import Registry
@testable import Store

/// Campaign messages that did not reach a resident become one visit need each (content: `unreached:`).
@Suite struct UnreachedNeedTests {
    let book: VisitRuleBook
    init() throws { book = try VisitFixtures.shippedBook() }
    let today = VisitFixtures.today

    func needs(_ r: StoredResident, _ missed: [MissedMessage], facts: [VisitOutcomeFact] = []) -> [VisitNeed] {
        VisitNeedFinder(book: book, registryRules: VisitFixtures.registryRules, today: today, history: VisitHistory(facts), missed: missed)
            .needs(of: r).filter { $0.kind == .unreached }
    }

    func missed(_ r: StoredResident, _ campaign: String, _ channel: OutboxChannel = .sms, expired: Bool = false, daysAgo: Int) -> MissedMessage {
        MissedMessage(residentID: r.id.value, campaign: campaign, channel: channel, expired: expired, day: today.adding(days: -daysAgo))
    }

    @Test func theRuleAndItsFiguresComeFromContent() throws {
        let u = try #require(book.unreached)
        #expect(u.rule.id == "unreached" && u.rule.kind == .unreached)
        #expect(u.rule.title == "通知未送达" && u.rule.priority == 65 && u.rule.durationMinutes == 20)
        #expect(u.lookBackDays == 60 && u.dueDays == 14)
        #expect(!u.source.isEmpty && u.status == "unverified")
        #expect(book.rule("unreached") == u.rule)
        // Its figures are policy: leaving one out is an error naming it.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("content/visit-rules.yaml")
        let shipped = try String(contentsOf: url, encoding: .utf8)
        let withoutDue = shipped.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("due_days:") }.joined(separator: "\n")
        #expect { try VisitRuleBook.parse(withoutDue, file: "visit-rules.yaml") } throws: { "\($0)".contains("due_days") }
    }

    @Test func oneNeedPerResidentNamingEveryCampaignThatMissedThem() throws {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1950, month: 1, day: 1)!, [.name: "张大爷"])
        let all = needs(r, [missed(r, "认证提醒", daysAgo: 3), missed(r, "养老金调整", daysAgo: 2), missed(r, "认证提醒", daysAgo: 3),
                            missed(r, "语音通知", .voice, expired: true, daysAgo: 1)])
        #expect(all.count == 1)
        let n = try #require(all.first)
        #expect(n.rule == "unreached" && n.title == "通知未送达")
        #expect(n.reason == "短信未送达：认证提醒、养老金调整；语音电话未确认接听：语音通知")
        // Due two weeks after the first miss; from the day after it.
        #expect(n.due == today.adding(days: -3 + 14))
        #expect(n.earliest == today.adding(days: -2))
        #expect(n.priority == 65 && n.durationMinutes == 20)
        let expired = needs(r, [missed(r, "养老金调整", expired: true, daysAgo: 0)])
        #expect(expired.map(\.reason) == ["短信未确认送达：养老金调整"])
    }

    @Test func noneForTheDeceasedOrMovedOrLongAgoOrAfterAVisit() {
        var r = VisitFixtures.resident(born: CalendarDate(year: 1950, month: 1, day: 1)!, [:])
        let m = [missed(r, "认证提醒", daysAgo: 5)]
        #expect(needs(r, m).count == 1)
        #expect(needs(r, [missed(r, "认证提醒", daysAgo: 61)]).isEmpty, "older than look_back_days")
        // Any visit outcome on or after the day of the miss settles it; one before does not.
        let before = VisitOutcomeFact(residentID: r.id.value, kind: "welfare-check", status: .done, last: today.adding(days: -6))
        let after = VisitOutcomeFact(residentID: r.id.value, kind: "unreached", status: .notHome, last: today.adding(days: -5))
        #expect(needs(r, m, facts: [before]).count == 1)
        #expect(needs(r, m, facts: [after]).isEmpty)
        // A newer miss after that visit is a new need.
        #expect(needs(r, m + [missed(r, "养老金调整", daysAgo: 1)], facts: [after]).map(\.reason) == ["短信未送达：养老金调整"])
        r.values[.deathDate] = "2026-11-01"
        #expect(needs(r, m).isEmpty)
        r.values[.deathDate] = nil
        r.values[.moveOutDate] = "2026-10-01"
        #expect(needs(r, m).isEmpty)
    }
}

/// The same through the database: a failed campaign message shows in `needs`, once per resident, until a visit outcome.
@Suite struct UnreachedServiceTests {
    typealias F = CampaignFixture

    @Test func failedAndExpiredMessagesBecomeVisitNeedsUntilAVisitOutcome() async throws {
        let people = [
            F.resident(1, "张大爷", phone: "13800000001"), F.resident(2, "李奶奶", phone: "13800000001"),  // one phone, one message
            F.resident(3, "王伯", phone: "13800000003"), F.resident(4, "赵婶", phone: "13800000004"),
            F.resident(5, "钱叔", phone: "13800000005"),
        ]
        let db = try F.database(people)
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, name: "认证提醒", now: clock.now())
        // 13800000003's message is refused for good; the rest are accepted.
        let g = RecordingGateway { _, m in
            m.phone == "13800000003" ? .failed(.rejected(gateway: "fake", status: 400, code: nil, body: "bad number")) : .accepted(gatewayMessageID: nil, detail: "")
        }
        _ = try await Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: g), clock: clock, owner: "d").run(untilIdle: true)
        let rows = try db.outboxMessages(campaignID: c.id)
        // The shared phone's message is undeliverable; 赵婶's is delivered; 钱叔's hears nothing and expires.
        let shared = try #require(rows.first { $0.phone == "13800000001" })
        _ = try db.applyDeliveryReport(outboxID: shared.id, kind: .failed, status: "undelivered", gateway: "fake", detail: "", now: clock.now())
        _ = try db.applyDeliveryReport(outboxID: rows.first { $0.phone == "13800000004" }!.id, kind: .delivered, status: "delivered", gateway: "fake", detail: "", now: clock.now())
        #expect(try db.expireUnreported(olderThan: 3600, now: clock.now().addingTimeInterval(7200)) == 1)

        let service = VisitService(database: db, book: try VisitFixtures.shippedBook(), registryRules: F.rules)
        let found = try service.needs(on: F.today, scope: nil).filter { $0.rule == "unreached" }
        let byName = Dictionary(grouping: found, by: \.name)
        #expect(byName.keys.sorted() == ["张大爷", "李奶奶", "王伯", "钱叔"].sorted())
        #expect(byName.values.allSatisfy { $0.count == 1 })
        #expect(byName["张大爷"]?.first?.reason == "短信未送达：认证提醒")
        #expect(byName["钱叔"]?.first?.reason == "短信未确认送达：认证提醒")
        #expect(byName["王伯"]?.first?.due == F.today.adding(days: 14))

        // A second campaign that also fails for 王伯: still one need, naming both.
        let c2 = try F.sendingCampaign(db, s, name: "养老金调整", now: clock.now())
        _ = try await Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: g), clock: clock, owner: "d2").run(untilIdle: true)
        #expect(try db.outboxMessages(campaignID: c2.id).contains { $0.state == .failed })
        let wang = try service.needs(on: F.today, scope: nil).filter { $0.rule == "unreached" && $0.name == "王伯" }
        #expect(wang.map(\.reason) == ["短信未送达：认证提醒、养老金调整"])

        // The team goes: a recorded outcome takes the need away; the register is untouched for "done".
        let visit = try db.replacePlannedVisits(team: "测试队", date: F.today, with: [
            VisitRecord(date: F.today, team: "测试队", stop: 1, residentID: wang[0].residentID, household: nil, rule: "unreached", kind: "unreached",
                        arrival: 540, start: 540, end: 560, due: wang[0].due, reason: wang[0].reason)])[0]
        #expect(try service.needs(on: F.today, scope: nil).contains { $0.rule == "unreached" && $0.name == "王伯" }, "planned is not yet met")
        try service.record(visit.id, outcome: .done, note: nil, user: "tester", now: clock.now())
        let after = try service.needs(on: F.today, scope: nil).filter { $0.rule == "unreached" }
        #expect(after.map(\.name).sorted() == ["张大爷", "李奶奶", "钱叔"].sorted())
        // The daily list shows the rule's title and the reason.
        #expect(service.book.rule("unreached")?.task.contains("上门当面说明") == true)

        // 钱叔 dies: no visit need for him any more.
        let qian = try #require(people.last)
        try db.recordFindings([.deceased(on: F.today)], for: qian.id, asOf: F.today, user: "tester", now: clock.now())
        #expect(try service.needs(on: F.today, scope: nil).filter { $0.rule == "unreached" }.map(\.name).sorted() == ["张大爷", "李奶奶"].sorted())
    }
}
