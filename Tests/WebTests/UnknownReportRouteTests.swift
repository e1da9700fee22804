import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Testing
@testable import Store
@testable import Web

/// A delivery report for a message the outbox does not have (a restored database, a typo in a test, another
/// office's Kannel): answered 200 so Kannel stops retrying, kept on record, and nothing else changes.
@Suite struct UnknownReportRouteTests {
    /// The report Kannel would send for `outbox`, built from the dlr-url the gateway hands to Kannel.
    func reportURI(_ f: WebFixture, outbox: String, type: Int) throws -> String {
        let template = try #require(try KannelURL.deliveryReportURL(f.kannel, outboxID: outbox))
        var filled = template
        for (escape, value) in [("%d", String(type)), ("%T", "1795975300"), ("%p", "13800000001"), ("%P", "10690000"), ("%i", "FAKE"), ("%A", ""), ("%F", "abc")] {
            filled = filled.replacingOccurrences(of: escape, with: value)
        }
        let path = try #require(filled.range(of: "/gateway/"))
        return String(filled[path.lowerBound...])
    }

    @Test func aReportForAnUnknownMessageIsKeptAndChangesNothing() async throws {
        let f = try WebFixture()
        let known = try GatewayRouteTests().acceptedMessage(f)
        let db = f.database
        let campaign = try #require(try db.campaigns().first)
        let before = try db.campaignCounts(campaign.id, now: f.now)
        let app = try await f.app()
        try await app.test(.router) { client in
            // Twice, as Kannel retries: a final "delivered" and a final "failed".
            for type in [1, 16] {
                try await client.execute(uri: try reportURI(f, outbox: "424242", type: type), method: .get) { r in
                    #expect(r.status == .ok)
                }
            }
            let kept = try db.deliveryReports(outboxID: 424242)
            #expect(kept.count == 2)
            #expect(kept.allSatisfy { $0.effect == "unknownMessage" && $0.gateway == "kannel" })
            #expect(try db.outboxMessage(424242) == nil)
            let after = try db.campaignCounts(campaign.id, now: f.now)
            #expect(after.byState == before.byState && after.byState == ["accepted": 1])
            #expect(try db.outboxMessage(known)?.state == .accepted)
            #expect(try db.unreachedResidents(since: f.now.addingTimeInterval(-86400)).isEmpty, "a stray 'failed' report sends no one a visit")
            // The real message's report still works afterwards.
            try await client.execute(uri: try reportURI(f, outbox: String(known), type: 1), method: .get) { r in #expect(r.status == .ok) }
            #expect(try db.outboxMessage(known)?.state == .delivered)
            #expect(try db.deliveryReports(outboxID: known).map { $0.effect.hasPrefix("applied") } == [true])
        }
    }
}
