import Foundation
import Messaging
import Outreach
import Registry
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Campaign dispatch through the built binary against a loopback sink that answers like Kannel's sendsms.
@Suite(.serialized) struct DispatchEndToEndTests {
    /// carnation.yaml for a Kannel gateway at `sendsms`, with the given SMS quiet hours ("none": never quiet).
    static func configuration(sendsms: URL, quietSMS: String = "none", leaseSeconds: Int = 2) -> String {
        """
        sms:
          signature: 示范县社保
        campaigns:
          approval-threshold: 100000
          phone-cap: none
        dispatch:
          rate: 200
          burst: 20
          concurrency: 8
          lease-seconds: \(leaseSeconds)
          quiet-hours: {sms: "\(quietSMS)", voice: none}
        gateway:
          sms: kannel
          kannel:
            sendsms-url: \(sendsms.absoluteString)
            username: carnation
            password: e2e-pass
            dlr-url: http://127.0.0.1:9/gateway/kannel/dlr
            dlr-secret: e2e-dlr-secret
            timeout-seconds: 5
        """
    }

    static func write(_ text: String, to c: CarnationBinary) throws {
        try text.write(to: c.home.appendingPathComponent("carnation.yaml"), atomically: true, encoding: .utf8)
    }

    static func database(_ c: CarnationBinary) throws -> CarnationDatabase {
        try CarnationDatabase(path: c.home.appendingPathComponent("var/carnation.sqlite").path)
    }

    /// Today and the hour in the office's time zone (the binary stamps real time on messages).
    static func officeNow() -> (day: String, hour: Int) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let d = cal.dateComponents([.year, .month, .day, .hour], from: Date())
        return (String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!), d.hour!)
    }

    /// A small deterministic generator for kill moments.
    struct Moments {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    /// `carnation dispatch` is SIGKILLed at random moments while requests are in flight at a slow sink, again and
    /// again, and restarted; at the end every message was sent exactly once (accepted, one request at the sink) or
    /// is `unknown` (at most one request at the sink) – none twice, none lost.
    @Test func dispatchKilledRepeatedlyMidSendSendsEachMessageOnceOrMarksItUnknown() async throws {
        let sink = try HTTPSink(answerDelay: 0.03)
        defer { sink.stop() }
        let c = try CarnationBinary()
        try Self.write(Self.configuration(sendsms: sink.sendsmsURL, leaseSeconds: 1), to: c)
        let began = Date()
        let seeded = try c.run(["demo", "seed", "--residents", "400", "--seed", "11"])
        #expect(seeded.status == 0, "\(seeded.err)")
        // The explainer's own audience as the filter: only residents who get a message are rendered (render time is most of the set-up).
        let created = try c.run(["campaign", "create", "崩溃测试", "--explainer", "why-employee", "--min-age", "18", "--max-age", "50",
                                 "--pension", "none", "--pension", "resident"])
        #expect(created.status == 0, "\(created.err)")
        let send = try c.json(["campaign", "send", "崩溃测试", "--no-dispatch"]) as! [String: Any]
        let written = send["written"] as! Int
        #expect(written >= 200, "a campaign of some hundreds")

        let killing = Date()
        var moments = Moments(state: 20261130)
        var kills = 0, lives = 0
        let deadline = Date().addingTimeInterval(12)
        while kills < 12 && Date() < deadline {
            lives += 1
            let before = sink.snapshot().requests
            let p = c.process(["dispatch", "--until-idle"])
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait until this life is sending (new requests at the sink), then kill it a random moment later.
            while p.isRunning && sink.snapshot().requests == before && Date() < deadline { usleep(2_000) }
            if p.isRunning { usleep(UInt32(moments.next(10...250)) * 1000) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            p.waitUntilExit()
            if p.terminationReason == .exit { break }  // it ran out of due messages before the kill
        }
        // Let the last leases run out, then a dispatcher that is left alone settles and finishes the rest.
        let settling = Date()
        var settled = false
        for _ in 0..<4 where !settled {
            usleep(1_300_000)
            let r = try c.run(["dispatch", "--until-idle"])
            #expect(r.status == 0, "\(r.err)")
            let status = try c.json(["campaign", "status", "崩溃测试"]) as! [String: Any]
            settled = (status["waiting"] as! Int) == 0
        }
        #expect(settled)
        #expect(kills >= 3, "killed \(kills) times in \(lives) lives")

        let db = try Self.database(c)
        let campaign = try db.campaign(named: "崩溃测试")
        let rows = try db.outboxMessages(campaignID: campaign.id)
        let seen = sink.snapshot()
        #expect(rows.count == written)
        #expect(Set(rows.map(\.phone)).count == rows.count, "one message per phone")
        #expect(seen.perNumber.values.allSatisfy { $0 == 1 }, "a message reached the gateway twice: \(seen.perNumber.filter { $0.value > 1 })")
        #expect(Set(seen.perNumber.keys).isSubset(of: Set(rows.map(\.phone))))
        var accepted = 0, unknownSent = 0, unknownNotSent = 0
        for r in rows {
            let times = seen.perNumber[r.phone] ?? 0
            switch r.state {
            case .accepted:
                accepted += 1
                #expect(times == 1, "accepted message \(r.id) reached the sink \(times) times")
            case .unknown:
                #expect(times <= 1)
                if times == 1 { unknownSent += 1 } else { unknownNotSent += 1 }
                #expect(r.reason?.contains("stopped mid-send") == true, "\(r.reason ?? "")")
            default:
                Issue.record("message \(r.id) ended \(r.state.rawValue): \(r.reason ?? "")")
            }
        }
        #expect(accepted + unknownSent + unknownNotSent == written)
        #expect(unknownSent + unknownNotSent >= 1, "kills mid-send leave messages in doubt")
        #expect(seen.requests == accepted + unknownSent)
        #expect(campaign.state == .finished)
        print(String(format: "crash test: %d messages, %d kills in %d lives: %d accepted, %d unknown (reached the sink), %d unknown (never reached it); set-up %.1f s, kills %.1f s, settling %.1f s",
                     written, kills, lives, accepted, unknownSent, unknownNotSent, killing.timeIntervalSince(began), settling.timeIntervalSince(killing), Date().timeIntervalSince(settling)))
    }

    /// Through the binary: quiet hours hold a campaign ("held until HH:00"), failures are grouped by reason, an
    /// undelivered message becomes a visit need, and a campaign whose explainer was removed refuses to write
    /// more but still dispatches what it wrote.
    @Test func heldFailedUnreachedAndAMissingExplainer() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let content = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-content-\(UUID().uuidString)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ProcessInfo.processInfo.environment["CARNATION_CONTENT"] ?? root.appendingPathComponent("content").path), to: content)
        defer { try? FileManager.default.removeItem(at: content) }
        let c = try CarnationBinary(content: content)
        let now = Self.officeNow()
        #expect(try c.run(["demo", "seed", "--residents", "200", "--seed", "5"]).status == 0)

        // 1. Quiet hours around the present: everything is held until the window's end.
        let end = (now.hour + 2) % 24
        try Self.write(Self.configuration(sendsms: sink.sendsmsURL, quietSMS: String(format: "%02d:00-%02d:00", now.hour, end)), to: c)
        #expect(try c.run(["campaign", "create", "夜间通知", "--explainer", "why-employee"]).status == 0)
        let held = try c.run(["campaign", "send", "夜间通知"])
        #expect(held.status == 0, "\(held.err)")
        let heldStatus = try c.run(["campaign", "status", "夜间通知"])
        #expect(heldStatus.out.contains(String(format: "held until %02d:00", end)), "\(heldStatus.out)")
        let heldJSON = try c.json(["campaign", "status", "夜间通知"]) as! [String: Any]
        #expect((heldJSON["states"] as! [String: Int])["held"] == heldJSON["total"] as? Int)
        #expect(sink.snapshot().requests == 0)
        #expect(try c.run(["campaign", "cancel", "夜间通知"]).status == 0)
        let cancelled = try c.run(["campaign", "status", "夜间通知"])
        #expect(cancelled.out.contains("not delivered, by reason:") && cancelled.out.contains("campaign cancelled"), "\(cancelled.out)")

        // 2. Sent, then three delivery reports say "undelivered": grouped by reason, and visit needs.
        try Self.write(Self.configuration(sendsms: sink.sendsmsURL), to: c)
        #expect(try c.run(["campaign", "create", "参保通知", "--explainer", "why-insure"]).status == 0)
        let sent = try c.run(["campaign", "send", "参保通知"])
        #expect(sent.status == 0, "\(sent.err)")
        let db = try Self.database(c)
        let rows = try db.outboxMessages(campaignID: try db.campaign(named: "参保通知").id)
        #expect(rows.count >= 5 && rows.allSatisfy { $0.state == .accepted })
        let failed = Array(rows.prefix(3))
        let reports = c.home.appendingPathComponent("dlr.log")
        // The reports as Kannel would call them back on the dlr-url the gateway gave it (2 undelivered, 1 delivered).
        let kannel = KannelConfiguration(sendsmsURL: sink.sendsmsURL, username: "carnation", password: "e2e-pass",
                                         dlrCallbackURL: URL(string: "http://127.0.0.1:9/gateway/kannel/dlr")!, dlrSecret: "e2e-dlr-secret")
        func report(_ m: OutboxMessage, type: Int) throws -> String {
            try #require(try KannelURL.deliveryReportURL(kannel, outboxID: String(m.id))).replacingOccurrences(of: "%d", with: String(type))
                .replacingOccurrences(of: "%p", with: m.phone).replacingOccurrences(of: #"%[TPiAF]"#, with: "", options: .regularExpression)
        }
        try (try failed.map { try report($0, type: 2) } + rows.dropFirst(3).map { try report($0, type: 1) })
            .joined(separator: "\n").write(to: reports, atomically: true, encoding: .utf8)
        #expect(try c.run(["campaign", "apply-reports", reports.path]).status == 0)
        let status = try c.run(["campaign", "status", "参保通知"])
        #expect(status.out.contains("not delivered, by reason:") && status.out.contains("delivery report: undelivered"), "\(status.out)")
        let statusJSON = try c.json(["campaign", "status", "参保通知"]) as! [String: Any]
        #expect((statusJSON["failuresByReason"] as! [String: Int]).values.reduce(0, +) == 3)
        let needs = try c.json(["visits", "needs", "--limit", "0", "--date", now.day]) as! [[String: Any]]
        let unreached = needs.filter { $0["rule"] as? String == "unreached" }
        let masked = Set(unreached.map { $0["resident"] as! String })
        #expect(masked.count == unreached.count, "one need per resident")
        for m in failed {
            #expect(masked.contains(String(m.residentID.prefix(4)) + "**********" + String(m.residentID.suffix(4))))
        }
        #expect(unreached.count >= 3 && unreached.allSatisfy { $0["reason"] as? String == "短信未送达：参保通知" })
        let table = try c.run(["visits", "needs", "--limit", "0", "--date", now.day])
        #expect(table.out.contains("通知未送达") && table.out.contains("短信未送达：参保通知"))

        // 3. The explainer of a written campaign is removed: `send` refuses, `status` notes it, `dispatch` sends what was written.
        #expect(try c.run(["campaign", "create", "晚些通知", "--explainer", "why-longer"]).status == 0)
        let writeOnly = try c.json(["campaign", "send", "晚些通知", "--no-dispatch"]) as! [String: Any]
        let waiting = writeOnly["written"] as! Int
        #expect(waiting >= 1)
        try FileManager.default.removeItem(at: content.appendingPathComponent("explainers/why-longer.yaml"))
        let refused = try c.run(["campaign", "send", "晚些通知"])
        #expect(refused.status == 65)
        #expect(refused.err.contains("no longer under content/explainers/") && refused.err.contains("\(waiting) still waiting are sent by `carnation dispatch`"), "\(refused.err)")
        let later = try db.campaign(named: "晚些通知")
        #expect(try db.outboxMessages(campaignID: later.id).count == waiting)
        let noted = try c.run(["campaign", "status", "晚些通知"])
        #expect(noted.status == 0 && noted.out.contains("note: explainer 'why-longer'"), "\(noted.out)")
        sink.reset()
        let dispatched = try c.run(["dispatch", "--until-idle"])
        #expect(dispatched.status == 0, "\(dispatched.err)")
        let laterRows = try db.outboxMessages(campaignID: later.id)
        #expect(laterRows.count == waiting && laterRows.allSatisfy { $0.state == .accepted })
        let seen = sink.snapshot()
        #expect(seen.requests == waiting && seen.perNumber.values.allSatisfy { $0 == 1 })
    }
}
