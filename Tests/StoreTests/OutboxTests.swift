import Foundation
import Testing
@testable import Store

@Suite struct OutboxTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func makeCampaign(_ db: CarnationDatabase, state: CampaignState = .sending) throws -> CampaignRecord {
        let c = try db.createCampaign(CampaignRecord(name: "c\(UInt32.random(in: 0...UInt32.max))", explainer: "why-insure", audienceJSON: "{}",
                                                     channels: [.sms], notBefore: nil, notAfter: nil, createdBy: "a", createdAt: t0))
        try db.setCampaignState(c.id, to: state, now: t0)
        return c
    }

    func message(_ resident: String, phone: String, members: [String]? = nil) -> NewOutboxMessage {
        NewOutboxMessage(residentID: resident, members: members ?? [resident], channel: .sms, phone: phone, areaCode: "532999001",
                         body: "【示范县社保】\(resident)您好", segments: 1)
    }

    @Test func stateMachineAllowsOnlyTheDocumentedMoves() {
        #expect(OutboxState.queued.canMove(to: .sending))
        #expect(OutboxState.sending.canMove(to: .accepted))
        #expect(OutboxState.sending.canMove(to: .unknown))
        #expect(OutboxState.unknown.canMove(to: .delivered))
        #expect(OutboxState.accepted.canMove(to: .expired))
        #expect(OutboxState.expired.canMove(to: .delivered))
        // Never back to sending once it may have reached a gateway.
        for s in [OutboxState.accepted, .unknown, .delivered, .failed, .expired, .cancelled] {
            #expect(!s.canMove(to: .sending), "\(s) → sending")
            #expect(!s.canMove(to: .queued), "\(s) → queued")
        }
        #expect(!OutboxState.delivered.canMove(to: .failed))
        #expect(!OutboxState.cancelled.canMove(to: .delivered))
        #expect(!OutboxState.queued.canMove(to: .accepted))
        #expect(OutboxState.allCases.filter(\.isFinal) == [.delivered, .failed, .expired, .cancelled])
    }

    @Test func enqueueTwiceWritesEachMessageOnce() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        let msgs = [message("R1", phone: "13800000001"), message("R2", phone: "13800000002")]
        let first = try db.enqueue(campaignID: c.id, msgs, due: t0, notAfter: nil, now: t0)
        let second = try db.enqueue(campaignID: c.id, msgs, due: t0, notAfter: nil, now: t0)
        #expect(first.written == 2 && first.skipped == 0)
        #expect(second.written == 0 && second.skipped == 2)
        #expect(try db.outboxMessages(campaignID: c.id).count == 2)
        // A merged message later covering a resident already written is skipped too.
        let merged = try db.enqueue(campaignID: c.id, [message("R0", phone: "13800000009", members: ["R0", "R2"])], due: t0, notAfter: nil, now: t0)
        #expect(merged.written == 0)
        let keys = try db.outboxMessages(campaignID: c.id).map(\.idempotencyKey)
        #expect(keys == ["c\(c.id)-R1-sms", "c\(c.id)-R2-sms"])
    }

    @Test func claimIsDurableAndExclusiveWhileTheLeaseHolds() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, (1...5).map { message("R\($0)", phone: "1380000000\($0)") }, due: t0, notAfter: nil, now: t0)
        let a = try db.claimDue(now: t0, limit: 3, leaseSeconds: 60, owner: "A")
        let b = try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "B")
        #expect(a.count == 3 && b.count == 2)
        #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
        #expect(try db.outboxMessage(a[0].id)?.state == .sending)
        #expect(try db.claimDue(now: t0.addingTimeInterval(1000), limit: 10, leaseSeconds: 60, owner: "C").isEmpty)
        // An outcome from a dispatcher that does not hold the lease is ignored.
        let ignored = try db.record([.accepted(id: a[0].id, gateway: "g", gatewayMessageID: "x")], owner: "B", now: t0)
        #expect(ignored == 1)
        #expect(try db.outboxMessage(a[0].id)?.state == .sending)
        try db.record([.accepted(id: a[0].id, gateway: "g", gatewayMessageID: "x")], owner: "A", now: t0)
        let m = try #require(try db.outboxMessage(a[0].id))
        #expect(m.state == .accepted && m.gatewayMessageID == "x" && m.attempts == 1)
        #expect(try db.outboxHistory(m.id).map(\.to) == [.queued, .sending, .accepted])
    }

    /// Recording and claiming in one transaction: the outcomes are written first (an outcome for a row leased
    /// to someone else moves nothing and leaves no event), then the next due rows are claimed.
    @Test func recordAndClaimWritesOutcomesThenClaimsInOneTransaction() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, (1...6).map { message("R\($0)", phone: "1380000000\($0)") }, due: t0, notAfter: nil, now: t0)
        let a = try db.claimDue(now: t0, limit: 2, leaseSeconds: 60, owner: "A")
        let b = try db.claimDue(now: t0, limit: 1, leaseSeconds: 60, owner: "B")
        let step = try db.recordAndClaim([.accepted(id: a[0].id, gateway: "g", gatewayMessageID: nil),
                                          .retry(id: a[1].id, due: t0.addingTimeInterval(60), reason: "503"),
                                          .accepted(id: b[0].id, gateway: "g", gatewayMessageID: nil)],
                                         owner: "A", now: t0, limit: 10, leaseSeconds: 60)
        #expect(step.ignored == 1)
        // The retried row is not due yet, so only the three untouched rows are claimed.
        #expect(step.claimed.map(\.id) == Array(b[0].id + 1...b[0].id + 3))
        #expect(step.claimed.allSatisfy { $0.state == .sending && $0.attempts == 1 })
        #expect(try db.outboxHistory(a[0].id).map(\.to) == [.queued, .sending, .accepted])
        #expect(try db.outboxHistory(a[1].id).map(\.to) == [.queued, .sending, .queued])
        #expect(try db.outboxHistory(b[0].id).map(\.to) == [.queued, .sending], "B's message is untouched and has no event from A")
        #expect(try db.outboxMessage(b[0].id)?.state == .sending)
        // Nothing to record and nothing due: an empty claim.
        #expect(try db.recordAndClaim([], owner: "A", now: t0, limit: 10, leaseSeconds: 60).claimed.isEmpty)
    }

    @Test func pausedAndFutureMessagesAreNotClaimed() throws {
        let db = try CarnationDatabase()
        let paused = try makeCampaign(db, state: .paused)
        _ = try db.enqueue(campaignID: paused.id, [message("R1", phone: "13800000001")], due: t0, notAfter: nil, now: t0)
        let later = try makeCampaign(db)
        _ = try db.enqueue(campaignID: later.id, [message("R2", phone: "13800000002")], due: t0.addingTimeInterval(3600), notAfter: nil, now: t0)
        #expect(try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "A").isEmpty)
        #expect(try db.nextDue() == t0.addingTimeInterval(3600))
        #expect(try db.claimDue(now: t0.addingTimeInterval(3600), limit: 10, leaseSeconds: 60, owner: "A").count == 1)
    }

    @Test func abandonedSendsBecomeUnknownUnlessTheGatewayDeduplicates() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001"), message("R2", phone: "13800000002")], due: t0, notAfter: nil, now: t0)
        let claimed = try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "dead")
        #expect(claimed.count == 2)
        // Before the lease ends nothing is touched: the dispatcher may still be sending.
        #expect(try db.recoverAbandonedSends(now: t0.addingTimeInterval(30), resendable: [], gatewayFor: { _ in "kannel" }) == (0, 0))
        let r = try db.recoverAbandonedSends(now: t0.addingTimeInterval(61), resendable: [], gatewayFor: { _ in "kannel" })
        #expect(r.requeued == 0 && r.unknown == 2)
        for m in try db.outboxMessages(campaignID: c.id) {
            #expect(m.state == .unknown)
            #expect(m.reason?.contains("may have reached kannel") == true)
        }
        // Unknown is never claimed again.
        #expect(try db.claimDue(now: t0.addingTimeInterval(100), limit: 10, leaseSeconds: 60, owner: "B").isEmpty)

        let c2 = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c2.id, [message("R3", phone: "13800000003")], due: t0, notAfter: nil, now: t0)
        _ = try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "dead")
        let r2 = try db.recoverAbandonedSends(now: t0.addingTimeInterval(61), resendable: ["spool"], gatewayFor: { _ in "spool" })
        #expect(r2.requeued == 1)
        #expect(try db.claimDue(now: t0.addingTimeInterval(62), limit: 10, leaseSeconds: 60, owner: "B").map(\.attempts) == [2])
    }

    @Test func deliveryReportsAreAppliedOnceAndFinalStatesStay() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001"), message("R2", phone: "13800000002")], due: t0, notAfter: nil, now: t0)
        let claimed = try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "A")
        try db.record([.accepted(id: claimed[0].id, gateway: "kannel", gatewayMessageID: nil),
                       .unknown(id: claimed[1].id, gateway: "kannel", reason: "no answer")], owner: "A", now: t0)
        #expect(try db.applyDeliveryReport(outboxID: claimed[0].id, kind: .progress, status: "accepted-by-smsc", gateway: "kannel", detail: "", now: t0) == .applied(state: .accepted))
        #expect(try db.applyDeliveryReport(outboxID: claimed[0].id, kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0) == .applied(state: .delivered))
        #expect(try db.applyDeliveryReport(outboxID: claimed[0].id, kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0) == .alreadyFinal(state: .delivered))
        #expect(try db.applyDeliveryReport(outboxID: claimed[0].id, kind: .failed, status: "undelivered", gateway: "kannel", detail: "", now: t0) == .alreadyFinal(state: .delivered))
        // An unknown message learns from its report that the gateway had it.
        #expect(try db.applyDeliveryReport(outboxID: claimed[1].id, kind: .progress, status: "accepted-by-smsc", gateway: "kannel", detail: "", now: t0) == .applied(state: .accepted))
        #expect(try db.applyDeliveryReport(outboxID: claimed[1].id, kind: .failed, status: "undelivered", gateway: "kannel", detail: "", now: t0) == .applied(state: .failed))
        #expect(try db.outboxMessage(claimed[1].id)?.reason == "delivery report: undelivered")
        let unreached = try db.unreachedResidents(since: t0.addingTimeInterval(-1))
        #expect(unreached.map(\.residentID) == ["R2"] && unreached[0].campaign == c.name && unreached[0].state == .failed)
        #expect(try db.applyDeliveryReport(outboxID: 999_999, kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0) == .unknownMessage)
    }

    @Test func silentMessagesExpireAndALateReportStillCounts() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001")], due: t0, notAfter: nil, now: t0)
        let id = try db.claimDue(now: t0, limit: 1, leaseSeconds: 60, owner: "A")[0].id
        try db.record([.accepted(id: id, gateway: "kannel", gatewayMessageID: nil)], owner: "A", now: t0)
        #expect(try db.expireUnreported(olderThan: 3600, now: t0.addingTimeInterval(1800)) == 0)
        #expect(try db.expireUnreported(olderThan: 3600, now: t0.addingTimeInterval(3601)) == 1)
        #expect(try db.outboxMessage(id)?.state == .expired)
        #expect(try db.applyDeliveryReport(outboxID: id, kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0) == .applied(state: .delivered))
    }

    @Test func waitingMessagesExpireWhenTheCampaignWindowCloses() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db, state: .paused)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001")], due: t0, notAfter: t0.addingTimeInterval(3600), now: t0)
        #expect(try db.expirePastWindow(now: t0.addingTimeInterval(3599)) == 0)
        #expect(try db.expirePastWindow(now: t0.addingTimeInterval(3600)) == 1)
        #expect(try db.outboxMessages(campaignID: c.id).map(\.state) == [.expired])
        #expect(try db.unreachedResidents(since: t0).map(\.residentID) == ["R1"])
    }

    @Test func optOutWithdrawsWaitingMessagesAndBlocksNewOnes() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001")], due: t0, notAfter: nil, now: t0)
        #expect(try db.optOut(phone: "13800000001", source: "reply: 退订", now: t0) == 1)
        #expect(try db.outboxMessages(campaignID: c.id).map(\.state) == [.cancelled])
        let c2 = try makeCampaign(db)
        #expect(try db.enqueue(campaignID: c2.id, [message("R1", phone: "13800000001")], due: t0, notAfter: nil, now: t0).skipped == 1)
        #expect(try db.optedOutPhones() == ["13800000001"])
    }

    @Test func cancellingWithdrawsOnlyWhatIsNotYetSent() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [message("R1", phone: "13800000001"), message("R2", phone: "13800000002")], due: t0, notAfter: nil, now: t0)
        let first = try db.claimDue(now: t0, limit: 1, leaseSeconds: 60, owner: "A")[0]
        try db.record([.accepted(id: first.id, gateway: "g", gatewayMessageID: nil)], owner: "A", now: t0)
        try db.setCampaignState(c.id, to: .cancelled, now: t0)
        let counts = try db.campaignCounts(c.id, now: t0)
        #expect(counts.count(.accepted) == 1 && counts.count(.cancelled) == 1)
        #expect(counts.failuresByReason == ["campaign cancelled": 1])
    }

    @Test func unreachedResidentsAreEveryMemberOfAFailedOrExpiredMessageButNotOptedOutOrWithdrawn() throws {
        let db = try CarnationDatabase()
        let c = try makeCampaign(db)
        _ = try db.enqueue(campaignID: c.id, [
            message("R1", phone: "13800000001"),
            message("R2", phone: "13800000002", members: ["R2", "R3"]),  // one phone, two residents
            message("R4", phone: "13800000004"),
            message("R5", phone: "13800000005"),
            message("R6", phone: "13800000006"),
            message("R7", phone: "13800000007"),
        ], due: t0, notAfter: nil, now: t0)
        // R7's phone opts out while its message waits: withdrawn (cancelled), not unreached.
        #expect(try db.optOut(phone: "13800000007", source: "reply: 退订", now: t0) == 1)
        let claimed = try db.claimDue(now: t0, limit: 10, leaseSeconds: 60, owner: "A")
        #expect(claimed.count == 5)
        let id = { (r: String) in claimed.first { $0.residentID == r }!.id }
        try db.record([.failed(id: id("R1"), reason: "rejected: 403"), .accepted(id: id("R2"), gateway: "kannel", gatewayMessageID: nil),
                       .accepted(id: id("R4"), gateway: "kannel", gatewayMessageID: nil), .accepted(id: id("R5"), gateway: "kannel", gatewayMessageID: nil),
                       .failed(id: id("R6"), reason: "rejected: 403")], owner: "A", now: t0)
        // R2+R3: undeliverable; R4: delivered; R5: no report in time; R6's phone opts out after its message failed.
        _ = try db.applyDeliveryReport(outboxID: id("R2"), kind: .failed, status: "undelivered", gateway: "kannel", detail: "", now: t0)
        _ = try db.applyDeliveryReport(outboxID: id("R4"), kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0)
        #expect(try db.expireUnreported(olderThan: 3600, now: t0.addingTimeInterval(7200)) == 1)
        _ = try db.optOut(phone: "13800000006", source: "reply: TD", now: t0)
        let unreached = try db.unreachedResidents(since: t0)
        #expect(unreached.map(\.residentID).sorted() == ["R1", "R2", "R3", "R5"])
        #expect(unreached.first { $0.residentID == "R5" }?.state == .expired)
        #expect(unreached.first { $0.residentID == "R3" }?.reason == "delivery report: undelivered")
        #expect(unreached.allSatisfy { $0.campaign == c.name && $0.channel == .sms })
        // Only what ended since the given moment.
        #expect(try db.unreachedResidents(since: t0.addingTimeInterval(3600)).map(\.residentID) == ["R5"])
        // A late report that the expired message did arrive takes R5 off.
        _ = try db.applyDeliveryReport(outboxID: id("R5"), kind: .delivered, status: "delivered", gateway: "kannel", detail: "", now: t0.addingTimeInterval(7300))
        #expect(try db.unreachedResidents(since: t0).map(\.residentID).sorted() == ["R1", "R2", "R3"])
    }
}
