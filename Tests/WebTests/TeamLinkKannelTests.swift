import Foundation
import Messaging
import Outreach
import Registry
import Testing
@testable import Store
@testable import Web

/// A team's link SMS through the real loopback Kannel (ops/test.sh starts it; skipped unless
/// `CARNATION_KANNEL_RUN_DIR` names its run directory): the handset gets the whole link, in two parts that
/// reassemble, and the link it got opens the team's day.
@Suite("Team link through Kannel on loopback", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CARNATION_KANNEL_RUN_DIR"] != nil))
struct TeamLinkKannelTests {
    let env = ProcessInfo.processInfo.environment

    @Test func theLeaderReceivesAWorkingLink() async throws {
        let f = try WebFixture()
        let runDir = URL(fileURLWithPath: env["CARNATION_KANNEL_RUN_DIR"] ?? "")
        let keyPath = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-link-\(UUID().uuidString).key").path
        defer { try? FileManager.default.removeItem(atPath: keyPath) }
        let templatePath = WebFixture.repo.appendingPathComponent("Templates/sms/team-link.mustache").path
        // A public URL unique to this run, so the fake SMSC's log tells this message from earlier ones.
        let base = "https://c\(UInt32.random(in: 0...UInt32.max)).example.cn"
        let links = try TeamLinkMessages(database: f.database, key: try TeamLinkKey.load(path: keyPath, create: true), publicURL: base,
                                         signature: try SMSSignature("示范县社保"), template: try String(contentsOfFile: templatePath, encoding: .utf8),
                                         templatePath: templatePath)
        let team = try #require(try f.database.teams().first { $0.name == "一队" })
        // Sent now, for today in Beijing (the dispatcher runs on the real clock); no quiet hours in a test.
        let now = Date()
        let today = try #require(CalendarDate(daysSinceEpoch: (Int(now.timeIntervalSince1970) + 8 * 3600) / 86400))
        guard case let .queued(_, id) = try links.send(team: team, date: today, user: "wang", now: now) else { Issue.record("not queued"); return }
        var settings = CampaignSettings()
        settings.smsQuietHours = QuietHoursPolicy(standard: try QuietHours(""))
        let kannel = KannelConfiguration(
            sendsmsURL: URL(string: "http://127.0.0.1:\(env["KANNEL_SENDSMS_PORT"] ?? "13013")/cgi-bin/sendsms")!,
            username: env["KANNEL_USER"] ?? "coord", password: env["KANNEL_PASSWORD"] ?? "secret",
            dlrCallbackURL: URL(string: "http://127.0.0.1:\(env["KANNEL_DLR_PORT"] ?? "18080")/dlr")!, dlrSecret: "team-link-test")
        let gateway = TeamLinkGateway(inner: try KannelGateway(configuration: kannel, transport: URLSessionTransport()), database: f.database,
                                      keyPath: keyPath, maskToken: false)
        let round = try await Dispatcher(database: f.database, settings: settings, gateways: DispatchGateways(sms: gateway)).run(untilIdle: true)
        #expect(round.accepted == 1)
        #expect(try f.database.outboxMessage(id)?.state == .accepted)

        // What the fake SMSC got, reassembled.
        var received: [String: Any]?
        for _ in 0..<150 where received == nil {
            let log = (try? String(contentsOf: runDir.appendingPathComponent("received.jsonl"), encoding: .utf8)) ?? ""
            received = log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { ($0["text"] as? String)?.contains(base + "/team/") == true && $0["assembled"] as? Bool == true }
            if received == nil { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        let got = try #require(received, "the fake SMSC did not receive the link SMS")
        let text = try #require(got["text"] as? String)
        #expect(got["parts"] as? Int == 2)
        #expect(text.hasPrefix("【示范县社保】李海燕：一队"))
        let token = String(try #require(text.components(separatedBy: base + "/team/").last))
        #expect(token.count == 43)
        let opened = try TeamLinks(database: f.database).resolve(token, today: today)
        #expect((try? opened.get())?.team == "一队")
    }
}
