import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Testing
@testable import Store
@testable import Web

@Suite struct GatewayRouteTests {
    /// One campaign message, sent and accepted by the gateway; returns its outbox id.
    func acceptedMessage(_ f: WebFixture) throws -> Int64 {
        let db = f.database
        let c = try db.createCampaign(CampaignRecord(name: "c1", explainer: "why-insure", audienceJSON: "{}", channels: [.sms],
                                                     notBefore: nil, notAfter: nil, createdBy: "a", createdAt: f.now))
        try db.setCampaignState(c.id, to: .sending, now: f.now)
        _ = try db.enqueue(campaignID: c.id, [NewOutboxMessage(residentID: f.zhang.id.value, members: [f.zhang.id.value], channel: .sms,
                                                               phone: "13800000001", areaCode: "532999001201", body: "【示范县社保】您好", segments: 1)],
                           due: f.now, notAfter: nil, now: f.now)
        let claimed = try db.claimDue(now: f.now, limit: 1, leaseSeconds: 60, owner: "t")
        let id = try #require(claimed.first?.id)
        _ = try db.record([.accepted(id: id, gateway: "kannel", gatewayMessageID: nil)], owner: "t", now: f.now)
        return id
    }

    @Test func deliveryReportsAreAppliedOnceAndSafeToRepeat() async throws {
        let f = try WebFixture()
        let id = try acceptedMessage(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            let uri = "/gateway/kannel/dlr?outbox=\(id)&key=\(f.dlrKey(id))&type=1&ts=1795975300&to=13800000001&from=10690000&smsc=FAKE&reply=&fid=abc"
            try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok) }
            #expect(try f.database.outboxMessage(id)?.state == .delivered)
            // The same report again, and a late "accepted by SMSC": nothing changes, still 200 so Kannel stops.
            try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&key=\(f.dlrKey(id))&type=8", method: .get) { r in #expect(r.status == .ok) }
            #expect(try f.database.outboxMessage(id)?.state == .delivered)
            // A report for a message we never sent is recorded and answered 200.
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=999999&key=\(f.dlrKey(999999))&type=1", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func deliveryReportsNeedTheSecretAndAWellFormedQuery() async throws {
        let f = try WebFixture()
        let id = try acceptedMessage(f)
        let app = try await f.app()
        try await app.test(.router) { client in
            // A wrong key and no key are refused (and, below, another message's key).
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&key=wrong&type=2", method: .get) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&type=2", method: .get) { r in #expect(r.status == .forbidden) }
            #expect(try f.database.outboxMessage(id)?.state == .accepted, "a report without the key changes nothing")
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&key=\(f.dlrKey(id))&type=7", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/gateway/kannel/dlr?key=\(f.dlrKey(id))&type=1", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&key=\(f.dlrKey(id + 1))&type=2", method: .get) { r in #expect(r.status == .forbidden) }
            // Three wrong keys used up the burst: now even a right one waits.
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=\(id)&key=\(f.dlrKey(id))&type=2", method: .get) { r in
                #expect(r.status == .tooManyRequests)
                #expect(r.headers[.retryAfter] != nil)
            }
        }
    }

    @Test func optOutRepliesOptThePhoneOut() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            let uri = "/gateway/kannel/inbound?key=inbound-secret-0123&from=%2B8613800000001&text=" + KannelURL.percentEncode("退订")
            try await client.execute(uri: uri, method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("退订"))
            }
            try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok) }
            #expect(try f.database.optedOutPhones() == ["13800000001"])
            // The same through POST (form body), as some gateways send it.
            try await client.execute(uri: "/gateway/kannel/inbound", method: .post, headers: formHeaders,
                                     body: form([("key", "inbound-secret-0123"), ("from", "13900000002"), ("text", "TD")])) { r in
                #expect(r.status == .ok)
            }
            #expect(try f.database.optedOutPhones() == ["13800000001", "13900000002"])
        }
    }

    @Test func callMeRepliesBecomeOneFollowUpPerResident() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            // 13900000002 is 李奶奶's guardian's phone.
            let uri = "/gateway/kannel/inbound?key=inbound-secret-0123&from=13900000002&text=" + KannelURL.percentEncode("看不懂，请打电话给我")
            try await client.execute(uri: uri, method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("联系"))
            }
            try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok) }
            let open = try f.database.openFollowUps()
            #expect(open.count == 1, "asked twice, planned once")
            #expect(open.first?.residentID == f.li.id.value)
            #expect(open.first?.source == "sms-reply")
            #expect(open.first?.due == WebFixture.day.adding(days: 1))
            // Anything else is kept on record only, with no reply.
            try await client.execute(uri: "/gateway/kannel/inbound?key=inbound-secret-0123&from=13800000001&text=ok", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.isEmpty)
            }
            #expect(try f.database.openFollowUps().count == 1)
            #expect(try f.database.optedOutPhones().isEmpty)
        }
    }

    @Test func inboundNeedsTheSecretAndAPhone() async throws {
        let f = try WebFixture()
        let app = try await f.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/gateway/kannel/inbound?key=nope&from=13800000001&text=TD", method: .get) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/gateway/kannel/inbound?key=inbound-secret-0123&from=abc&text=TD", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/gateway/kannel/inbound?key=inbound-secret-0123&text=TD", method: .get) { r in #expect(r.status == .badRequest) }
            #expect(try f.database.optedOutPhones().isEmpty)
        }
    }

    @Test func healthzAnswersAndGatewaysNotConfiguredAre404() async throws {
        let f = try WebFixture()
        f.settings.inboundSecret = nil
        let templates = try await WebTemplates.load(directory: WebFixture.repo.appendingPathComponent("Templates/web"))
        let web = try CarnationWeb(services: WebServices(database: f.database, visits: f.visits, settings: f.settings, kannel: nil, voice: nil, templates: templates), logger: quietLogger)
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text == #"{"database":"ok","status":"ok"}"#)
            }
            try await client.execute(uri: "/gateway/kannel/dlr?outbox=1&type=1", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/gateway/kannel/inbound?from=13800000001&text=TD", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}
