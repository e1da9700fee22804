import Foundation
import Testing
@testable import Store

/// Direct messages (to staff, not residents) in system campaigns.
@Suite struct DirectMessageTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func message(_ key: String, phone: String = "13800000000", recipient: String? = nil) -> NewDirectMessage {
        NewDirectMessage(recipient: recipient ?? "team:一队#\(key)", idempotencyKey: key, phone: phone, areaCode: "532999001", body: "【示范县社保】名单：{token}",
                         segments: 1, notAfter: t0.addingTimeInterval(3600))
    }

    @Test func aDirectMessageIsWrittenOnceIntoASendingSystemCampaign() throws {
        let db = try CarnationDatabase()
        guard case let .written(id) = try db.enqueueDirect(message("k1"), campaign: "team-links-2026-11-30", createdBy: "wang", due: t0, now: t0) else {
            Issue.record("not written"); return
        }
        #expect(try db.enqueueDirect(message("k1"), campaign: "team-links-2026-11-30", createdBy: "wang", due: t0, now: t0) == .alreadyThere(id: id, state: .queued))
        let c = try db.campaign(named: "team-links-2026-11-30")
        #expect(c.state == .sending && c.createdBy == "wang" && c.approvedBy == "wang")
        let m = try #require(try db.outboxMessage(id))
        #expect(m.residentID == "team:一队#k1" && m.state == .queued && m.notAfter == t0.addingTimeInterval(3600) && m.channel == .sms)
        #expect(try db.outboxHistory(id).map(\.to) == [.queued])
        // Claimable like any message of a sending campaign; no resident is a member of it.
        #expect(try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "d").map(\.id) == [id])
        try db.record([.accepted(id: id, gateway: "g", gatewayMessageID: nil)], owner: "d", now: t0)
        #expect(try db.finishDrainedCampaigns(now: t0) == ["team-links-2026-11-30"])
        #expect(try db.unreachedResidents(since: .distantPast).isEmpty)
    }

    @Test func aFinishedSystemCampaignTakesMoreAndACancelledOneRefuses() throws {
        let db = try CarnationDatabase()
        _ = try db.enqueueDirect(message("k1"), campaign: "links", createdBy: "a", due: t0, now: t0)
        let c = try db.campaign(named: "links")
        try db.setCampaignState(c.id, to: .finished, now: t0)
        guard case .written = try db.enqueueDirect(message("k2"), campaign: "links", createdBy: "a", due: t0, now: t0) else {
            Issue.record("not written"); return
        }
        #expect(try db.campaign(named: "links").state == .sending)
        try db.setCampaignState(c.id, to: .paused, now: t0)
        guard case .written = try db.enqueueDirect(message("k3"), campaign: "links", createdBy: "a", due: t0, now: t0) else {
            Issue.record("not written"); return
        }
        #expect(try db.campaign(named: "links").state == .paused)
        #expect(throws: DirectMessageError.recipientTaken(campaign: "links", recipient: "team:一队#k1")) {
            try db.enqueueDirect(message("k5", recipient: "team:一队#k1"), campaign: "links", createdBy: "a", due: t0, now: t0)
        }
        try db.setCampaignState(c.id, to: .cancelled, now: t0)
        #expect(throws: DirectMessageError.campaignCancelled("links")) {
            try db.enqueueDirect(message("k4"), campaign: "links", createdBy: "a", due: t0, now: t0)
        }
    }

    @Test func anOptedOutPhoneGetsNoDirectMessage() throws {
        let db = try CarnationDatabase()
        _ = try db.optOut(phone: "13800000000", source: "sms", now: t0)
        #expect(try db.enqueueDirect(message("k1"), campaign: "links", createdBy: "a", due: t0, now: t0) == .optedOut)
    }
}
