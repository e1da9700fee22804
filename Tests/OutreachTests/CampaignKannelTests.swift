import Foundation
import Messaging
@testable import Outreach
import Registry
import Store
import Testing

/// A campaign through the real loopback Kannel started by `ops/kannel/start.sh` (ops/test.sh starts it);
/// skipped unless `CARNATION_KANNEL_RUN_DIR` names its run directory (`KANNEL_SENDSMS_PORT`,
/// `KANNEL_DLR_PORT` if not the defaults). The delivery reports the recorder logged are fed to the same
/// function `carnation serve` calls.
@Suite("Campaign through Kannel on loopback", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CARNATION_KANNEL_RUN_DIR"] != nil))
struct CampaignKannelTests {
    typealias F = CampaignFixture
    let env = ProcessInfo.processInfo.environment
    var runDir: URL { URL(fileURLWithPath: env["CARNATION_KANNEL_RUN_DIR"] ?? "") }

    func kannel(_ secret: String) -> KannelConfiguration {
        KannelConfiguration(sendsmsURL: URL(string: "http://127.0.0.1:\(env["KANNEL_SENDSMS_PORT"] ?? "13013")/cgi-bin/sendsms")!,
                            username: env["KANNEL_USER"] ?? "coord", password: env["KANNEL_PASSWORD"] ?? "secret",
                            dlrCallbackURL: URL(string: "http://127.0.0.1:\(env["KANNEL_DLR_PORT"] ?? "18080")/dlr")!, dlrSecret: secret)
    }

    func lines(_ file: String) -> [String] {
        ((try? String(contentsOf: runDir.appendingPathComponent(file), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls `file` until `match` holds for some line (up to 15 s).
    func waitFor(_ file: String, _ match: (String) -> Bool) async throws -> String? {
        for _ in 0..<150 {
            if let l = lines(file).first(where: match) { return l }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return nil
    }

    @Test func chineseArrivesIntactAndDeliveryReportsMarkRowsDelivered() async throws {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        // One resident alone; two sharing a phone (one merged message, two parts); one with an Ext-B name.
        let db = try F.database([
            F.resident(1, "张\u{20BB7}华", phone: "13800000001"),
            F.resident(2, "李桂英", phone: "13800000002"),
            F.resident(3, "王秀兰", phone: "13800000002"),
        ])
        let clock = SystemDispatchClock()
        var s = F.settings()
        s.smsQuietHours = QuietHoursPolicy(standard: try QuietHours(""))  // the test runs at any hour
        let secret = "it-\(tag)"
        let source = GreetingSource(text: { "\($0.name)您好：您的基础养老金本月起每月增加20元，请留意存折。\(tag)" })
        let svc = F.service(db, s)
        _ = try svc.create(name: "kannel-\(tag)", explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(),
                           channels: [.sms], notBefore: nil, notAfter: nil, now: clock.now())
        let report = try svc.send("kannel-\(tag)", source: source, now: clock.now(), dryRun: false)
        #expect(report.written == 2)
        let gateway = try KannelGateway(configuration: kannel(secret), transport: URLSessionTransport())
        let d = try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: gateway), clock: clock)
        let round = try await d.run(untilIdle: true)
        #expect(round.accepted == 2)
        let rows = try db.outboxMessages(campaignID: report.campaign.id)
        #expect(rows.allSatisfy { $0.state == .accepted })

        for row in rows {
            // The fake SMSC got the text intact (reassembled when split).
            let assembled = row.segments > 1
            let got = try await waitFor("received.jsonl") { line in
                guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
                return o["text"] as? String == row.body && (o["assembled"] as? Bool ?? false) == assembled
            }
            #expect(got != nil, "SMSC did not receive message \(row.id) intact: \(row.body)")
            if let got, let o = try JSONSerialization.jsonObject(with: Data(got.utf8)) as? [String: Any] {
                if assembled { #expect(o["parts"] as? Int == row.segments) } else { #expect(o["type"] as? String == "ucs-2") }
            }
            // Feed every report Kannel sent for this row, twice, to the function the web endpoint calls.
            // Each report carries the message's own key, not the gateway's secret.
            let key = MessageKey(secret: secret).key(for: String(row.id))
            let final = try await waitFor("dlr.log") { $0.contains("outbox=\(row.id)&") && $0.contains("key=\(key)") && $0.contains("type=1&") }
            let query = try #require(final.map { String($0[($0.firstIndex(of: "?").map { $0 } ?? $0.startIndex)...]) })
            let all = lines("dlr.log").filter { $0.contains("outbox=\(row.id)&") && $0.contains("key=\(key)") }
            for line in all + all {
                let q = line.firstIndex(of: "?").map { String(line[$0...]) } ?? line
                _ = try DeliveryReports.applyKannel(query: q, gateway: kannel(secret), to: db, now: Date())
            }
            #expect(try DeliveryReports.applyKannel(query: query, gateway: kannel(secret), to: db, now: Date()) == .alreadyFinal(state: .delivered))
            #expect(try db.outboxMessage(row.id)?.state == .delivered)
        }
        let merged = try #require(rows.first { $0.phone == "13800000002" })
        #expect(merged.body.contains("李桂英") && merged.body.contains("王秀兰"))
        #expect(merged.segments == 2)
        #expect(try db.campaign(named: "kannel-\(tag)").state == .finished)
    }
}
