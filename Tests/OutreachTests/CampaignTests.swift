import Foundation
import Messaging
@testable import Outreach
import Registry
import Store
import Testing

@Suite struct CampaignPlanTests {
    typealias F = CampaignFixture

    @Test func sharedPhoneGetsOneMessageNamingBothAndEveryoneLeftOutHasAReason() throws {
        let people = [
            F.resident(1, "张大爷", phone: "13800000001"),
            F.resident(2, "李奶奶", phone: "13800000001"),
            F.resident(3, "王五", phone: "13800000003", extra: [.deathDate: "2026-10-01"]),
            F.resident(4, "赵六", phone: "13800000004", extra: [.moveOutDate: "2026-09-01"]),
            F.resident(5, "钱七", phone: nil),
            F.resident(6, "孙八", phone: "13800000006"),
            F.resident(7, "周九", phone: "13800000007"),
        ].map { Resident(id: $0.id, fields: $0.values) }
        let plan = CampaignPlanner.plan(audience: people, channels: [.sms], source: GreetingSource(text: { "\($0.name)您好：本月起基础养老金每月增加20元，请在月底前到村委会确认银行卡，详情请打12333。" }), signature: try SMSSignature("示范县社保"),
                                        optedOut: ["13800000006"], recentSends: ["13800000007": 3], phoneCap: PhoneCap(messages: 3, hours: 24))
        #expect(plan.messages.count == 2)
        let shared = try #require(plan.messages.first { $0.phone == "13800000001" })
        #expect(shared.members.map(\.residentName) == ["张大爷", "李奶奶"])
        #expect(shared.text.hasPrefix("【示范县社保】张大爷您好"))
        #expect(shared.text.contains("。李奶奶您好"))
        #expect(shared.segments == SMSSegmenter.measure(shared.text).segments)
        #expect(shared.segments == 2)
        #expect(plan.leftOutByReason == ["deceased": 1, "moved": 1, "no-phone": 1, "opted-out": 1])
        #expect(plan.residentsReached == 3)
        #expect(plan.messages.first { $0.phone == "13800000007" }?.capped == true)
        #expect(plan.smsSegments == 3 && plan.worstSegments == 2)
        let cost = plan.cost(CampaignPrices(smsSegmentFen: 5))
        #expect(cost.smsFen == 15)
        #expect(plan.cost(CampaignPrices()).smsFen == nil)
    }

    @Test func settingsAreReadWithDefaultsAndLineNumbersInErrors() throws {
        let s = try CampaignSettings.parse("""
            sms:
              signature: 示范县社保
            campaigns:
              price-per-segment-fen: 4
              approval-threshold: 50
              phone-cap: {messages: 2, hours: 12}
            dispatch:
              rate: 30
              quiet-hours:
                sms: "22:00-07:30"
                areas:
                  "532999001": {sms: "20:00-08:30"}
            """, file: "carnation.yaml")
        #expect(s.signature?.name == "示范县社保")
        #expect(s.prices.smsSegmentFen == 4 && s.approvalThreshold == 50)
        #expect(s.phoneCap == PhoneCap(messages: 2, hours: 12))
        #expect(s.ratePerSecond == 30)
        #expect(s.smsQuietHours.hours(forArea: "532999001201").description == "20:00-08:30")
        #expect(s.smsQuietHours.hours(forArea: "532999002201").description == "22:00-07:30")
        #expect(s.voiceQuietHours == QuietHoursPolicy(standard: .voiceDefault))
        #expect(s.gateway == .spool(directory: nil))
        let t = try CampaignSettings.parse("""
            gateway:
              sms: http-template
              http-template:
                url: https://sms.example.cn/send
                headers: {X-Token: abc}
                body: {PhoneNumbers: "{{phone}}", SignName: "{{signName}}", TemplateCode: "{{templateCode}}", TemplateParam: "{{paramsJSON}}", Version: 2}
                message-id-path: BizId
                result-code-path: Code
                success-code: OK
                retryable-codes: [isv.BUSINESS_LIMIT_CONTROL]
                deduplicates: true
            """, file: "t.yaml")
        guard case let .httpTemplate(config, dedup) = t.gateway else { Issue.record("not http-template"); return }
        #expect(dedup && config.url.host == "sms.example.cn" && config.headers["X-Token"] == "abc")
        #expect(config.body == .object(["PhoneNumbers": .string("{{phone}}"), "SignName": .string("{{signName}}"), "TemplateCode": .string("{{templateCode}}"),
                                        "TemplateParam": .string("{{paramsJSON}}"), "Version": .number(2)]))
        #expect(config.retryableCodes == ["isv.BUSINESS_LIMIT_CONTROL"] && config.successCode == "OK")
        #expect(throws: CampaignError.configuration(file: "c.yaml", line: 2, detail: "campaigns.approval-threshold must be a whole number ≥ 0, not 'many'")) {
            try CampaignSettings.parse("campaigns:\n  approval-threshold: many\n", file: "c.yaml")
        }
    }
}

@Suite struct CampaignServiceTests {
    typealias F = CampaignFixture

    @Test func sendingTwiceWritesEachMessageOnce() throws {
        let db = try F.database((1...5).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let now = F.at(10)
        let svc = F.service(db, F.settings())
        _ = try svc.create(name: "养老金调整", explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(), channels: [.sms],
                           notBefore: nil, notAfter: nil, now: now)
        let dry = try svc.send("养老金调整", source: GreetingSource(), now: now, dryRun: true)
        #expect(dry.written == 0 && dry.plan.messages.count == 5)
        #expect(try db.outboxMessages(campaignID: dry.campaign.id).isEmpty)
        let first = try svc.send("养老金调整", source: GreetingSource(), now: now, dryRun: false)
        let second = try svc.send("养老金调整", source: GreetingSource(), now: now, dryRun: false)
        #expect(first.written == 5 && second.written == 0 && second.skipped == 5)
        #expect(try db.outboxMessages(campaignID: first.campaign.id).count == 5)
        #expect(first.campaign.state == .sending)
    }

    @Test func bigCampaignsNeedApprovalByAnotherUser() throws {
        let db = try F.database((1...3).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let now = F.at(10)
        let s = F.settings(threshold: 2)
        let alice = F.service(db, s, user: "alice")
        _ = try alice.create(name: "big", explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(), channels: [.sms],
                             notBefore: nil, notAfter: nil, now: now)
        #expect(throws: CampaignError.needsApproval(campaign: "big", messages: 3, threshold: 2)) {
            try alice.send("big", source: GreetingSource(), now: now, dryRun: false)
        }
        #expect(throws: CampaignError.sameApprover(campaign: "big", user: "alice")) {
            try alice.approve("big", source: GreetingSource(), now: now)
        }
        let (approved, _) = try F.service(db, s, user: "bob").approve("big", source: GreetingSource(), now: now)
        #expect(approved.approvedBy == "bob" && approved.planned == 3)
        #expect(try alice.send("big", source: GreetingSource(), now: now, dryRun: false).written == 3)
    }

    @Test func pauseResumeCancel() throws {
        let db = try F.database((1...2).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let now = F.at(10)
        let svc = F.service(db, F.settings())
        let c = try F.sendingCampaign(db, F.settings(), now: now)
        #expect(try svc.setState(c.name, to: .paused, now: now).state == .paused)
        #expect(try db.claimDue(now: now, limit: 10, leaseSeconds: 60, owner: "x").isEmpty)
        #expect(throws: CampaignError.self) { try svc.send(c.name, source: GreetingSource(), now: now, dryRun: false) }
        #expect(try svc.setState(c.name, to: .sending, now: now).state == .sending)
        #expect(try svc.setState(c.name, to: .cancelled, now: now).state == .cancelled)
        #expect(try svc.status(c.name, now: now).counts.count(.cancelled) == 2)
        #expect(throws: CampaignError.self) { try svc.setState(c.name, to: .sending, now: now) }
    }
}

@Suite struct DispatcherTests {
    typealias F = CampaignFixture

    func dispatcher(_ db: CarnationDatabase, _ s: CampaignSettings, _ g: any SMSGateway, _ clock: TestClock, owner: String = "d1") throws -> Dispatcher {
        try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: g), clock: clock, owner: owner, random: { 0.5 })
    }

    @Test func quietHoursHoldUntilMorningThenSendThroughTheSpool() async throws {
        let db = try F.database((1...3).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let clock = TestClock(F.at(22))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let spoolDir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spoolDir) }
        let d = try dispatcher(db, s, SpoolGateway(directory: spoolDir), clock)
        let night = try await d.run(untilIdle: true)
        #expect(night.held == 3 && night.accepted == 0)
        let status = try F.service(db, s).status(c.name, now: clock.now())
        #expect(status.counts.count(.held) == 3)
        #expect(status.counts.heldUntil == F.at(8).addingTimeInterval(86400))
        #expect(status.counts.heldReason == "quiet hours: held until 08:00")
        clock.set(F.at(8).addingTimeInterval(86400))
        let morning = try await d.run(untilIdle: true)
        #expect(morning.accepted == 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: spoolDir.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 3)
        #expect(try db.outboxMessages(campaignID: c.id).allSatisfy { $0.state == .accepted && $0.gateway == "spool" })
        #expect(try db.campaign(named: c.name).state == .finished)
    }

    @Test func temporaryRefusalsAreRetriedWithBackoffAndRejectionsFail() async throws {
        let db = try F.database((1...2).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let g = RecordingGateway { n, m in
            if m.phone == "13800000002" { return .failed(.rejected(gateway: "fake", status: 403, code: nil, body: "Authorization failed")) }
            return n <= 2 ? .failed(.temporarilyRefused(gateway: "fake", status: 503, body: "busy", retryAfter: 5)) : .accepted(gatewayMessageID: "ok", detail: "")
        }
        let d = try dispatcher(db, s, g, clock)
        let start = clock.now()
        _ = try await d.run(untilIdle: false, shouldStop: { [clock] in clock.now().timeIntervalSince(start) > 120 })
        let rows = try db.outboxMessages(campaignID: c.id)
        let one = try #require(rows.first { $0.phone == "13800000001" })
        let two = try #require(rows.first { $0.phone == "13800000002" })
        #expect(one.state == .accepted)
        #expect(one.attempts >= 2)
        #expect(two.state == .failed && two.attempts == 1)
        #expect(two.reason?.contains("rejected") == true)
        #expect(g.receivedKeys.filter { $0.hasSuffix("sms") }.count == 1)
        // The retry waited at least Retry-After.
        let history = try db.outboxHistory(one.id).map(\.to)
        #expect(history.filter { $0 == .queued }.count >= 2)
    }

    @Test func anAnswerThatMayHideASendIsNeverResent() async throws {
        let db = try F.database((1...3).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let g = RecordingGateway(deliversOnFailure: true) { _, _ in .failed(.noAnswer(gateway: "fake", detail: "timed out after 10 s")) }
        let d = try dispatcher(db, s, g, clock)
        let r = try await d.run(untilIdle: true)
        #expect(r.unknown == 3)
        clock.advance(3600)
        _ = try await d.run(untilIdle: true)
        #expect(g.callCount == 3)
        #expect(try db.outboxMessages(campaignID: c.id).allSatisfy { $0.state == .unknown })
        // A late delivery report settles it.
        let id = try db.outboxMessages(campaignID: c.id)[0].id
        #expect(try db.applyDeliveryReport(outboxID: id, kind: .delivered, status: "delivered", gateway: "fake", detail: "", now: clock.now()) == .applied(state: .delivered))
    }

    @Test func aGatewayThatKeepsFailingOpensTheCircuitInsteadOfBurningRetries() async throws {
        let db = try F.database((1...6).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let clock = TestClock(F.at(10))
        var s = F.settings()
        s.concurrency = 1
        s.retry.maxAttempts = 50
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let g = RecordingGateway { n, _ in n <= 20 ? .failed(.unreachable(gateway: "fake", detail: "connection refused")) : .accepted(gatewayMessageID: nil, detail: "") }
        let d = try dispatcher(db, s, g, clock)
        let start = clock.now()
        _ = try await d.run(untilIdle: false, shouldStop: { [clock] in clock.now().timeIntervalSince(start) > 60 })
        // Within a minute of gateway failure only a few attempts were made: three, then one probe per open period.
        #expect(g.callCount <= 6)
        _ = try await d.run(untilIdle: false, shouldStop: { [clock, g] in g.receivedKeys.count == 6 || clock.now().timeIntervalSince(start) > 3 * 3600 })
        let rows = try db.outboxMessages(campaignID: c.id)
        #expect(rows.allSatisfy { $0.state == .accepted })
        #expect(g.receivedKeys.count == 6 && Set(g.receivedKeys).count == 6)
    }

    @Test func perPhoneCapHoldsTheRest() async throws {
        let db = try F.database((1...2).map { F.resident($0, "居民\($0)", phone: "13800000001") })
        let clock = TestClock(F.at(10))
        let s = F.settings(cap: PhoneCap(messages: 1, hours: 24))
        let first = try F.sendingCampaign(db, s, name: "first", now: clock.now())
        let g = RecordingGateway()
        let d = try dispatcher(db, s, g, clock)
        _ = try await d.run(untilIdle: true)
        #expect(try db.outboxMessages(campaignID: first.id).map(\.state) == [.accepted])
        #expect(g.callCount == 1)  // the two share one phone: one merged message
        let second = try F.sendingCampaign(db, s, name: "second", now: clock.now())
        _ = try await d.run(untilIdle: true)
        #expect(g.callCount == 1)
        #expect(try db.outboxMessages(campaignID: second.id).map(\.state) == [.held])
        // Released when the first send leaves the 24-hour window, then sent.
        #expect(try F.service(db, s).status(second.name, now: clock.now()).counts.heldUntil == F.at(10).addingTimeInterval(86400))
        clock.set(F.at(10).addingTimeInterval(86400 + 1))
        _ = try await d.run(untilIdle: true)
        #expect(g.callCount == 2)
        #expect(try db.outboxMessages(campaignID: second.id).map(\.state) == [.accepted])
    }

    /// Kills the dispatcher (stops it between its durable steps, as SIGKILL would) at random points,
    /// again and again, and restarts it: every message ends up sent exactly once, or `unknown` when
    /// the crash left it unclear; none is sent twice, none is lost.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func crashesAtRandomPointsLoseAndRepeatNothing(seed: UInt64) async throws {
        var rng = SplitMix(seed: seed)
        let n = 40
        let db = try F.database((1...n).map { F.resident($0, "居民\($0)", phone: String(13_800_000_000 + $0)) })
        let clock = TestClock(F.at(10))
        var s = F.settings()
        s.leaseSeconds = 30
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let g = RecordingGateway { n, _ in n % 7 == 0 ? .failed(.temporarilyRefused(gateway: "fake", status: 503, body: "", retryAfter: nil)) : .accepted(gatewayMessageID: "m\(n)", detail: "") }
        var crashes = 0
        for life in 0..<200 {
            let d = try dispatcher(db, s, g, clock, owner: "life-\(life)")
            _ = try d.housekeeping()
            let claimed = try db.claimDue(now: clock.now(), limit: Int(rng.next() % 8) + 1, leaseSeconds: s.leaseSeconds, owner: d.owner)
            if claimed.isEmpty {
                if try db.nextDue() == nil && db.inFlightCount() == 0 { break }
                clock.advance(31)
                continue
            }
            // Crash point: after claiming, before any, some or all sends; or after sending, before recording all.
            let sendCount = Int(rng.next() % UInt64(claimed.count + 1))
            let outcomes = try await d.process(Array(claimed.prefix(sendCount)))
            let recordCount = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(outcomes.count + 1)) : outcomes.count
            try db.record(Array(outcomes.prefix(recordCount)), owner: d.owner, now: clock.now())
            if sendCount < claimed.count || recordCount < outcomes.count { crashes += 1 }
            clock.advance(Double(rng.next() % 40))
        }
        #expect(crashes > 0)
        let states = try db.outboxMessages(campaignID: c.id).map(\.state)
        #expect(states.contains(.unknown) && states.contains(.accepted))
        let rows = try db.outboxMessages(campaignID: c.id)
        #expect(rows.count == n)
        let sentKeys = g.receivedKeys
        #expect(Set(sentKeys).count == sentKeys.count, "a message was sent twice")
        for r in rows {
            let times = sentKeys.filter { $0 == r.idempotencyKey }.count
            switch r.state {
            case .accepted: #expect(times == 1)
            case .unknown: #expect(times <= 1)
            default: Issue.record("message \(r.id) ended \(r.state.rawValue)")
            }
        }
    }

    @Test func aDatabaseLockedByAnotherProcessMakesTheDispatcherWaitNotFail() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("carnation.sqlite").path
        let db = try F.database((1...4).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") }, path: path)
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        // Another process takes the write lock for about a second.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path]
        let input = Pipe()
        sqlite.standardInput = input
        sqlite.standardOutput = FileHandle.nullDevice
        try sqlite.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nUPDATE campaign SET updated_at = updated_at;\n".utf8))
        try await Task.sleep(nanoseconds: 300_000_000)
        // Released from a plain thread, so a blocked cooperative pool cannot delay it.
        let writer = input.fileHandleForWriting
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { writer.write(Data("COMMIT;\n.quit\n".utf8)) }
        let started = Date()
        let r = try await dispatcher(db, s, RecordingGateway(), clock).run(untilIdle: true)
        sqlite.waitUntilExit()
        #expect(Date().timeIntervalSince(started) >= 0.5)
        #expect(r.accepted == 4)
        #expect(try db.outboxMessages(campaignID: c.id).allSatisfy { $0.state == .accepted })
    }

    struct VoiceSource: CampaignMessageSource {
        func drafts(for r: Resident, channels: [OutboxChannel]) -> ResidentDraftOutcome {
            .drafts([MessageDraft(residentID: r.id, residentName: r.name, areaCode: r.areaCode?.value, channel: .voice, phone: r.phone!.value,
                                  recipientName: r.name, toGuardian: false, body: "\(r.name)您好。\n养老金有调整。")])
        }
    }

    @Test func voiceMessagesWaitWhenNoVoiceGatewayIsConfiguredAndGoThroughOneThatIs() async throws {
        let db = try F.database((1...2).map { F.resident($0, "居民\($0)", phone: "1380000000\($0)") })
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let svc = F.service(db, s)
        _ = try svc.create(name: "voice", explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(), channels: [.voice],
                           notBefore: nil, notAfter: nil, now: clock.now())
        let c = try svc.send("voice", source: VoiceSource(), now: clock.now(), dryRun: false).campaign
        let smsOnly = try dispatcher(db, s, RecordingGateway(), clock)
        let r = try await smsOnly.run(untilIdle: true)
        #expect(r.claimed == 0)
        #expect(try db.outboxMessages(campaignID: c.id).map(\.state) == [.queued, .queued])
        let voice = RecordingGateway(name: "voice")
        let both = try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: RecordingGateway(), voice: voice), clock: clock, owner: "d2")
        #expect(try await both.run(untilIdle: true).accepted == 2)
        #expect(voice.callCount == 2)
        // Voice has its own quiet hours: 12:00–14:00 is rest time.
        clock.set(F.at(12, 30))
        _ = try svc.create(name: "voice2", explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(), channels: [.voice],
                           notBefore: nil, notAfter: nil, now: clock.now())
        _ = try svc.send("voice2", source: VoiceSource(), now: clock.now(), dryRun: false)
        #expect(try await both.run(untilIdle: true).held == 2)
        #expect(try svc.status("voice2", now: clock.now()).counts.heldUntil == F.at(14))
    }

    @Test func kannelDeliveryReportsMoveRowsAndAreSafeTwice() async throws {
        let db = try F.database([F.resident(1, "张大爷", phone: "13800000001")])
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let d = try dispatcher(db, s, RecordingGateway(name: "kannel"), clock)
        _ = try await d.run(untilIdle: true)
        let id = try db.outboxMessages(campaignID: c.id)[0].id
        let config = KannelConfiguration(sendsmsURL: URL(string: "http://127.0.0.1:13013/cgi-bin/sendsms")!, username: "u", password: "p",
                                         dlrCallbackURL: URL(string: "http://127.0.0.1:8080/dlr")!, dlrSecret: "s3cret")
        let key = MessageKey(secret: "s3cret")
        let query = "outbox=\(id)&key=\(key.key(for: String(id)))&type=1&ts=1795000000&to=13800000001&from=10690000&smsc=FAKE&reply=&fid=abc"
        #expect(try DeliveryReports.applyKannel(query: query, gateway: config, to: db, now: clock.now()) == .applied(state: .delivered))
        #expect(try DeliveryReports.applyKannel(query: query, gateway: config, to: db, now: clock.now()) == .alreadyFinal(state: .delivered))
        #expect(try DeliveryReports.applyKannel(query: "outbox=\(id)&key=\(key.key(for: String(id)))&type=8", gateway: config, to: db, now: clock.now()) == .alreadyFinal(state: .delivered))
        #expect(throws: DeliveryReports.Rejection.wrongSecret(gateway: "kannel")) {
            try DeliveryReports.applyKannel(query: "outbox=\(id)&key=guess&type=2", gateway: config, to: db, now: clock.now())
        }
        // The gateway-wide secret itself is no longer a key, and another message's key is refused.
        #expect(throws: DeliveryReports.Rejection.wrongSecret(gateway: "kannel")) {
            try DeliveryReports.applyKannel(query: "outbox=\(id)&key=s3cret&type=2", gateway: config, to: db, now: clock.now())
        }
        #expect(throws: DeliveryReports.Rejection.wrongSecret(gateway: "kannel")) {
            try DeliveryReports.applyKannel(query: "outbox=\(id)&key=\(key.key(for: "424242"))&type=2", gateway: config, to: db, now: clock.now())
        }
        #expect(try DeliveryReports.applyKannel(query: "outbox=424242&key=\(key.key(for: "424242"))&type=1", gateway: config, to: db, now: clock.now()) == .unknownMessage)
        #expect(try db.outboxMessage(id)?.state == .delivered)
        #expect(try DeliveryReports.applyInbound(phone: "13800000001", text: "退订", to: db, now: clock.now()))
        #expect(try db.optedOutPhones().contains("13800000001"))
    }
}

/// A small deterministic generator for the crash test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
